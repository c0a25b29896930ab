import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Ticket } from '../../src/db/schema.ts';
import { COUNT_CAP } from '../../src/modules/queues/queues.counts.service.ts';
import {
  firstPageQuery,
  INDEXED,
  type QueueName,
} from '../../src/modules/tickets/tickets.queues.repository.ts';
import { resolve } from '../../src/modules/tickets/tickets.service.ts';
import { QueueListOut } from '../../src/contract/queues.contract.ts';
import { SORTS, TicketPageOut, type SortKey } from '../../src/contract/tickets.contract.ts';
import { describeEachDialect } from '../support/db.ts';
import { newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every page of a list, following cursors to the end. */
async function walk(client: Client, url: string, limit: number): Promise<string[]> {
  const numbers: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(`${url}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    const page = res.as(TicketPageOut);
    numbers.push(...page.items.map((t) => t.number));
    cursor = page.nextCursor;
  } while (cursor);
  return numbers;
}

/** The same order computed the slow, obvious way. */
function ordered(rows: Ticket[], sort: (typeof SORTS)[number]): string[] {
  const due = (t: Ticket) => t.sla_due_at ?? Number.MAX_SAFE_INTEGER;
  const by: Record<string, (a: Ticket, b: Ticket) => number> = {
    priority: (a, b) => b.priority_level - a.priority_level || a.created_at - b.created_at || a.id - b.id,
    '-updated': (a, b) => b.updated_at - a.updated_at || b.id - a.id,
    updated: (a, b) => a.updated_at - b.updated_at || a.id - b.id,
    '-created': (a, b) => b.created_at - a.created_at || b.id - a.id,
    created: (a, b) => a.created_at - b.created_at || a.id - b.id,
    due: (a, b) => due(a) - due(b) || a.id - b.id,
  };
  return [...rows].sort(by[sort]).map((t) => t.number);
}

async function explain(db: Db, dialect: string, query: { sql: string; parameters: readonly unknown[] }) {
  const run = async (d: Db, prefix: string) =>
    (
      await d.executeQuery<Record<string, string>>(
        CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]),
      )
    ).rows;
  if (dialect === 'sqlite') return (await run(db, 'explain query plan')).map((r) => r.detail).join('\n');
  // A tiny table may be scanned sequentially; the index must serve once planner costs favour it.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return (await run(trx, 'explain')).map((r) => r['QUERY PLAN']).join('\n');
  });
}

describeEachDialect('queues API: overdue, counts, sorting', (handle, dialect) => {
  let api: Harness;
  let jane: Client;
  let admin: Client;
  let all: Ticket[];
  let support: number;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const { deps, db } = api.desk;
    const priorities = ['Low', 'Normal', 'High', 'Emergency'];
    for (let i = 0; i < 18; i++) {
      deps.clock.advance(MINUTE);
      await newTicket(deps, {
        subject: `Queue ticket ${i}`,
        department: i % 3 === 2 ? 'Billing' : 'Support',
        priority: priorities[(i * 7) % 4]!,
      });
    }
    // Ties on the sort keys, so the id must break them.
    await db.updateTable('tickets').set({ created_at: deps.clock.now() }).where('id', '<=', 3).execute();
    // SLA due times: some past (overdue), some ahead, some without; one past-due ticket resolved.
    const now = deps.clock.now();
    const rows = await db.selectFrom('tickets').selectAll().orderBy('id').execute();
    for (const [i, t] of rows.entries()) {
      const due = i % 4 === 3 ? null : now + (i % 2 ? -1 : 1) * (i % 5) * HOUR - (i % 2) * MINUTE;
      await db.updateTable('tickets').set({ sla_due_at: due }).where('id', '=', t.id).execute();
    }
    const resolvedOne = rows.find(
      (t, i) => i % 2 === 1 && i % 4 !== 3 && t.department_id === rows[0]!.department_id,
    )!;
    await resolve(deps, api.desk.admin, resolvedOne.number);
    deps.clock.advance(MINUTE);
    all = await db.selectFrom('tickets').selectAll().execute();
    support = rows[0]!.department_id;
  });
  afterAll(() => api.close());

  it('the overdue queue: open or pending tickets past their SLA due time, soonest first, per visible department', async () => {
    const now = api.desk.clock.now();
    const overdue = (t: Ticket) =>
      (t.state === 'open' || t.state === 'pending') && t.sla_due_at !== null && t.sla_due_at < now;
    const mine = ordered(
      all.filter((t) => overdue(t) && t.department_id === support),
      'due',
    );
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(all.some((t) => t.state === 'resolved' && t.sla_due_at! < now)).toBe(true);
    for (const limit of [1, 2, 50])
      expect(await walk(jane, '/api/v1/tickets?queue=overdue', limit)).toEqual(mine);
    const everyone = ordered(all.filter(overdue), 'due');
    expect(everyone.length).toBeGreaterThan(mine.length);
    expect(await walk(admin, '/api/v1/tickets?queue=overdue', 2)).toEqual(everyone);
    const first = (await jane.get('/api/v1/tickets?queue=overdue&limit=1')).as(TicketPageOut).items[0]!;
    expect(Date.parse(first.slaDueAt!)).toBeLessThan(now);
  });

  it('serves each queue in its indexed sorts without a sort step (overdue from tickets_dept_overdue)', async () => {
    const { db } = api.desk;
    const base = { departmentIds: [support], agentId: api.desk.jane.id, now: api.desk.clock.now() };
    const overdue = await explain(db, dialect, firstPageQuery(db, { ...base, queue: 'overdue' }).compile());
    expect(overdue).toContain('tickets_dept_overdue');
    for (const [queue, sorts] of Object.entries(INDEXED) as [QueueName, readonly SortKey[]][]) {
      if (queue === 'team') continue; // the demo desk's team queue: same index shape as 'mine'
      for (const sort of sorts) {
        const plan = await explain(db, dialect, firstPageQuery(db, { ...base, queue, sort }).compile());
        expect(plan, `${queue} by ${sort}:\n${plan}`).not.toMatch(
          dialect === 'sqlite' ? /TEMP B-TREE/ : /Sort/,
        );
      }
    }
  });

  it('every sort walks a queue and a filtered list page by page, no duplicates, no misses', async () => {
    const open = all.filter((t) => t.state === 'open');
    const janeSees = open.filter((t) => t.department_id === support);
    for (const sort of SORTS) {
      expect(await walk(admin, `/api/v1/tickets?queue=open&sort=${sort}`, 4), `admin open ${sort}`).toEqual(
        ordered(open, sort),
      );
      expect(await walk(jane, `/api/v1/tickets?queue=open&sort=${sort}`, 3), `jane open ${sort}`).toEqual(
        ordered(janeSees, sort),
      );
      expect(await walk(jane, `/api/v1/tickets?state=open&sort=${sort}`, 5), `jane filter ${sort}`).toEqual(
        ordered(janeSees, sort),
      );
    }
    // The default orders: a queue's own, and newest activity for filters.
    expect(await walk(admin, '/api/v1/tickets?queue=open', 50)).toEqual(ordered(open, 'priority'));
    expect(await walk(admin, '/api/v1/tickets?state=open', 7)).toEqual(ordered(open, '-updated'));
  });

  it('refuses unknown sorts and cursors of another sort with stable codes', async () => {
    const bad = await jane.get('/api/v1/tickets?queue=open&sort=subject');
    expect([bad.status, bad.error().code]).toEqual([422, 'validation_failed']);
    const page = await admin.get('/api/v1/tickets?queue=open&sort=due&limit=2');
    const other = await admin.get(
      `/api/v1/tickets?queue=open&sort=created&cursor=${page.as(TicketPageOut).nextCursor}`,
    );
    expect([other.status, other.error().code]).toEqual([422, 'invalid_cursor']);
    const unknownQueue = await jane.get('/api/v1/tickets?queue=sleeping');
    expect(unknownQueue.status).toBe(422);
  });

  it('counts each sidebar queue over what the agent may see', async () => {
    const res = await jane.get('/api/v1/queues');
    expect(res.status).toBe(200);
    const queues = res.as(QueueListOut);
    expect(queues.cap).toBe(COUNT_CAP);
    const keys = queues.builtin.map((q) => q.key);
    expect(keys).toEqual(['mine', 'unassigned', 'open', 'awaiting', 'overdue', 'resolved', 'closed']);
    // Each queue names its own order and the orders an index serves (the UI offers others only when small).
    expect(queues.builtin.find((q) => q.key === 'overdue')).toMatchObject({
      sort: 'due',
      sorts: ['due'],
    });
    expect(queues.filterSorts).toEqual(['-updated', 'updated']);
    for (const q of queues.builtin) {
      const listed = await walk(jane, `/api/v1/tickets?queue=${q.key}`, 100);
      expect({ key: q.key, count: q.count, capped: q.capped }).toEqual({
        key: q.key,
        count: listed.length,
        capped: false,
      });
    }
    const count = (body: QueueListOut, key: string) => body.builtin.find((q) => q.key === key)!.count;
    const supportOpen = all.filter((t) => t.state === 'open' && t.department_id === support).length;
    expect(count(queues, 'open')).toBe(supportOpen);
    const adminCounts = (await admin.get('/api/v1/queues')).as(QueueListOut);
    expect(count(adminCounts, 'open')).toBe(all.filter((t) => t.state === 'open').length);
    expect(count(adminCounts, 'open')).toBeGreaterThan(supportOpen);
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    expect((await karen.get('/api/v1/queues')).status).toBe(403);
  });

  it(`caps counts at ${COUNT_CAP}: {count: ${COUNT_CAP}, capped: true}`, async () => {
    const { db } = api.desk;
    const billing = all.find((t) => t.department_id !== support && t.state === 'open')!;
    // A generated column (PostgreSQL's subject_search) takes no value.
    const template = Object.fromEntries(
      Object.entries(billing).filter(([k]) => k !== 'id' && k !== 'subject_search'),
    ) as Omit<Ticket, 'id'>;
    const copies = Array.from({ length: COUNT_CAP + 5 }, (_, i) => ({
      ...template,
      number: `CAP${String(i).padStart(5, '0')}`,
    }));
    for (let i = 0; i < copies.length; i += 100)
      await db
        .insertInto('tickets')
        .values(copies.slice(i, i + 100))
        .execute();
    const counts = (await admin.get('/api/v1/queues')).as(QueueListOut).builtin;
    expect(counts.find((q) => q.key === 'open')).toMatchObject({ count: COUNT_CAP, capped: true });
    expect(counts.find((q) => q.key === 'resolved')).toMatchObject({ count: 1, capped: false });
    // Beyond the cap only the orders an index serves remain; Jane's small queue still sorts any way.
    const refused = await admin.get('/api/v1/tickets?queue=open&sort=created');
    expect([refused.status, refused.error().code]).toEqual([422, 'sort_not_available']);
    const filtered = await admin.get('/api/v1/tickets?state=open&sort=due');
    expect([filtered.status, filtered.error().code]).toEqual([422, 'sort_not_available']);
    for (const url of ['queue=open&sort=priority', 'queue=open&sort=-updated', 'state=open&sort=updated'])
      expect((await admin.get(`/api/v1/tickets?${url}&limit=5`)).as(TicketPageOut).items, url).toHaveLength(
        5,
      );
    expect((await jane.get('/api/v1/tickets?queue=open&sort=created')).status).toBe(200);
    // Jane cannot see Billing: her counts do not move.
    const janeOpen = (await jane.get('/api/v1/queues'))
      .as(QueueListOut)
      .builtin.find((q) => q.key === 'open');
    expect(janeOpen).toEqual(
      expect.objectContaining({
        count: all.filter((t) => t.state === 'open' && t.department_id === support).length,
        capped: false,
      }),
    );
  });
});
