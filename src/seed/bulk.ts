import { sql } from 'kysely';
import type { Db, DbHandle } from '../db/database.ts';
import { postgresWriter } from './bulk-postgres.ts';
import { sqliteWriter } from './bulk-sqlite.ts';
import { Rand, cumulative, customerEmail, customerName } from './bulk-text.ts';
import {
  generateBatch,
  type Batch,
  type Cursor,
  type GenContext,
  type Reference,
  type Row,
  type StatusKey,
} from './bulk-data.ts';

// `deskline seed --tickets N`: millions of realistic tickets for benchmarks.
// Rows are generated in memory with explicit ids and written by a
// dialect-specific writer (raw prepared statements on SQLite, unnest batches on
// PostgreSQL); going through the services would take hours at this size.
// Meant for a quiet database: ids and ticket numbers continue after the current
// maxima and the sequences are moved on at the end.
//
// A deliberate exception to the layers (docs/ARCHITECTURE.md): bulk*.ts write
// tables directly, outside any repository and service, for speed. Nothing in
// src/ may import them but the CLI's `seed` command (src/main.ts).

export interface BulkSeedOptions {
  /** Epoch ms the data is generated relative to (defaults to the current time). */
  now?: number;
  /**
   * Called with the number of tickets written so far after each batch. SQLite commits
   * every batch; PostgreSQL loads everything in one transaction that commits at the end.
   */
  onProgress?: (done: number) => void;
  /** PRNG seed; the same seed on the same database state gives the same data. */
  seed?: number;
}

export interface BulkSeedResult {
  tickets: number;
  entries: number;
  events: number;
  /** Customers created (pool members that already existed are reused). */
  customers: number;
  ms: number;
}

export interface BulkWriter {
  readonly batchSize: number;
  insertCustomers(rows: Row[]): Promise<void>;
  /**
   * Takes a batch whose last ticket number uses sequence value `lastSeq`; resolves
   * when the writer can take the next one (the batch may still be in flight).
   */
  write(batch: Batch, lastSeq: number): Promise<void>;
  /** Waits for queued batches, moves the ticket number sequence to `lastSeq`, refreshes statistics. */
  finish(lastSeq: number): Promise<void>;
  close(): Promise<void>;
}

const DAY = 86_400_000;
const SLICE = 250;

export async function seedBulkTickets(
  handle: DbHandle,
  count: number,
  options: BulkSeedOptions = {},
): Promise<BulkSeedResult> {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`ticket count must be a whole number >= 0 (got ${count})`);
  const started = performance.now();
  const result = { tickets: count, entries: 0, events: 0, customers: 0, ms: 0 };
  if (count === 0) return result;
  const now = options.now ?? Date.now();
  const { db } = handle;
  await ensureReference(db, now);
  const ref = await loadReference(db);
  const cur = await readCursor(handle);
  const pool = await customerPool(db, Math.ceil(count / 8), now);
  const ctx: GenContext = { ref, customerIds: pool.ids, customerKs: pool.ks, now, count };
  let done = 0;
  const onWritten = (n: number) => options.onProgress?.((done += n));
  const writer =
    handle.dialect === 'sqlite' ? sqliteWriter(handle.file, onWritten) : postgresWriter(db, count, onWritten);
  try {
    await writer.insertCustomers(pool.newRows);
    // Mixing in the first id makes a second run write different (but still reproducible) data.
    const r = new Rand((options.seed ?? 1) ^ Math.imul(cur.ticketId + 1, 0x9e3779b1));
    while (cur.index < count) {
      const size = Math.min(writer.batchSize, count - cur.index);
      const batch: Batch = { tickets: [], entries: [], events: [] };
      for (let made = 0; made < size; made += SLICE) {
        generateBatch(r, ctx, cur, Math.min(SLICE, size - made), batch);
        // The previous batch is being sent from callbacks on this thread: let them run between slices.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      result.entries += batch.entries.length;
      result.events += batch.events.length;
      await writer.write(batch, cur.seq);
    }
    await writer.finish(cur.seq);
  } finally {
    await writer.close();
  }
  return { ...result, customers: pool.newRows.length, ms: Math.round(performance.now() - started) };
}

async function maxId(db: Db, table: 'tickets' | 'thread_entries' | 'ticket_events'): Promise<number> {
  const row = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(db);
  return Number(row.rows[0]?.m ?? 0);
}

