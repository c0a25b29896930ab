import { beforeAll, beforeEach, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.ts';
import { SYSTEM } from '../../src/modules/auth/auth.actor.ts';
import { listEntries } from '../../src/modules/threads/threads.repository.ts';
import { describeEachDialect } from '../support/db.ts';
import {
  T0,
  agentId,
  eventsFor,
  idByName,
  jobsFor,
  jobTypesFor,
  loadDesk,
  newTicket,
  seedDesk,
  statusKeyOf,
  type Desk,
} from '../support/factories.ts';

describeEachDialect('createTicket', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  it('numbers tickets with digits only, sequentially from 100001', async () => {
    const first = await newTicket(desk.deps);
    const second = await newTicket(desk.deps);
    expect(first.number).toBe('100001');
    expect(second.number).toBe('100002');
    expect(first.number).toMatch(/^\d+$/);
  });

  it.each(['email', 'web', 'phone', 'api', 'other'] as const)(
    'opens a ticket from the %s channel',
    async (source) => {
      const ticket = await newTicket(desk.deps, { source, subject: `From ${source}` });
      expect(ticket).toMatchObject({
        source,
        subject: `From ${source}`,
        state: 'open',
        created_at: T0,
        last_message_at: T0,
      });
      expect(await statusKeyOf(desk.db, ticket)).toBe('open');
      const entries = await listEntries(desk.db, ticket.id, { includeNotes: true });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        kind: 'message',
        source,
        author_customer_id: desk.karen.id,
        format: 'text',
      });
    },
  );

  it('creates the requester when the address is new', async () => {
    const ticket = await newTicket(desk.deps, {
      requester: { email: 'New.Person@Acme.test', name: 'New Person', phone: '+1 555 0199' },
    });
    const customer = await desk.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', ticket.requester_id)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({
      email: 'new.person@acme.test',
      name: 'New Person',
      phone: '+1 555 0199',
      created_at: T0,
    });
  });

  it('matches an existing requester by email, case-insensitively', async () => {
    const before = await desk.db.selectFrom('customers').select('id').execute();
    const ticket = await newTicket(desk.deps, { requester: { email: '  KAREN@Example.COM ' } });
    expect(ticket.requester_id).toBe(desk.karen.id);
    expect(ticket.organization_id).toBe(desk.karen.organizationId);
    expect(await desk.db.selectFrom('customers').select('id').execute()).toHaveLength(before.length);
  });

  it('applies the help topic defaults: department, emergency priority, SLA plan and its first-response target', async () => {
    const ticket = await newTicket(desk.deps, { helpTopic: 'Business Critical Outage' });
    expect(ticket).toMatchObject({
      help_topic_id: await idByName(desk.db, 'help_topics', 'Business Critical Outage'),
      department_id: await idByName(desk.db, 'departments', 'Support'),
      priority_id: await idByName(desk.db, 'priorities', 'Emergency'),
      priority_level: 4,
      sla_plan_id: await idByName(desk.db, 'sla_plans', 'Critical Outage'),
      sla_due_at: T0 + 15 * MINUTE,
    });
  });

  it('without a topic uses the default department, the default priority and the department SLA plan', async () => {
    const ticket = await newTicket(desk.deps);
    expect(ticket).toMatchObject({
      help_topic_id: null,
      department_id: await idByName(desk.db, 'departments', 'Support'),
      priority_id: await idByName(desk.db, 'priorities', 'Normal'),
      priority_level: 2,
      sla_plan_id: await idByName(desk.db, 'sla_plans', 'Standard'),
      sla_due_at: T0 + 480 * MINUTE,
    });
  });

  it('takes an explicit department and priority by name, over the topic defaults', async () => {
    const ticket = await newTicket(desk.deps, {
      helpTopic: 'Business Critical Outage',
      department: 'billing',
      priority: 'HIGH',
    });
    expect(ticket.department_id).toBe(await idByName(desk.db, 'departments', 'Billing'));
    expect(ticket.priority_id).toBe(await idByName(desk.db, 'priorities', 'High'));
    expect(ticket.priority_level).toBe(3);
    // The topic's SLA plan still applies, at the chosen priority's target (30 min for level 3).
    expect(ticket.sla_due_at).toBe(T0 + 30 * MINUTE);
  });

  it('takes an explicit department, priority, team and assignee by id', async () => {
    const sysadmin = await idByName(desk.db, 'departments', 'SysAdmin');
    const low = await idByName(desk.db, 'priorities', 'Low');
    const team = await idByName(desk.db, 'teams', 'SysAdmin');
    const jerry = await agentId(desk.db, 'jerry@deskline.local');
    const ticket = await newTicket(desk.deps, {
      department: sysadmin,
      priority: String(low),
      team,
      assignee: jerry,
    });
    expect(ticket).toMatchObject({
      department_id: sysadmin,
      priority_id: low,
      priority_level: 1,
      team_id: team,
      assignee_id: jerry,
    });
  });

  it("records a 'created' event with the actor and the choices made", async () => {
    const ticket = await newTicket(desk.deps, { source: 'phone' }, desk.jane);
    const events = await eventsFor(desk.db, ticket.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'created',
      actor_type: 'agent',
      actor_id: desk.jane.id,
      created_at: T0,
      data: {
        source: 'phone',
        department: ticket.department_id,
        priority: ticket.priority_id,
        helpTopic: null,
        team: null,
        assignee: null,
      },
    });
    const bySystem = await newTicket(desk.deps, {}, SYSTEM);
    expect((await eventsFor(desk.db, bySystem.id))[0]).toMatchObject({
      type: 'created',
      actor_type: 'system',
      actor_id: null,
    });
    const byCustomer = await newTicket(desk.deps, {}, desk.karen);
    expect((await eventsFor(desk.db, byCustomer.id))[0]).toMatchObject({
      actor_type: 'customer',
      actor_id: desk.karen.id,
    });
  });

  it('queues the acknowledgement and the new-ticket alert by default', async () => {
    const ticket = await newTicket(desk.deps);
    const jobs = await jobsFor(desk.db, ticket.id);
    expect(jobs.map((j) => j.type)).toEqual(['mail.acknowledgement', 'notify.new_ticket']);
    const row = await desk.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', jobs[0]!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', run_at: T0, attempts: 0 });
  });

  it('skips the acknowledgement when autorespond is false and the alert when alert is false', async () => {
    const quiet = await newTicket(desk.deps, { autorespond: false });
    expect(await jobTypesFor(desk.db, quiet.id)).toEqual(['notify.new_ticket']);
    const noAlert = await newTicket(desk.deps, { alert: false });
    expect(await jobTypesFor(desk.db, noAlert.id)).toEqual(['mail.acknowledgement']);
    const silent = await newTicket(desk.deps, { autorespond: false, alert: false });
    expect(await jobTypesFor(desk.db, silent.id)).toEqual([]);
  });

  it('skips the acknowledgement when the help topic turns auto-responses off', async () => {
    await desk.db
      .updateTable('help_topics')
      .set({ auto_response: 0 })
      .where('name', '=', 'Feature Request')
      .execute();
    const ticket = await newTicket(desk.deps, { helpTopic: 'Feature Request' });
    expect(await jobTypesFor(desk.db, ticket.id)).toEqual(['notify.new_ticket']);
  });

  it('queues notify.assigned for an assignee given at intake', async () => {
    const jane = await agentId(desk.db, 'jane@deskline.local');
    const ticket = await newTicket(desk.deps, { assignee: 'jane@deskline.local' }, desk.jane);
    expect(ticket.assignee_id).toBe(jane);
    const jobs = await jobsFor(desk.db, ticket.id);
    expect(jobs.map((j) => j.type)).toEqual(['mail.acknowledgement', 'notify.new_ticket', 'notify.assigned']);
    expect(jobs[2]!.payload).toEqual({ ticketId: ticket.id, agentId: jane });
  });

  it('adds collaborators, creating new ones and skipping the requester', async () => {
    const ticket = await newTicket(desk.deps, {
      collaborators: [
        { email: 'boss@acme.test', name: 'The Boss' },
        { email: 'Karen@Example.com' },
        { email: 'ops@acme.test' },
        { email: 'BOSS@acme.test' },
      ],
    });
    const rows = await desk.db
      .selectFrom('ticket_collaborators')
      .innerJoin('customers', 'customers.id', 'ticket_collaborators.customer_id')
      .select(['customers.email', 'customers.name'])
      .where('ticket_collaborators.ticket_id', '=', ticket.id)
      .orderBy('customers.email')
      .execute();
    expect(rows).toEqual([
      { email: 'boss@acme.test', name: 'The Boss' },
      { email: 'ops@acme.test', name: 'ops' },
    ]);
  });

  it('adds the initial internal note (osTicket `notes`) by the acting agent', async () => {
    const ticket = await newTicket(desk.deps, { note: 'Called in by phone, very upset.' }, desk.jane);
    const all = await listEntries(desk.db, ticket.id, { includeNotes: true });
    expect(all.map((e) => e.kind)).toEqual(['message', 'note']);
    expect(all[1]).toMatchObject({ body: 'Called in by phone, very upset.', author_agent_id: desk.jane.id });
    const visible = await listEntries(desk.db, ticket.id, { includeNotes: false });
    expect(visible.map((e) => e.kind)).toEqual(['message']);
  });

  it('sanitizes an HTML body: scripts and handlers removed, formatting kept', async () => {
    const body =
      '<p>Hello <b>team</b>, <em>urgent</em></p><script>alert("x")</script><ul><li>one</li></ul><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">bad</a>';
    const ticket = await newTicket(desk.deps, { body, format: 'html' });
    const [entry] = await listEntries(desk.db, ticket.id, { includeNotes: true });
    expect(entry!.format).toBe('html');
    expect(entry!.body).toContain('<p>Hello <b>team</b>, <em>urgent</em></p>');
    expect(entry!.body).toContain('<ul><li>one</li></ul>');
    expect(entry!.body).not.toMatch(/script|onerror|javascript:/i);
  });

  it('keeps a plain-text body exactly as written', async () => {
    const body = 'Use <b>bold</b>? 2 < 3 & "quotes"';
    const ticket = await newTicket(desk.deps, { body });
    const [entry] = await listEntries(desk.db, ticket.id, { includeNotes: true });
    expect(entry!.body).toBe(body);
  });

  it('stores the inbound Message-ID and an explicit due date', async () => {
    const dueAt = T0 + 3 * 24 * 60 * MINUTE;
    const ticket = await newTicket(desk.deps, { source: 'email', messageId: '<abc@mail.test>', dueAt });
    expect(ticket.due_at).toBe(dueAt);
    const [entry] = await listEntries(desk.db, ticket.id, { includeNotes: true });
    expect(entry!.message_id).toBe('<abc@mail.test>');
  });

  it('forbids customers from assigning or adding notes at intake', async () => {
    await expect(newTicket(desk.deps, { note: 'psst' }, desk.karen)).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    await expect(newTicket(desk.deps, { team: 'SysAdmin' }, desk.karen)).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
  });
});
