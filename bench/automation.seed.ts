import fs from 'node:fs';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import type { Db, DbHandle } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { DAY, HOUR, MINUTE } from '../src/lib/clock.ts';
import { seedBulkTickets } from '../src/seed/bulk.ts';
import { prepareDatabase, seedTag, type BenchTarget } from './desk.ts';
import { fmt, fmtInt } from './stats.ts';

// The automation bench's desk: N bulk-seeded tickets, seeded once and kept
// between runs (.bench/automation_<N>.db, schema deskline_bench_automation_<N>),
// then put back into the same scenario before every run so the figures repeat:
// - 10,000 open tickets on a "Bench SLA" plan whose first response falls due
//   within the hour after the seed time (sla_check_at at their warning or due time);
// - every other open ticket (~90,000 at 1M) with a check days ahead;
// - 1,000 resolved tickets 20+ days old (past every department's auto-close
//   delay), every other resolved ticket resolved within the last 6 days.
// The bulk seeder leaves sla_check_at null everywhere else.

export const DUE = 10_000;
export const CLOSE = 1_000;
/** Bumped when the scenario changes; with the migrations and the bulk seeder it names the cached desk's build. */
const VERSION = 1;

/** Minutes per priority level (1 low … 4 emergency). */
const TARGETS: Record<string, { firstResponse: number; resolution: number }> = {
  '1': { firstResponse: 480, resolution: 2880 },
  '2': { firstResponse: 240, resolution: 1440 },
  '3': { firstResponse: 120, resolution: 720 },
  '4': { firstResponse: 60, resolution: 480 },
};

interface Meta {
  version: string;
  now: number;
  tickets: number;
  plan_id: number;
  max_event: number;
  max_job: number;
}

export interface Scenario {
  handle: DbHandle;
  /** The time the data was generated against; the bench clock runs from here. */
  now: number;
  tickets: number;
  /** Open tickets with a check days ahead (in the index, never due). */
  future: number;
}

const n = (v: number) => sql`cast(${v} as bigint)`;

function open(o: BenchTarget, name: string): DbHandle | undefined {
  if (o.dialect === 'postgres')
    return openDatabase(o.pgUrl, { schema: `deskline_bench_${name}`, poolSize: 4 });
  const file = path.join(o.dir, `${name}.db`);
  return fs.existsSync(file) ? openDatabase(`sqlite:${file}`) : undefined;
}

async function readMeta(db: Db): Promise<Meta | undefined> {
  try {
    return (await sql<Meta>`select * from bench_automation`.execute(db)).rows[0];
  } catch {
    return undefined; // no such table: never seeded, or the seed was interrupted
  }
}

/** The cached desk of `tickets` tickets (seeded now if there is none), reset to the scenario. */
export async function openScenario(o: BenchTarget & { tickets: number }): Promise<Scenario> {
  const name = `automation_${o.tickets}`;
  const tag = `  [${o.dialect}]`;
  const version = seedTag(VERSION);
  let handle = open(o, name);
  let meta = handle && (await readMeta(handle.db));
  if (meta && meta.version !== version) {
    console.log(
      `${tag} the cached desk predates a change to the migrations or the bulk seeder: seeding afresh`,
    );
    meta = undefined;
  }
  const fresh = !handle || !meta;
  if (!handle || !meta) {
    await handle?.close();
    await prepareDatabase(o, name);
    handle = open(o, name)!;
    const now = Date.now();
    const start = performance.now();
    const seeded = await seedBulkTickets(handle, o.tickets, {
      now,
      onProgress: (done) => process.stdout.write(`\r${tag} seeding ${fmtInt(done)} tickets`),
    });
    process.stdout.write('\n');
    console.log(
      `${tag} seeded ${fmtInt(seeded.tickets)} tickets (${fmtInt(seeded.entries)} entries) in ${fmt((performance.now() - start) / 1000, 1)} s; kept for the next runs`,
    );
    meta = await prepareScenario(handle.db, version, o.tickets, now);
  } else {
    console.log(
      `${tag} using the cached desk of ${fmtInt(Number(meta.tickets))} tickets seeded ${new Date(Number(meta.now)).toISOString()}`,
    );
  }
  const start = performance.now();
  const future = await resetScenario(handle, meta);
  // Statistics once the index holds its rows. PostgreSQL also vacuums what the last run rewrote
  // and deleted: dead sla_events rows with the same keys would slow the inserts' conflict checks.
  if (handle.dialect === 'postgres')
    await sql`vacuum analyze tickets, sla_events, ticket_events, jobs`.execute(handle.db);
  else {
    if (fresh) {
      await sql`pragma analysis_limit = 2000`.execute(handle.db);
      await sql`analyze tickets`.execute(handle.db);
    }
    // The reset's pages out of the WAL: the pass pays for the checkpoints its own writes cause.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
  }
  console.log(`${tag} scenario reset in ${fmtInt(performance.now() - start)} ms`);
  return { handle, now: Number(meta.now), tickets: Number(meta.tickets), future };
}

