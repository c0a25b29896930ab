import { beforeAll, beforeEach, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.ts';
import { listEntries } from '../../src/modules/threads/threads.repository.ts';
import { postCustomerMessage, postNote, postReply } from '../../src/modules/threads/threads.service.ts';
import { assign, close, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import {
  T0,
  countRows,
  eventsFor,
  expectAppError,
  jobsFor,
  jobTypesFor,
  loadDesk,
  newTicket,
  reload,
  seedDesk,
  statusKeyOf,
  type Desk,
} from '../support/factories.ts';

describeEachDialect('threads', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  const reply = (number: string, body = 'We are on it.', setState?: 'open' | 'pending' | 'resolved') =>
    postReply(desk.deps, desk.jane, number, { body, ...(setState ? { setState } : {}) });

  it('a first reply sets first_response_at, moves Open to In progress and switches the SLA to resolution', async () => {
    const ticket = await newTicket(desk.deps);
    expect(ticket.sla_due_at).toBe(T0 + 480 * MINUTE);
    desk.clock.advance(10 * MINUTE);
    const { entry, ticket: after } = await reply(ticket.number);
    expect(entry).toMatchObject({ kind: 'reply', author_agent_id: desk.jane.id, body: 'We are on it.' });
    expect(after).toMatchObject({
      state: 'open',
      first_response_at: T0 + 10 * MINUTE,
      last_response_at: T0 + 10 * MINUTE,
    });
    expect(await statusKeyOf(desk.db, after)).toBe('in_progress');
    // Standard plan, Normal priority: resolution within 2880 minutes of creation.
    expect(after.sla_due_at).toBe(T0 + 2880 * MINUTE);
    const events = await eventsFor(desk.db, ticket.id);
    expect(events.map((e) => e.type)).toEqual(['created', 'replied', 'status_changed']);
    expect(events[1]).toMatchObject({
      actor_type: 'agent',
      actor_id: desk.jane.id,
      data: { entry: entry.id },
    });
  });

  it('first_response_at is set once; later replies only move last_response_at', async () => {
    const ticket = await newTicket(desk.deps);
    desk.clock.advance(MINUTE);
    await reply(ticket.number);
    desk.clock.advance(MINUTE);
    const { ticket: after } = await reply(ticket.number, 'More news.');
    expect(after.first_response_at).toBe(T0 + MINUTE);
    expect(after.last_response_at).toBe(T0 + 2 * MINUTE);
    expect(await statusKeyOf(desk.db, after)).toBe('in_progress');
    expect((await eventsFor(desk.db, ticket.id)).map((e) => e.type)).toEqual([
      'created',
      'replied',
      'status_changed',
      'replied',
    ]);
  });

  it('queues mail.reply with the entry', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    const { entry } = await reply(ticket.number);
    const jobs = await jobsFor(desk.db, ticket.id);
    expect(jobs.map((j) => [j.type, j.payload])).toEqual([
      ['mail.reply', { ticketId: ticket.id, entryId: entry.id }],
    ]);
  });

  it("setState 'pending' moves the ticket to Awaiting customer and pauses the SLA", async () => {
    const ticket = await newTicket(desk.deps);
    const { ticket: after } = await reply(ticket.number, 'Can you send a photo?', 'pending');
    expect(after.state).toBe('pending');
    expect(await statusKeyOf(desk.db, after)).toBe('awaiting_customer');
    expect(after.sla_due_at).toBeNull();
    expect(after.first_response_at).toBe(T0);
  });

  it("setState 'resolved' resolves the ticket with resolved_at", async () => {
    const ticket = await newTicket(desk.deps);
    desk.clock.advance(5 * MINUTE);
    const { ticket: after } = await reply(ticket.number, 'Fixed.', 'resolved');
    expect(after).toMatchObject({ state: 'resolved', resolved_at: T0 + 5 * MINUTE, sla_due_at: null });
    expect(await statusKeyOf(desk.db, after)).toBe('resolved');
    expect((await eventsFor(desk.db, ticket.id)).map((e) => e.type)).toEqual([
      'created',
      'replied',
      'resolved',
    ]);
  });

  it('sanitizes an HTML reply', async () => {
    const ticket = await newTicket(desk.deps);
    const { entry } = await postReply(desk.deps, desk.jane, ticket.number, {
      body: '<p>Hi <i>there</i></p><script>x()</script>',
      format: 'html',
    });
    expect(entry.body).toBe('<p>Hi <i>there</i></p>');
  });

  it('a reply on a closed ticket is refused with ticket_closed', async () => {
    const ticket = await newTicket(desk.deps);
    await close(desk.deps, desk.jane, ticket.number, { reason: 'duplicate' });
    const before = await countRows(desk.db);
    await expectAppError(reply(ticket.number), 'ticket_closed', 409);
    expect(await countRows(desk.db)).toEqual(before);
  });

  it('a note never changes the state, in any state, and is hidden from the customer view', async () => {
    const ticket = await newTicket(desk.deps);
    const { entry, ticket: open } = await postNote(desk.deps, desk.jane, ticket.number, {
      body: 'Looks like hardware.',
    });
    expect(entry).toMatchObject({ kind: 'note', author_agent_id: desk.jane.id });
    expect(open).toMatchObject({
      state: 'open',
      status_id: ticket.status_id,
      first_response_at: null,
      sla_due_at: ticket.sla_due_at,
    });

    await reply(ticket.number, 'Waiting on you', 'pending');
    const pending = await reload(desk.db, ticket.id);
    const { ticket: stillPending } = await postNote(desk.deps, desk.jane, ticket.number, { body: 'note 2' });
    expect(stillPending).toMatchObject({ state: 'pending', status_id: pending.status_id });

    await resolve(desk.deps, desk.jane, ticket.number);
    const resolved = await reload(desk.db, ticket.id);
    const { ticket: stillResolved } = await postNote(desk.deps, desk.jane, ticket.number, { body: 'note 3' });
    expect(stillResolved).toMatchObject({
      state: 'resolved',
      status_id: resolved.status_id,
      resolved_at: resolved.resolved_at,
    });

    const visible = await listEntries(desk.db, ticket.id, { includeNotes: false });
    expect(visible.map((e) => e.kind)).toEqual(['message', 'reply']);
    const all = await listEntries(desk.db, ticket.id, { includeNotes: true });
    expect(all.map((e) => e.kind)).toEqual(['message', 'note', 'reply', 'note', 'note']);
    expect((await eventsFor(desk.db, ticket.id)).filter((e) => e.type === 'noted')).toHaveLength(3);
  });

  it('a note by someone else notifies the assignee; the assignee noting does not', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    await assign(desk.deps, desk.jane, ticket.number, { assignee: desk.jane.id });
    await postNote(desk.deps, desk.jane, ticket.number, { body: 'mine' });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['notify.assigned']);
    const { entry } = await postNote(desk.deps, desk.admin, ticket.number, { body: 'from admin' });
    const jobs = await jobsFor(desk.db, ticket.id);
    expect(jobs.at(-1)).toMatchObject({
      type: 'notify.note',
      payload: { ticketId: ticket.id, entryId: entry.id },
    });
  });

  it('customers cannot post notes', async () => {
    const ticket = await newTicket(desk.deps);
    const before = await countRows(desk.db);
    await expectAppError(
      postNote(desk.deps, desk.karen, ticket.number, { body: 'sneaky' }),
      'forbidden',
      403,
    );
    expect(await countRows(desk.db)).toEqual(before);
  });

  it('agents cannot post customer messages', async () => {
    const ticket = await newTicket(desk.deps);
    await expectAppError(
      postCustomerMessage(desk.deps, desk.jane, ticket.number, { body: 'hi' }),
      'forbidden',
      403,
    );
  });

  it('a customer message on an open ticket keeps its state and notifies', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    desk.clock.advance(MINUTE);
    const { entry, ticket: after } = await postCustomerMessage(desk.deps, desk.karen, ticket.number, {
      body: 'Any news?',
    });
    expect(entry).toMatchObject({ kind: 'message', author_customer_id: desk.karen.id, source: 'web' });
    expect(after).toMatchObject({ state: 'open', status_id: ticket.status_id, last_message_at: T0 + MINUTE });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['notify.customer_replied']);
    expect((await eventsFor(desk.db, ticket.id)).map((e) => e.type)).toEqual(['created', 'customer_replied']);
  });

  it('a customer message on an awaiting-customer ticket puts it back In progress', async () => {
    const ticket = await newTicket(desk.deps);
    await reply(ticket.number, 'Photo please', 'pending');
    desk.clock.advance(2 * HOUR);
    const { ticket: after } = await postCustomerMessage(desk.deps, desk.karen, ticket.number, {
      body: 'Here it is',
      source: 'email',
    });
    expect(after.state).toBe('open');
    expect(await statusKeyOf(desk.db, after)).toBe('in_progress');
    // The two hours spent awaiting the customer paused the resolution clock.
    expect(after.sla_resolve_due_at).toBe(T0 + 2880 * MINUTE + 2 * HOUR);
    expect(after.sla_paused_ms).toBe(2 * HOUR);
    expect(after.sla_paused_at).toBeNull();
    const events = await eventsFor(desk.db, ticket.id);
    expect(events.at(-1)).toMatchObject({
      type: 'status_changed',
      actor_type: 'customer',
      data: { action: 'customer_reply' },
    });
  });

  it('a customer message on a resolved ticket within the reopen window reopens it', async () => {
    const ticket = await newTicket(desk.deps);
    await reply(ticket.number, 'Fixed', 'resolved');
    desk.clock.advance(3 * DAY);
    const { ticket: after } = await postCustomerMessage(desk.deps, desk.karen, ticket.number, {
      body: 'Broken again',
    });
    expect(after).toMatchObject({ state: 'open', reopen_count: 1, resolved_at: null, closed_at: null });
    expect(await statusKeyOf(desk.db, after)).toBe('open');
    const events = await eventsFor(desk.db, ticket.id);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['customer_replied', 'reopened']);
    expect(events.at(-1)).toMatchObject({ actor_type: 'customer', actor_id: desk.karen.id });
  });

  it('after the reopen window a customer message opens a new linked ticket and leaves the old one alone', async () => {
    const ticket = await newTicket(desk.deps, { subject: 'VPN down', helpTopic: 'Report a Problem' });
    await reply(ticket.number, 'Fixed', 'resolved');
    await close(desk.deps, desk.jane, ticket.number, { reason: 'confirmed by phone' });
    const old = await reload(desk.db, ticket.id);
    desk.clock.advance(15 * DAY);
    const { entry, ticket: followUp } = await postCustomerMessage(desk.deps, desk.karen, ticket.number, {
      body: 'VPN down again',
    });

    expect(followUp.id).not.toBe(old.id);
    expect(Number(followUp.number)).toBeGreaterThan(Number(old.number));
    expect(followUp).toMatchObject({
      subject: 'Re: VPN down',
      state: 'open',
      requester_id: desk.karen.id,
      department_id: old.department_id,
      help_topic_id: old.help_topic_id,
      priority_id: old.priority_id,
      linked_ticket_id: old.id,
      created_at: T0 + 15 * DAY,
    });
    expect(entry).toMatchObject({ ticket_id: followUp.id, kind: 'message', body: 'VPN down again' });
    expect((await eventsFor(desk.db, followUp.id))[0]).toMatchObject({
      type: 'created',
      data: { linkedTicket: old.id },
    });
    expect(await jobTypesFor(desk.db, followUp.id)).toEqual(['mail.acknowledgement', 'notify.new_ticket']);

    const oldAfter = await reload(desk.db, old.id);
    expect({ ...oldAfter, updated_at: 0 }).toEqual({ ...old, updated_at: 0 });
    expect(await listEntries(desk.db, old.id, { includeNotes: true })).toHaveLength(2);
    const oldEvents = await eventsFor(desk.db, old.id);
    expect(oldEvents.at(-1)).toMatchObject({
      type: 'linked',
      actor_type: 'customer',
      data: { followUp: followUp.id },
    });
    expect(oldEvents.map((e) => e.type)).toEqual(['created', 'replied', 'resolved', 'closed', 'linked']);
  });

  it('an agent outside the department cannot reply or note (ticket_not_found)', async () => {
    const ticket = await newTicket(desk.deps);
    const before = await countRows(desk.db);
    await expectAppError(
      postReply(desk.deps, desk.jerry, ticket.number, { body: 'hi' }),
      'ticket_not_found',
      404,
    );
    await expectAppError(
      postNote(desk.deps, desk.jerry, ticket.number, { body: 'hi' }),
      'ticket_not_found',
      404,
    );
    expect(await countRows(desk.db)).toEqual(before);
  });

  it('a customer cannot write on a ticket that is not theirs', async () => {
    const ticket = await newTicket(desk.deps, { requester: { email: 'someone@else.test' } });
    await expectAppError(
      postCustomerMessage(desk.deps, desk.karen, ticket.number, { body: 'hi' }),
      'ticket_not_found',
      404,
    );
  });

  it('rejects unknown fields and empty bodies', async () => {
    const ticket = await newTicket(desk.deps);
    const raw = { body: 'x', cc: 'x@y.z' } as unknown as { body: string };
    await expectAppError(postReply(desk.deps, desk.jane, ticket.number, raw), 'validation_failed', 422);
    await expectAppError(
      postNote(desk.deps, desk.jane, ticket.number, { body: '' }),
      'validation_failed',
      422,
    );
  });
});
