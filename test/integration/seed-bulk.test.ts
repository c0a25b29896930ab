import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { seedBulkTickets } from '../../src/seed/bulk.ts';
import { describeEachDialect } from '../support/db.ts';

const NOW = Date.UTC(2025, 5, 1, 12);

describeEachDialect('bulk seed', (handle, dialect) => {
  it('seeds tickets with threads, events and consistent copies of priority and state', async () => {
    const { db } = handle();
    const progress: number[] = [];
    const result = await seedBulkTickets(handle(), 2000, { now: NOW, onProgress: (n) => progress.push(n) });
    expect(result.tickets).toBe(2000);
    expect(result.customers).toBe(250);
    expect(progress.at(-1)).toBe(2000);

    const tickets = await db
      .selectFrom('tickets')
      .innerJoin('statuses', 'statuses.id', 'tickets.status_id')
      .innerJoin('priorities', 'priorities.id', 'tickets.priority_id')
      .select([
        'tickets.id',
        'number',
        'tickets.state',
        'priority_level',
        'assignee_id',
        'created_at',
        'updated_at',
      ])
      .select([
        'statuses.state as status_state',
        'priorities.level as level',
        'resolved_at',
        'closed_at',
        'sla_due_at',
      ])
      .execute();
    expect(tickets).toHaveLength(2000);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(2000);
    for (const t of tickets) {
      expect(t.number).toMatch(/^\d{6,}$/);
      expect(t.state).toBe(t.status_state);
      expect(t.priority_level).toBe(t.level);
      expect(Number(t.updated_at)).toBeGreaterThanOrEqual(Number(t.created_at));
      expect(Number(t.created_at)).toBeLessThan(NOW);
      expect(t.resolved_at !== null).toBe(t.state === 'resolved' || t.state === 'closed');
      expect(t.closed_at !== null).toBe(t.state === 'closed');
      expect(t.sla_due_at !== null).toBe(t.state === 'open');
    }

    const share = (state: string) => tickets.filter((t) => t.state === state).length / tickets.length;
    expect(share('open')).toBeGreaterThan(0.06);
    expect(share('open')).toBeLessThan(0.14);
    expect(share('pending')).toBeGreaterThan(0.02);
    expect(share('pending')).toBeLessThan(0.08);
    expect(share('resolved')).toBeGreaterThan(0.06);
    expect(share('resolved')).toBeLessThan(0.14);
    expect(share('closed')).toBeGreaterThan(0.7);
    expect(share('closed')).toBeLessThan(0.8);
    const open = tickets.filter((t) => t.state === 'open');
    const unassigned = open.filter((t) => t.assignee_id === null).length / open.length;
    expect(unassigned).toBeGreaterThan(0.15);
    expect(unassigned).toBeLessThan(0.45);
  });

  it('gives every ticket a customer message first, a created event and realistic thread sizes', async () => {
    const { db } = handle();
    const withoutEntry = await sql<{ n: number }>`
      select count(*) as n from tickets t
      where not exists (select 1 from thread_entries e where e.ticket_id = t.id)`.execute(db);
    expect(Number(withoutEntry.rows[0]?.n)).toBe(0);
    const withoutCreated = await sql<{ n: number }>`
      select count(*) as n from tickets t
      where not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'created')`.execute(
      db,
    );
    expect(Number(withoutCreated.rows[0]?.n)).toBe(0);
    const firstKinds = await sql<{ kind: string }>`
      select distinct e.kind from thread_entries e
      where e.id = (select min(id) from thread_entries f where f.ticket_id = e.ticket_id)`.execute(db);
    expect(firstKinds.rows.map((r) => r.kind)).toEqual(['message']);

    const entries = await db.selectFrom('thread_entries').select(['body']).execute();
    expect(entries.length / 2000).toBeGreaterThan(3);
    expect(entries.length / 2000).toBeLessThan(4.5);
    for (const e of entries) {
      expect(e.body.length).toBeGreaterThanOrEqual(200);
      expect(e.body.length).toBeLessThanOrEqual(1500);
    }
    // Status changes are shaped like the services' own events.
    const statuses = await db.selectFrom('statuses').select(['id', 'key', 'state']).execute();
    const side = (key: string) => {
      const s = statuses.find((row) => row.key === key);
      return { state: s?.state, status: s?.id };
    };
    const changes = await db
      .selectFrom('ticket_events')
      .select(['type', 'data'])
      .where('type', 'in', ['status_changed', 'resolved', 'closed'])
      .execute();
    const started = changes.find((e) => e.type === 'status_changed');
    expect(JSON.parse(started?.data ?? '{}')).toEqual({
      before: side('open'),
      after: side('in_progress'),
      action: 'agent_reply',
    });
    const closed = changes.find((e) => e.type === 'closed');
    expect(JSON.parse(closed?.data ?? '{}')).toMatchObject({
      before: side('resolved'),
      after: side('closed'),
    });
  });

  it('continues ticket numbers and ids on a second run', async () => {
    const { db } = handle();
    const before = await db.selectFrom('tickets').select(['number']).execute();
    const highest = Math.max(...before.map((t) => Number(t.number)));
    const result = await seedBulkTickets(handle(), 2000, { now: NOW });
    expect(result.customers).toBe(0); // the pool is reused
    const after = await db.selectFrom('tickets').select(['number']).execute();
    expect(after).toHaveLength(4000);
    expect(new Set(after.map((t) => t.number)).size).toBe(4000);
    const added = after.map((t) => Number(t.number)).filter((n) => n > highest);
    expect(added).toHaveLength(2000);
    expect(Math.min(...added)).toBe(highest + 1);

    // The product's own numbering and id generation carry on after the seeded rows.
    const next =
      dialect === 'sqlite'
        ? await sql<{ v: number }>`select value as v from sequences where name = 'ticket_number'`.execute(db)
        : await sql<{ v: number }>`select last_value as v from ticket_number_seq`.execute(db);
    expect(100000 + Number(next.rows[0]?.v)).toBe(highest + 2000);
    const customer = await db
      .insertInto('customers')
      .values({ email: 'after-seed@example.com', name: 'After Seed', created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(Number(customer.id)).toBeGreaterThan(250);
  });

  it('keeps every index when a large load rebuilds them (PostgreSQL) and counts stay consistent', async () => {
    const { db } = handle();
    const indexes = async () =>
      (dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'tickets' order by name`.execute(
            db,
          )
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'tickets' and schemaname = current_schema() order by 1`.execute(
            db,
          )
      ).rows.map((r) => r.name);
    const countOf = async (table: 'tickets' | 'thread_entries' | 'ticket_events') =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
      );
    const before = {
      indexes: await indexes(),
      entries: await countOf('thread_entries'),
      events: await countOf('ticket_events'),
    };
    const result = await seedBulkTickets(handle(), 12_000, { now: NOW });
    expect(await indexes()).toEqual(before.indexes);
    expect(await countOf('tickets')).toBe(16_000);
    expect(await countOf('thread_entries')).toBe(before.entries + result.entries);
    expect(await countOf('ticket_events')).toBe(before.events + result.events);
  }, 120_000);
});