/** Once after seeding: picks the scenario's tickets and sets what the passes never change. */
async function prepareScenario(db: Db, version: string, tickets: number, now: number): Promise<Meta> {
  const exec = (q: RawBuilder<unknown>) => q.execute(db);
  await exec(sql`create table bench_automation_tickets (ticket_id bigint primary key, role text not null)`);
  // The newest unanswered open tickets fall due first; any resolved ones will do.
  await exec(sql`insert into bench_automation_tickets (ticket_id, role)
    select id, 'due' from tickets where state = 'open' and first_response_at is null order by id desc limit ${DUE}`);
  await exec(sql`insert into bench_automation_tickets (ticket_id, role)
    select id, 'close' from tickets where state = 'resolved' order by id desc limit ${CLOSE}`);
  const picked = sql`(select ticket_id from bench_automation_tickets)`;
  // Every other open ticket: its next check 2 to 7 days ahead.
  await exec(sql`update tickets set sla_check_at = ${n(now + 2 * DAY)} + (id % 7200) * 60000
    where state = 'open' and id not in ${picked}`);
  // Every other resolved ticket: resolved within the last 6 days, so not yet due to close.
  const recent = sql`${n(now - HOUR)} - (id % 144) * 3600000`;
  await exec(sql`update tickets set resolved_at = case when created_at > ${recent} then created_at else ${recent} end
    where state = 'resolved' and id not in ${picked}`);
  const plan = await db
    .insertInto('sla_plans')
    .values({
      name: 'Bench SLA',
      targets: JSON.stringify(TARGETS),
      calendar: null,
      escalation: null,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const max = async (table: 'ticket_events' | 'jobs') =>
    Number(
      (await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(db)).rows[0]
        ?.m ?? 0,
    );
  const meta: Meta = {
    version,
    now,
    tickets,
    plan_id: plan.id,
    max_event: await max('ticket_events'),
    max_job: await max('jobs'),
  };
  await exec(sql`create table bench_automation (version text, now bigint, tickets bigint,
    plan_id bigint, max_event bigint, max_job bigint)`);
  await exec(sql`insert into bench_automation values (${meta.version}, ${n(now)}, ${tickets},
    ${meta.plan_id}, ${meta.max_event}, ${meta.max_job})`);
  return meta;
}

/** Before every run: removes what the last run wrote and sets the scenario's tickets again. */
async function resetScenario(handle: DbHandle, meta: Meta): Promise<number> {
  const { db } = handle;
  const now = Number(meta.now);
  const exec = (q: RawBuilder<unknown>) => q.execute(db);
  await exec(sql`delete from sla_events`);
  await exec(sql`delete from ticket_events where id > ${meta.max_event}`);
  await exec(sql`delete from jobs where id > ${meta.max_job}`);
  const role = (r: string) => sql`(select ticket_id from bench_automation_tickets where role = ${r})`;
  const minutes = (k: 'firstResponse' | 'resolution') =>
    sql.raw(
      `(case priority_level ${Object.entries(TARGETS)
        .map(([level, t]) => `when ${level} then ${t[k]}`)
        .join(' ')} else ${TARGETS['4']![k]} end)`,
    );
  // First response due 1 s to 1 h after `now`; the check at the 80 % warning unless that is already past.
  const due = sql`(${n(now)} + 1000 * (1 + id % 3600))`;
  const first = sql`(${minutes('firstResponse')} * ${n(MINUTE)})`;
  const created = sql`(${due} - ${first})`;
  const warn = sql`(${due} - ${first} / 5)`;
  await exec(sql`update tickets set sla_plan_id = ${meta.plan_id}, created_at = ${created},
      first_response_at = null, last_response_at = null, sla_paused_at = null, sla_paused_ms = 0,
      sla_first_due_at = ${due}, sla_next_due_at = null, sla_due_at = ${due},
      sla_resolve_due_at = ${created} + ${minutes('resolution')} * ${n(MINUTE)}, last_message_at = ${created},
      sla_check_at = case when ${warn} >= ${n(now)} then ${warn} else ${due} end
    where id in ${role('due')}`);
  // Resolved 20 days (plus up to a day) ago: past the 7- and 14-day delays.
  const resolved = sql`${n(now - 20 * DAY)} - (id % 1440) * 60000`;
  await exec(sql`update tickets set state = 'resolved',
      status_id = (select id from statuses where key = 'resolved'), resolved_at = ${resolved},
      closed_at = null, updated_at = ${resolved}, sla_first_due_at = null, sla_next_due_at = null,
      sla_resolve_due_at = null, sla_due_at = null, sla_paused_at = null, sla_paused_ms = 0, sla_check_at = null
    where id in ${role('close')}`);
  const future = await sql<{ c: number }>`select count(*) as c from tickets
    where sla_check_at is not null and sla_check_at > ${n(now + DAY)}`.execute(db);
  return Number(future.rows[0]?.c ?? 0);
}
