import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkOut, QueueListOut, SavedQueueOut } from '../../src/contract/queues.contract.ts';
import { TicketDetailOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';
import { describeEachDialect } from '../support/db.ts';
import { eventsFor, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';

describeEachDialect('saved queues and bulk actions', (handle) => {
  let api: Harness;
  let jane: Client;
  let jerry: Client;
  let admin: Client;
  const numbers: Record<string, string[]> = { Support: [], Billing: [], SysAdmin: [] };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    jerry = await api.login('jerry@deskline.local', PASSWORDS.agent);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    for (const department of ['Support', 'Billing', 'SysAdmin']) {
      for (let i = 0; i < 4; i++) {
        api.desk.clock.advance(1000);
        const t = await newTicket(api.desk.deps, {
          subject: `${department} printer ${i}`,
          department,
          priority: i % 2 ? 'High' : 'Low',
        });
        numbers[department]!.push(t.number);
      }
    }
  });
  afterAll(() => api.close());

  describe('saved queues', () => {
    const highQueue = {
      name: 'High priority open',
      filters: { state: ['open'], priority: 'High' },
      columns: ['number', 'subject', 'priority', 'due'],
      sort: 'created',
    };

    it('an agent saves a queue, opens it through GET /tickets and sees it counted in the sidebar', async () => {
      const created = await jane.post('/api/v1/saved-queues', highQueue);
      expect(created.status).toBe(201);
      const saved = created.as(SavedQueueOut);
      expect(saved).toMatchObject({ ...highQueue, shared: false, editable: true });
      const { filters, sort } = saved;
      const query = new URLSearchParams({ ...filters, state: filters.state!.join(','), sort } as Record<
        string,
        string
      >);
      const listed = (await jane.get(`/api/v1/tickets?${query}`)).as(TicketPageOut).items;
      // Jane's High open tickets: Support only, oldest first.
      expect(listed.map((t) => t.number)).toEqual([numbers.Support![1], numbers.Support![3]]);
      const sidebar = (await jane.get('/api/v1/queues')).as(QueueListOut).saved;
      expect(sidebar).toEqual([
        expect.objectContaining({ id: saved.id, name: highQueue.name, count: 2, capped: false }),
      ]);
      // Another agent neither lists, reads, changes nor deletes it.
      expect((await jerry.get('/api/v1/saved-queues')).as(SavedQueueOut.array())).toEqual([]);
      for (const res of [
        await jerry.get(`/api/v1/saved-queues/${saved.id}`),
        await jerry.patch(`/api/v1/saved-queues/${saved.id}`, { name: 'Mine now' }),
        await jerry.del(`/api/v1/saved-queues/${saved.id}`),
      ])
        expect([res.status, res.error().code]).toEqual([404, 'saved_queue_not_found']);
      // Its owner renames it (only the fields given change) and deletes it.
      const renamed = await jane.patch(`/api/v1/saved-queues/${saved.id}`, { name: 'Hot ones' });
      expect(renamed.as(SavedQueueOut)).toMatchObject({ ...highQueue, name: 'Hot ones' });
      expect((await jane.del(`/api/v1/saved-queues/${saved.id}`)).status).toBe(204);
      expect((await jane.get('/api/v1/saved-queues')).as(SavedQueueOut.array())).toEqual([]);
    });

    it('only admins share queues; a shared queue shows each agent only the tickets they may see', async () => {
      const refused = await jane.post('/api/v1/saved-queues', { ...highQueue, shared: true });
      expect([refused.status, refused.error().code]).toEqual([403, 'forbidden']);
      const shared = await admin.post('/api/v1/saved-queues', {
        name: 'All printers',
        filters: { q: 'printer' },
        columns: ['number', 'subject', 'department'],
        shared: true,
      });
      expect(shared.status).toBe(201);
      const sharedId = shared.as(SavedQueueOut).id;
      const counted = async (c: Client) =>
        (await c.get('/api/v1/queues')).as(QueueListOut).saved.find((q) => q.id === sharedId);
      expect(await counted(admin)).toMatchObject({ shared: true, editable: true, count: 12 });
      expect(await counted(jane)).toMatchObject({ shared: true, editable: false, count: 4 });
      expect(await counted(jerry)).toMatchObject({ count: 4 });
      const janeRows = (await jane.get('/api/v1/tickets?q=printer')).as(TicketPageOut).items;
      expect(new Set(janeRows.map((t) => t.department))).toEqual(new Set(['Support']));
      for (const res of [
        await jane.patch(`/api/v1/saved-queues/${sharedId}`, { name: 'Hijacked' }),
        await jane.del(`/api/v1/saved-queues/${sharedId}`),
      ])
        expect([res.status, res.error().code]).toEqual([403, 'forbidden']);
      expect((await jane.get(`/api/v1/saved-queues/${sharedId}`)).as(SavedQueueOut).name).toBe(
        'All printers',
      );
      expect(
        (await admin.patch(`/api/v1/saved-queues/${sharedId}`, { sort: 'due' })).as(SavedQueueOut).sort,
      ).toBe('due');
    });

    it('validates names, columns, sorts and filters with stable codes', async () => {
      const cases: [unknown, number, string][] = [
        [{ ...highQueue, name: ' ' }, 422, 'validation_failed'],
        [{ ...highQueue, columns: ['number', 'number'] }, 422, 'validation_failed'],
        [{ ...highQueue, columns: ['password'] }, 422, 'validation_failed'],
        [{ ...highQueue, sort: 'subject' }, 422, 'validation_failed'],
        [{ ...highQueue, filters: { queue: 'open' } }, 422, 'validation_failed'],
        [{ ...highQueue, filters: { department: 'Nowhere' } }, 422, 'unknown_filter'],
      ];
      for (const [body, status, code] of cases) {
        const res = await jane.post('/api/v1/saved-queues', body);
        expect([res.status, res.error().code], JSON.stringify(body)).toEqual([status, code]);
      }
      expect((await jane.patch('/api/v1/saved-queues/1', {})).status).toBe(422);
    });
  });

  describe('bulk actions', () => {
    const get = async (c: Client, number: string) =>
      (await c.get(`/api/v1/tickets/${number}`)).as(TicketDetailOut);

    it('assigns each ticket in its own transaction and reports the ones refused', async () => {
      const [a, b] = numbers.Support!;
      const billing = numbers.Billing![0]!;
      const res = await jane.post('/api/v1/tickets/bulk', {
        action: 'assign',
        numbers: [a, billing, b, 'NOPE-1'],
        assignee: 'me',
      });
      expect(res.status).toBe(200);
      expect(res.as(BulkOut).results).toEqual([
        { number: a, ok: true },
        { number: billing, ok: false, error: { code: 'ticket_not_found', message: expect.any(String) } },
        { number: b, ok: true },
        { number: 'NOPE-1', ok: false, error: { code: 'ticket_not_found', message: expect.any(String) } },
      ]);
      for (const n of [a!, b!]) expect((await get(jane, n)).assignee?.name).toBe('Jane Doe');
      expect((await get(admin, billing)).assignee).toBeNull();
      // One assignment event per ticket, as the single-ticket action writes.
      const events = await eventsFor(api.desk.db, (await get(jane, a!)).id);
      expect(events.filter((e) => e.type === 'assigned')).toHaveLength(1);
      const mine = (await jane.get('/api/v1/tickets?queue=mine'))
        .as(TicketPageOut)
        .items.map((t) => t.number);
      expect(mine.sort()).toEqual([a, b].sort());
    });

    it('changes priority and status, transfers and closes; each ticket answers for itself', async () => {
      const [, , c, d] = numbers.Support!;
      const prio = await jane.post('/api/v1/tickets/bulk', {
        action: 'priority',
        numbers: [c, d],
        priority: 'Emergency',
      });
      expect(prio.as(BulkOut).results.every((r) => r.ok)).toBe(true);
      expect((await get(jane, c!)).priority).toBe('Emergency');
      const noReason = await jane.post('/api/v1/tickets/bulk', { action: 'close', numbers: [c] });
      expect(noReason.as(BulkOut).results[0]).toMatchObject({
        ok: false,
        error: { code: 'reason_required' },
      });
      const closed = await jane.post('/api/v1/tickets/bulk', {
        action: 'close',
        numbers: [c],
        reason: 'duplicate',
      });
      expect(closed.as(BulkOut).results).toEqual([{ number: c, ok: true }]);
      const status = await jane.post('/api/v1/tickets/bulk', {
        action: 'status',
        numbers: [d],
        status: 'Awaiting customer',
      });
      expect(status.as(BulkOut).results).toEqual([{ number: d, ok: true }]);
      expect((await get(jane, d!)).state).toBe('pending');
      // Closing again is refused for the closed ticket only.
      const again = await jane.post('/api/v1/tickets/bulk', {
        action: 'close',
        numbers: [c, d],
        reason: 'done',
      });
      expect(again.as(BulkOut).results).toEqual([
        { number: c, ok: false, error: { code: 'invalid_transition', message: expect.any(String) } },
        { number: d, ok: true },
      ]);
      const moved = await admin.post('/api/v1/tickets/bulk', {
        action: 'transfer',
        numbers: [numbers.Billing![1]],
        department: 'Support',
      });
      expect(moved.as(BulkOut).results).toEqual([{ number: numbers.Billing![1], ok: true }]);
      expect((await get(jane, numbers.Billing![1]!)).department).toBe('Support');
    });

    it('refuses more than 100 tickets, repeats, unknown actions and customers', async () => {
      const many = Array.from({ length: 101 }, (_, i) => String(900000 + i));
      const cases: unknown[] = [
        { action: 'priority', numbers: many, priority: 'Low' },
        { action: 'priority', numbers: ['1', '1'], priority: 'Low' },
        { action: 'priority', numbers: [], priority: 'Low' },
        { action: 'delete', numbers: ['1'] },
        { action: 'assign', numbers: ['1'] },
      ];
      for (const body of cases) {
        const res = await jane.post('/api/v1/tickets/bulk', body);
        expect([res.status, res.error().code], JSON.stringify(body).slice(0, 80)).toEqual([
          422,
          'validation_failed',
        ]);
      }
      const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
      const res = await karen.post('/api/v1/tickets/bulk', {
        action: 'close',
        numbers: [numbers.Support![0]],
      });
      expect(res.status).toBe(403);
    });
  });
});