/** Ids and the ticket number sequence continue after what the database already holds. */
async function readCursor(handle: DbHandle): Promise<Cursor> {
  const { db } = handle;
  const seqQuery =
    handle.dialect === 'sqlite'
      ? sql<{ v: number | null }>`select value as v from sequences where name = 'ticket_number'`
      : sql<{
          v: number | null;
        }>`select case when is_called then last_value else last_value - 1 end as v from ticket_number_seq`;
  // Hand-made or imported all-digit numbers must not collide either.
  const numberQuery =
    handle.dialect === 'sqlite'
      ? sql<{
          m: number | null;
        }>`select max(cast(number as integer)) as m from tickets where number <> '' and number not glob '*[^0-9]*'`
      : sql<{
          m: number | null;
        }>`select max(number::numeric) as m from tickets where number ~ '^[0-9]{1,15}$'`;
  const seq = Number((await seqQuery.execute(db)).rows[0]?.v ?? 0);
  const highest = Number((await numberQuery.execute(db)).rows[0]?.m ?? 0);
  return {
    index: 0,
    ticketId: await maxId(db, 'tickets'),
    entryId: await maxId(db, 'thread_entries'),
    eventId: await maxId(db, 'ticket_events'),
    seq: Math.max(seq, highest - 100000, 0),
  };
}

/** Customers c000001..c<size>@bulk.example: existing ones are reused, the rest become new rows. */
async function customerPool(db: Db, size: number, now: number) {
  const existing = await db
    .selectFrom('customers')
    .select(['id', 'email'])
    .where('email', 'like', 'c%@bulk.example')
    .execute();
  const byEmail = new Map(existing.map((c) => [c.email, Number(c.id)]));
  const top = await sql<{ m: number | null }>`select max(id) as m from customers`.execute(db);
  let nextId = Number(top.rows[0]?.m ?? 0);
  const ids: number[] = [];
  const ks: number[] = [];
  const newRows: Row[] = [];
  const createdAt = now - 366 * DAY; // before the oldest generated ticket
  for (let k = 1; k <= size; k++) {
    const email = customerEmail(k);
    let id = byEmail.get(email);
    if (id === undefined) {
      id = ++nextId;
      newRows.push([id, email, customerName(k), createdAt, createdAt]);
    }
    ids.push(id);
    ks.push(k);
  }
  return { ids, ks, newRows };
}

async function isEmpty(
  db: Db,
  table: 'departments' | 'agents' | 'priorities' | 'statuses',
): Promise<boolean> {
  const row = await sql<{ id: number }>`select id from ${sql.table(table)} limit 1`.execute(db);
  return row.rows.length === 0;
}

/** A minimal desk when the demo seed has not run (e.g. a freshly migrated test database). */
async function ensureReference(db: Db, now: number): Promise<void> {
  if (await isEmpty(db, 'departments')) {
    await db
      .insertInto('departments')
      .values(['Support', 'Billing'].map((name) => ({ name, created_at: now })))
      .execute();
  }
  if (await isEmpty(db, 'agents')) {
    // '!' is no scrypt hash, so these agents can never log in.
    const agents = [1, 2, 3].map((n) => ({
      email: `bulk-agent-${n}@bulk.example`,
      name: `Bulk Agent ${n}`,
      password_hash: '!',
      role: 'agent' as const,
      created_at: now,
      updated_at: now,
    }));
    const ids = await db.insertInto('agents').values(agents).returning('id').execute();
    const depts = await db.selectFrom('departments').select('id').execute();
    const links = ids.flatMap((a) =>
      depts.map((d) => ({
        agent_id: a.id,
        department_id: d.id,
        permissions: 'view,reply,assign,transfer,close',
      })),
    );
    if (links.length > 0) await db.insertInto('agent_departments').values(links).execute();
  }
  if (await isEmpty(db, 'priorities')) {
    const names = ['Low', 'Normal', 'High', 'Emergency'];
    const colors = ['#8fa3b0', '#3b82f6', '#f59e0b', '#ef4444'];
    await db
      .insertInto('priorities')
      .values(
        names.map((name, i) => ({
          name,
          level: i + 1,
          color: colors[i] ?? '#888888',
          is_default: i === 1 ? 1 : 0,
        })),
      )
      .execute();
  }
  if (await isEmpty(db, 'statuses')) {
    await db
      .insertInto('statuses')
      .values(
        STATUS_KEYS.map((key, i) => ({
          name: STATUS_NAMES[key],
          key,
          state: STATE_OF[key],
          pauses_sla: key === 'awaiting_customer' ? 1 : 0,
          sort: i + 1,
        })),
      )
      .execute();
  }
}

