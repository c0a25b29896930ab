import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { T0 } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Client, type Harness, type Session } from '../support/http.ts';
import { TicketDetailOut, TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

// Issue 17 item 5. A due date of 8640000000000001 ms (past the last day a
// JavaScript Date can hold) used to be accepted; afterwards every list
// holding the ticket answered 500, and so did the ticket itself, through its
// "due date changed" event. Times are now held to the years 2000–2200 at the
// edge, and a bad value stored by an older version reads as invalid.

const TOO_FAR = 8_640_000_000_000_001;
const DAY = 24 * 3600 * 1000;

describeEachDialect('instants', (handle) => {
  let api: Harness;
  let jane: Session;
  let karen: Session;
  let key: Client & { key: string };
  let number = '';

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    key = await api.withKey();
    const opened = await karen.post('/api/v1/tickets', {
      subject: 'Printer quokka jammed',
      body: 'Paper everywhere',
      requester: { email: 'karen@example.com' },
    });
    expect(opened.status).toBe(201);
    number = opened.as(TicketOut).number;
    expect((await jane.patch(`/api/v1/tickets/${number}`, { assignee: 'jane@deskline.local' })).status).toBe(
      200,
    );
  });
  afterAll(() => api.close());

  it('refuses times outside 2000–2200 at every input with 422', async () => {
    const due = (dueAt: unknown) => jane.post(`/api/v1/tickets/${number}/due-date`, { dueAt });
    for (const dueAt of [TOO_FAR, Number.MAX_SAFE_INTEGER, Date.UTC(1999, 11, 31), Date.UTC(2201, 0, 1), 1]) {
      const res = await due(dueAt);
      expect([res.status, res.error().code]).toEqual([422, 'validation_failed']);
    }
    expect((await jane.patch(`/api/v1/tickets/${number}`, { dueAt: TOO_FAR })).status).toBe(422);
    const create = await key.post('/api/v1/tickets', {
      subject: 'Far away',
      body: 'x',
      requester: { email: 'far@example.com' },
      dueAt: TOO_FAR,
    });
    expect([create.status, (create.error().details as { path: string }[])[0]!.path]).toEqual([422, 'dueAt']);
    // osTicket's duedate: invalid fields are its 500, never a ticket.
    const compat = await api.postRaw(
      '/api/tickets.json',
      JSON.stringify({
        email: 'far@example.com',
        name: 'Far',
        subject: 'x',
        message: 'y',
        duedate: '9999-12-31',
      }),
      'application/json',
      { 'x-api-key': key.key },
    );
    expect(compat.status).toBe(500);
    const admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const preview = await admin.post('/api/v1/routing/preview', {
      ticket: { subject: 's', from: 'a@example.com', at: '1900-01-01T00:00:00Z' },
    });
    expect(preview.status).toBe(422);
    const report = await jane.get('/api/v1/reports/volume?from=1999-12-30&to=2000-01-02');
    expect(report.status).toBe(422);
    // In range is fine, at both ends.
    expect((await due(Date.UTC(2000, 0, 1))).status).toBe(200);
    expect((await due(Date.UTC(2200, 11, 31, 23, 59, 59, 999))).status).toBe(200);
    expect((await due(T0 + 3 * DAY)).as(TicketOut).dueAt).toBe(new Date(T0 + 3 * DAY).toISOString());
  });

  it('a bad time already stored shows as invalid; every list and the ticket answer 200', async () => {
    // As an older version stored it: the ticket's due date and its "due date changed" event.
    const db = handle().db;
    const row = await db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    await db.updateTable('tickets').set({ due_at: TOO_FAR }).where('id', '=', row.id).execute();
    await db
      .updateTable('ticket_events')
      .set({ data: JSON.stringify({ before: null, after: TOO_FAR }) })
      .where('ticket_id', '=', row.id)
      .where('type', '=', 'due_date_changed')
      .execute();

    const lists: [Client, string][] = [
      [jane, '/api/v1/tickets?queue=open'],
      [jane, '/api/v1/tickets?queue=mine'],
      [jane, '/api/v1/tickets?q=quokka'],
      [jane, '/api/v1/tickets?sort=due'],
      [karen, '/api/v1/tickets'],
      [karen, '/api/v1/tickets?q=quokka'],
    ];
    for (const [who, url] of lists) {
      const res = await who.get(url);
      expect([url, res.status]).toEqual([url, 200]);
      const item = res.as(TicketPageOut).items.find((t) => t.number === number);
      expect([url, item?.dueAt]).toEqual([url, null]);
    }
    for (const who of [jane, karen]) {
      const detail = await who.get(`/api/v1/tickets/${number}`);
      expect(detail.status).toBe(200);
      expect(detail.as(TicketDetailOut).dueAt).toBeNull();
      expect((await who.get(`/api/v1/tickets/${number}/thread`)).status).toBe(200);
    }
    // Staff see the event (customers never see internal events).
    const thread = (await jane.get(`/api/v1/tickets/${number}/thread`)).as(TicketDetailOut.shape.thread);
    const events = thread.filter((e) => e.type === 'due_date_changed');
    expect(events.map((e) => e.body)).toContain('Due date: invalid date');
    // And the ticket can be put right.
    const cleared = await jane.post(`/api/v1/tickets/${number}/due-date`, { dueAt: null });
    expect([cleared.status, cleared.as(TicketOut).dueAt]).toEqual([200, null]);
  });
});
