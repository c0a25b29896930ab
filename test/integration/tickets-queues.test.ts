import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Ticket } from '../../src/db/schema.ts';
import { AppError } from '../../src/lib/errors.ts';
import { assign, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { listQueue, type QueueQuery } from '../../src/modules/tickets/tickets.queues.repository.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

const MINUTE = 60_000;

describeEachDialect('agent queues', (handle, dialect) => {
  let desk: Desk;
  let made: Ticket[];
  let support: number;
  let billing: number;

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
    support = await idByName(desk.db, 'departments', 'Support');
    billing = await idByName(desk.db, 'departments', 'Billing');
    made = [];
    const priorities = ['Low', 'Normal', 'High', 'Emergency'];
    for (let i = 0; i < 40; i++) {
      desk.clock.advance(MINUTE);
      made.push(
        await newTicket(desk.deps, {
          subject: `Queue ticket ${i}`,
          department: i % 2 ? 'Billing' : 'Support',
          priority: priorities[i % 4]!,
        }),
      );
    }
    // Jane takes a few Support tickets; two are resolved.
    for (const t of made.filter((t) => t.department_id === support).slice(0, 6)) {
      await assign(desk.deps, desk.jane, t.number, { assignee: desk.jane.id });
    }
    for (const t of made.filter((t) => t.department_id === support).slice(0, 2)) {
      desk.clock.advance(MINUTE);
      await resolve(desk.deps, desk.jane, t.number);
    }
  });

  /** Every page, following cursors to the end. */
  async function all(q: QueueQuery, limit: number) {
    const numbers: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listQueue(desk.db, { ...q, limit, cursor });
      numbers.push(...page.items.map((t) => t.number));
      cursor = page.nextCursor;
    } while (cursor);
    return numbers;
  }

  /** The same queue computed the slow, obvious way. */
  async function expected(where: (t: Ticket) => boolean, order: 'priority' | 'recent') {
    const rows = (await desk.db.selectFrom('tickets').selectAll().execute()).filter(where);
    rows.sort(
      order === 'priority'
        ? (a, b) => b.priority_level - a.priority_level || a.created_at - b.created_at || a.id - b.id
        : (a, b) => b.updated_at - a.updated_at || b.id - a.id,
    );
    return rows.map((t) => t.number);
  }

  it('lists a department queue by priority then age, paging with cursors', async () => {
    const want = await expected((t) => t.department_id === support && t.state === 'open', 'priority');
    expect(want.length).toBeGreaterThan(10);
    for (const limit of [1, 3, 7, 50])
      expect(await all({ queue: 'open', departmentIds: [support] }, limit)).toEqual(want);
  });

  it('merges several departments into one ordered queue', async () => {
    const want = await expected(
      (t) => [support, billing].includes(t.department_id) && t.state === 'open',
      'priority',
    );
    expect(await all({ queue: 'open', departmentIds: [support, billing] }, 4)).toEqual(want);
    expect(await all({ queue: 'unassigned', departmentIds: [support, billing] }, 5)).toEqual(
      await expected((t) => t.state === 'open' && t.assignee_id === null, 'priority'),
    );
  });

  it("lists an agent's own tickets and the resolved queue newest first", async () => {
    expect(await all({ queue: 'mine', agentId: desk.jane.id }, 2)).toEqual(
      await expected(
        (t) => t.assignee_id === desk.jane.id && (t.state === 'open' || t.state === 'pending'),
        'priority',
      ),
    );
    const resolved = await all({ queue: 'resolved', departmentIds: [support] }, 1);
    expect(resolved).toHaveLength(2);
    expect(resolved).toEqual(
      await expected((t) => t.department_id === support && t.state === 'resolved', 'recent'),
    );
  });

  it('refuses cursors it did not hand out', async () => {
    await expect(
      listQueue(desk.db, { queue: 'open', departmentIds: [support], cursor: 'bm9wZQ' }),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(listQueue(desk.db, { queue: 'mine' })).rejects.toBeInstanceOf(AppError);
  });

  it('serves the department queue from its partial index, without sorting the queue', async () => {
    const plan =
      dialect === 'sqlite'
        ? (
            await sql<{
              detail: string;
            }>`explain query plan select * from tickets where department_id = ${support} and state = 'open' order by priority_level desc, created_at, id limit 50`.execute(
              desk.db,
            )
          ).rows
            .map((r) => r.detail)
            .join('\n')
        : (
            await sql<{
              'QUERY PLAN': string;
            }>`explain select * from tickets where department_id = ${support} and state = 'open' order by priority_level desc, created_at, id limit 50`.execute(
              desk.db,
            )
          ).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
    if (dialect === 'sqlite') {
      expect(plan).toContain('tickets_dept_open');
      expect(plan).not.toMatch(/TEMP B-TREE/);
    } else {
      // A tiny table may be scanned sequentially; the index must at least be usable once planner costs favour it.
      const forced = await desk.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const rows = await sql<{
          'QUERY PLAN': string;
        }>`explain select * from tickets where department_id = ${support} and state = 'open' order by priority_level desc, created_at, id limit 50`.execute(
          trx,
        );
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(forced).toContain('tickets_dept_open');
      expect(forced).not.toMatch(/Sort/);
      expect(plan).toMatch(/^Limit /); // whichever scan the planner takes for a tiny table, under the LIMIT
    }
  });
});