const STATUS_KEYS: StatusKey[] = ['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed'];
const STATE_OF = {
  open: 'open',
  in_progress: 'open',
  awaiting_customer: 'pending',
  resolved: 'resolved',
  closed: 'closed',
} as const satisfies Record<StatusKey, string>;
const STATUS_NAMES: Record<StatusKey, string> = {
  open: 'Open',
  in_progress: 'In Progress',
  awaiting_customer: 'Awaiting Customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

async function loadReference(db: Db): Promise<Reference> {
  const depts = await db.selectFrom('departments').select(['id', 'sla_plan_id']).orderBy('id').execute();
  const agentRows = await db
    .selectFrom('agents')
    .select(['id', 'name'])
    .where('is_active', '=', 1)
    .orderBy('id')
    .execute();
  const links = await db.selectFrom('agent_departments').select(['agent_id', 'department_id']).execute();
  const members = await db.selectFrom('team_members').select(['team_id', 'agent_id']).execute();
  const teams = await db.selectFrom('teams').select('id').orderBy('id').execute();
  const topics = await db.selectFrom('help_topics').select(['id', 'department_id']).orderBy('id').execute();
  const prios = await db
    .selectFrom('priorities')
    .select(['id', 'level', 'is_default'])
    .orderBy('level')
    .execute();
  if (agentRows.length === 0) throw new Error('bulk seed: no active agent to assign tickets to');
  const agents = new Map(agentRows.map((a) => [Number(a.id), { name: a.name, teams: [] as number[] }]));
  for (const m of members) agents.get(Number(m.agent_id))?.teams.push(Number(m.team_id));
  const departments = depts.map((d) => ({
    id: Number(d.id),
    slaPlanId: d.sla_plan_id === null ? null : Number(d.sla_plan_id),
    agents: links
      .filter((l) => Number(l.department_id) === Number(d.id) && agents.has(Number(l.agent_id)))
      .map((l) => Number(l.agent_id)),
    topics: topics.filter((t) => Number(t.department_id) === Number(d.id)).map((t) => Number(t.id)),
  }));
  return {
    departments,
    // The first departments (Support) get the most traffic.
    departmentWeights: cumulative(departments.map((_, i) => 1 / (i + 1))),
    agents,
    agentIds: [...agents.keys()],
    teams: teams.map((t) => Number(t.id)),
    priorities: prios.map((p) => ({ id: Number(p.id), level: p.level })),
    priorityWeights: priorityWeights(prios.map((p) => p.is_default === 1)),
    statuses: await loadStatuses(db),
  };
}

/** The default priority takes 60%; lower ones share 20%; higher ones 15%, 5%, 2%, 1%… */
function priorityWeights(isDefault: boolean[]): number[] {
  const found = isDefault.indexOf(true);
  const def = found >= 0 ? found : Math.min(1, isDefault.length - 1);
  return cumulative(
    isDefault.map((_, i) => (i === def ? 60 : i < def ? 20 / def : ([15, 5, 2][i - def - 1] ?? 1))),
  );
}

/** System statuses by key; an admin-renamed desk without a key falls back to any status of the right state. */
async function loadStatuses(db: Db): Promise<Reference['statuses']> {
  const rows = await db
    .selectFrom('statuses')
    .select(['id', 'key', 'state'])
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const find = (key: StatusKey) => {
    const row = rows.find((s) => s.key === key) ?? rows.find((s) => s.state === STATE_OF[key]);
    if (!row) throw new Error(`bulk seed: no status for '${key}' (state ${STATE_OF[key]})`);
    return { id: Number(row.id), state: row.state };
  };
  return {
    open: find('open'),
    in_progress: find('in_progress'),
    awaiting_customer: find('awaiting_customer'),
    resolved: find('resolved'),
    closed: find('closed'),
  };
}
