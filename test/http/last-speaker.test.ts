import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostedOut, TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';

// Issue 19, queue signals: every ticket says who wrote last — the customer
// (their message, intake included) or staff (a reply); a note changes nothing.
// The queue row carries it, so the panel can show who is waiting on whom.

describeEachDialect('who spoke last', (handle) => {
  let api: Harness;
  let jane: Client;
  let karen: Client;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  const speakerOf = async (number: string) => {
    const row = (await jane.get('/api/v1/tickets?queue=open&limit=100'))
      .as(TicketPageOut)
      .items.find((t) => t.number === number);
    return (
      row && {
        lastSpeaker: row.lastSpeaker,
        lastMessageAt: row.lastMessageAt,
        lastResponseAt: row.lastResponseAt,
      }
    );
  };

  it('follows the conversation: customer, staff, a note (no change), customer again', async () => {
    const opened = await karen.post('/api/v1/tickets', {
      subject: 'Printer offline',
      body: 'The printer on floor 3 is offline.',
      requester: { email: 'karen@example.com' },
    });
    expect(opened.status, opened.body).toBe(201);
    const { number } = opened.as(TicketOut);
    expect(opened.as(TicketOut)).toMatchObject({
      lastSpeaker: 'customer',
      lastMessageAt: '2025-01-06T09:00:00.000Z',
      lastResponseAt: null,
    });

    api.desk.clock.advance(60_000);
    const replied = await jane.post(`/api/v1/tickets/${number}/replies`, { body: 'Restarting it now.' });
    expect(replied.as(PostedOut).ticket.lastSpeaker).toBe('agent');
    expect(await speakerOf(number)).toEqual({
      lastSpeaker: 'agent',
      lastMessageAt: '2025-01-06T09:00:00.000Z',
      lastResponseAt: '2025-01-06T09:01:00.000Z',
    });

    api.desk.clock.advance(60_000);
    await jane.post(`/api/v1/tickets/${number}/notes`, { body: 'Toner low too.' });
    expect((await speakerOf(number))?.lastSpeaker).toBe('agent');

    api.desk.clock.advance(60_000);
    const back = await karen.post(`/api/v1/tickets/${number}/replies`, { body: 'Still offline.' });
    expect(back.status, back.body).toBe(201);
    expect(await speakerOf(number)).toEqual({
      lastSpeaker: 'customer',
      lastMessageAt: '2025-01-06T09:03:00.000Z',
      lastResponseAt: '2025-01-06T09:01:00.000Z',
    });
  });
});
