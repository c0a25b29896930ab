import { beforeAll, beforeEach, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.ts';
import { SYSTEM } from '../../src/modules/auth/auth.actor.ts';
import { postReply } from '../../src/modules/threads/threads.service.ts';
import {
  assign,
  autoClose,
  close,
  confirm,
  reopen,
  resolve,
  setDueDate,
  setHelpTopic,
  setPriority,
  setStatus,
  transfer,
} from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import {
  T0,
  countRows,
  eventsFor,
  expectAppError,
  idByName,
  jobsFor,
  jobTypesFor,
  loadDesk,
  newTicket,
  reload,
  seedDesk,
  statusKeyOf,
  type Desk,
} from '../support/factories.ts';

describeEachDialect('ticket actions', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
    await handle()
      .db.insertInto('statuses')
      .values({ name: 'Waiting on vendor', state: 'pending', key: null, pauses_sla: 1, sort: 6 })
      .execute();
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  /** A ticket with no intake jobs, so each test sees only the jobs its action queued. */
  const quietTicket = () => newTicket(desk.deps, { autorespond: false, alert: false });

  it('assigns to an agent: event and notify.assigned', async () => {
    const ticket = await quietTicket();
    const { ticket: after } = await assign(desk.deps, desk.jane, ticket.number, {
      assignee: 'jane@deskline.local',
    });
    expect(after.assignee_id).toBe(desk.jane.id);
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'assigned',
      actor_id: desk.jane.id,
      data: { before: null, after: desk.jane.id },
    });
    const jobs = await jobsFor(desk.db, ticket.id);
    expect(jobs.map((j) => [j.type, j.payload])).toEqual([
      ['notify.assigned', { ticketId: ticket.id, agentId: desk.jane.id }],
    ]);
  });

  it('assigns to a team: event and notify.team_assigned', async () => {
    const ticket = await quietTicket();
    const team = await idByName(desk.db, 'teams', 'SysAdmin');
    const { ticket: after } = await assign(desk.deps, desk.jane, ticket.number, { team: 'SysAdmin' });
    expect(after).toMatchObject({ team_id: team, assignee_id: null });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'assigned',
      data: { team: { before: null, after: team } },
    });
    expect((await jobsFor(desk.db, ticket.id)).map((j) => [j.type, j.payload])).toEqual([
      ['notify.team_assigned', { ticketId: ticket.id, teamId: team }],
    ]);
  });

  it('unassigns with null, without notifying anyone', async () => {
    const ticket = await quietTicket();
    await assign(desk.deps, desk.jane, ticket.number, { assignee: desk.jane.id });
    const { ticket: after } = await assign(desk.deps, desk.jane, ticket.number, { assignee: null });
    expect(after.assignee_id).toBeNull();
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'assigned',
      data: { before: desk.jane.id, after: null },
    });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['notify.assigned']);
  });

  it('an agent may take an unassigned ticket they can see through a team ("assign to me")', async () => {
    const ticket = await quietTicket();
    await assign(desk.deps, desk.jane, ticket.number, { team: 'SysAdmin' });
    const { ticket: after } = await assign(desk.deps, desk.jerry, ticket.number, { assignee: desk.jerry.id });
    expect(after.assignee_id).toBe(desk.jerry.id);
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'assigned',
      actor_id: desk.jerry.id,
    });
    // Taking is all he may do: handing it on needs the assign permission in Support.
    await expectAppError(
      assign(desk.deps, desk.jerry, ticket.number, { assignee: desk.jane.id }),
      'forbidden',
      403,
    );
  });

  it('"assign to me" also works with the agent\'s email, as every agent reference does', async () => {
    const ticket = await quietTicket();
    await assign(desk.deps, desk.jane, ticket.number, { team: 'SysAdmin' });
    const { ticket: after } = await assign(desk.deps, desk.jerry, ticket.number, {
      assignee: 'Jerry@deskline.local',
    });
    expect(after.assignee_id).toBe(desk.jerry.id);
  });

  it('refuses an assignee without access to the department or team (assignee_no_access)', async () => {
    const ticket = await quietTicket();
    const before = await countRows(desk.db);
    await expectAppError(
      assign(desk.deps, desk.jane, ticket.number, { assignee: 'jerry@deskline.local' }),
      'assignee_no_access',
      422,
    );
    expect(await countRows(desk.db)).toEqual(before);
    expect((await reload(desk.db, ticket.id)).assignee_id).toBeNull();
    // Handing the ticket to his team in the same call gives him access.
    const { ticket: after } = await assign(desk.deps, desk.jane, ticket.number, {
      assignee: 'jerry@deskline.local',
      team: 'SysAdmin',
    });
    expect(after.assignee_id).toBe(desk.jerry.id);
  });

  it('transfers to another department and unassigns an assignee without access there', async () => {
    const ticket = await quietTicket();
    await assign(desk.deps, desk.jane, ticket.number, { assignee: desk.jane.id });
    const billing = await idByName(desk.db, 'departments', 'Billing');
    const { ticket: after } = await transfer(desk.deps, desk.jane, ticket.number, {
      department: 'Billing',
      note: 'invoice problem',
    });
    expect(after).toMatchObject({ department_id: billing, assignee_id: null });
    const events = await eventsFor(desk.db, ticket.id);
    expect(events.slice(-2)).toMatchObject([
      {
        type: 'transferred',
        data: { before: ticket.department_id, after: billing, note: 'invoice problem' },
      },
      { type: 'assigned', data: { before: desk.jane.id, after: null } },
    ]);
    expect((await jobsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'notify.transferred',
      payload: { departmentId: billing },
    });
  });

  it('keeps an assignee who has access in the new department; a transfer to the same department is a no-op', async () => {
    const ticket = await quietTicket();
    await assign(desk.deps, desk.jane, ticket.number, { assignee: desk.admin.id });
    const { ticket: after } = await transfer(desk.deps, desk.jane, ticket.number, { department: 'SysAdmin' });
    expect(after.assignee_id).toBe(desk.admin.id);
    const count = (await eventsFor(desk.db, ticket.id)).length;
    await transfer(desk.deps, desk.admin, ticket.number, { department: 'SysAdmin' });
    expect(await eventsFor(desk.db, ticket.id)).toHaveLength(count);
  });

  it('setPriority recomputes the SLA due time', async () => {
    const ticket = await newTicket(desk.deps);
    expect(ticket.sla_due_at).toBe(T0 + 480 * MINUTE);
    const { ticket: high } = await setPriority(desk.deps, desk.jane, ticket.number, { priority: 'High' });
    expect(high).toMatchObject({ priority_level: 3, sla_due_at: T0 + 120 * MINUTE });
    const { ticket: emergency } = await setPriority(desk.deps, desk.jane, ticket.number, {
      priority: await idByName(desk.db, 'priorities', 'Emergency'),
    });
    expect(emergency.sla_due_at).toBe(T0 + 30 * MINUTE);
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'priority_changed',
      data: { after: emergency.priority_id },
    });
  });

  it('setPriority on a pending ticket keeps the SLA paused', async () => {
    const ticket = await newTicket(desk.deps);
    await postReply(desk.deps, desk.jane, ticket.number, { body: 'Logs?', setState: 'pending' });
    const { ticket: after } = await setPriority(desk.deps, desk.jane, ticket.number, {
      priority: 'Emergency',
    });
    expect(after).toMatchObject({ state: 'pending', priority_level: 4, sla_due_at: null });
  });

  it('setHelpTopic and setDueDate record their events', async () => {
    const ticket = await quietTicket();
    const topic = await idByName(desk.db, 'help_topics', 'Feature Request');
    expect(
      (await setHelpTopic(desk.deps, desk.jane, ticket.number, { helpTopic: 'feature request' })).ticket
        .help_topic_id,
    ).toBe(topic);
    const due = T0 + 2 * DAY;
    expect((await setDueDate(desk.deps, desk.jane, ticket.number, { dueAt: due })).ticket.due_at).toBe(due);
    expect((await setDueDate(desk.deps, desk.jane, ticket.number, { dueAt: null })).ticket.due_at).toBeNull();
    const events = await eventsFor(desk.db, ticket.id);
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'help_topic_changed',
      'due_date_changed',
      'due_date_changed',
    ]);
    expect(events[1]!.data).toEqual({ before: null, after: topic });
  });

  it('setStatus by name reaches an admin-added status and back', async () => {
    const ticket = await newTicket(desk.deps);
    const vendor = await desk.db
      .selectFrom('statuses')
      .selectAll()
      .where('name', '=', 'Waiting on vendor')
      .executeTakeFirstOrThrow();
    const { ticket: waiting } = await setStatus(desk.deps, desk.jane, ticket.number, {
      status: 'waiting on vendor',
    });
    expect(waiting).toMatchObject({ state: 'pending', status_id: vendor.id, sla_due_at: null });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'status_changed',
      data: {
        before: { state: 'open', status: ticket.status_id },
        after: { state: 'pending', status: vendor.id },
      },
    });
    const { ticket: back } = await setStatus(desk.deps, desk.jane, ticket.number, { status: 'In progress' });
    expect(back.state).toBe('open');
    expect(await statusKeyOf(desk.db, back)).toBe('in_progress');
    expect(back.sla_due_at).toBe(T0 + 480 * MINUTE);
  });

  it('setStatus to Closed needs a reason', async () => {
    const ticket = await newTicket(desk.deps);
    await expectAppError(
      setStatus(desk.deps, desk.jane, ticket.number, { status: 'Closed' }),
      'reason_required',
      422,
    );
    const { ticket: closed } = await setStatus(desk.deps, desk.jane, ticket.number, {
      status: 'closed',
      reason: 'spam',
    });
    expect(closed).toMatchObject({ state: 'closed', closed_at: T0, resolved_at: T0 });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'closed',
      data: { reason: 'spam' },
    });
  });

  it('resolve sets resolved_at, stops the SLA and queues mail.resolved', async () => {
    const ticket = await quietTicket();
    desk.clock.advance(HOUR);
    const { ticket: after } = await resolve(desk.deps, desk.jane, ticket.number);
    expect(after).toMatchObject({
      state: 'resolved',
      resolved_at: T0 + HOUR,
      closed_at: null,
      sla_due_at: null,
    });
    expect(await statusKeyOf(desk.db, after)).toBe('resolved');
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'resolved',
      actor_id: desk.jane.id,
      data: { action: 'resolve' },
    });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['mail.resolved', 'mail.survey']);
  });

  it('close requires a reason and records it', async () => {
    const ticket = await quietTicket();
    const before = await countRows(desk.db);
    await expectAppError(close(desk.deps, desk.jane, ticket.number, {}), 'reason_required', 422);
    await expectAppError(
      close(desk.deps, desk.jane, ticket.number, { reason: '   ' }),
      'reason_required',
      422,
    );
    expect(await countRows(desk.db)).toEqual(before);
    const { ticket: after } = await close(desk.deps, desk.jane, ticket.number, {
      reason: 'Duplicate of another ticket',
    });
    expect(after).toMatchObject({ state: 'closed', closed_at: T0, resolved_at: T0 });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'closed',
      data: { reason: 'Duplicate of another ticket' },
    });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['mail.closed', 'mail.survey']);
  });

  it('an agent reopens a resolved ticket', async () => {
    const ticket = await quietTicket();
    await resolve(desk.deps, desk.jane, ticket.number);
    desk.clock.advance(30 * DAY);
    const { ticket: after } = await reopen(desk.deps, desk.jane, ticket.number, {
      reason: 'customer called',
    });
    expect(after).toMatchObject({
      state: 'open',
      reopen_count: 1,
      resolved_at: null,
      closed_at: null,
      // The 30 days spent resolved do not count against the SLA.
      sla_due_at: T0 + 30 * DAY + 480 * MINUTE,
    });
    expect(await statusKeyOf(desk.db, after)).toBe('open');
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'reopened',
      data: { reason: 'customer called' },
    });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual([
      'mail.resolved',
      'mail.survey',
      'notify.reopened',
    ]);
  });

  it('a customer reopens within the window, and not after it', async () => {
    const ticket = await quietTicket();
    await resolve(desk.deps, desk.jane, ticket.number);
    desk.clock.advance(14 * DAY);
    const { ticket: reopened } = await reopen(desk.deps, desk.karen, ticket.number);
    expect(reopened).toMatchObject({ state: 'open', reopen_count: 1 });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'reopened',
      actor_type: 'customer',
      actor_id: desk.karen.id,
    });

    await close(desk.deps, desk.jane, ticket.number, { reason: 'done' });
    desk.clock.advance(15 * DAY);
    const before = await countRows(desk.db);
    await expectAppError(reopen(desk.deps, desk.karen, ticket.number), 'reopen_window_passed', 409);
    expect(await countRows(desk.db)).toEqual(before);
    expect((await reload(desk.db, ticket.id)).state).toBe('closed');
  });

  it('the customer confirms a resolved ticket, which closes it', async () => {
    const ticket = await quietTicket();
    await expectAppError(confirm(desk.deps, desk.karen, ticket.number), 'invalid_transition', 409);
    await resolve(desk.deps, desk.jane, ticket.number);
    await expectAppError(confirm(desk.deps, desk.jane, ticket.number), 'forbidden', 403);
    desk.clock.advance(DAY);
    const { ticket: after } = await confirm(desk.deps, desk.karen, ticket.number);
    expect(after).toMatchObject({ state: 'closed', resolved_at: T0, closed_at: T0 + DAY });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'closed',
      actor_type: 'customer',
      data: { action: 'confirm' },
    });
  });

  it('autoClose closes a resolved ticket only once it is due', async () => {
    const ticket = await quietTicket();
    await expectAppError(autoClose(desk.deps, SYSTEM, ticket.number), 'invalid_transition', 409);
    await resolve(desk.deps, desk.jane, ticket.number);
    desk.clock.advance(7 * DAY - MINUTE);
    await expectAppError(autoClose(desk.deps, SYSTEM, ticket.number), 'not_due', 409);
    await expectAppError(autoClose(desk.deps, desk.jane, ticket.number), 'forbidden', 403);
    desk.clock.advance(MINUTE);
    const { ticket: after } = await autoClose(desk.deps, SYSTEM, ticket.number);
    expect(after).toMatchObject({ state: 'closed', closed_at: T0 + 7 * DAY, resolved_at: T0 });
    expect((await eventsFor(desk.db, ticket.id)).at(-1)).toMatchObject({
      type: 'closed',
      actor_type: 'system',
      actor_id: null,
    });
  });

  it('field edits on a closed ticket fail with ticket_closed and change nothing', async () => {
    const ticket = await quietTicket();
    await close(desk.deps, desk.jane, ticket.number, { reason: 'spam' });
    const closed = await reload(desk.db, ticket.id);
    const before = await countRows(desk.db);
    const n = ticket.number;
    await expectAppError(setPriority(desk.deps, desk.jane, n, { priority: 'High' }), 'ticket_closed', 409);
    await expectAppError(assign(desk.deps, desk.jane, n, { assignee: desk.jane.id }), 'ticket_closed', 409);
    await expectAppError(transfer(desk.deps, desk.jane, n, { department: 'Billing' }), 'ticket_closed', 409);
    await expectAppError(
      setHelpTopic(desk.deps, desk.jane, n, { helpTopic: 'General Inquiry' }),
      'ticket_closed',
      409,
    );
    await expectAppError(setDueDate(desk.deps, desk.jane, n, { dueAt: T0 + DAY }), 'ticket_closed', 409);
    await expectAppError(close(desk.deps, desk.jane, n, { reason: 'again' }), 'invalid_transition', 409);
    expect(await countRows(desk.db)).toEqual(before);
    expect(await reload(desk.db, ticket.id)).toEqual(closed);
  });
});
