import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.ts';
import { startSmtpListener, type SmtpListener } from '../../src/modules/mail/mail.smtp-listener.ts';
import { postCustomerMessage } from '../../src/modules/threads/threads.service.ts';
import { close } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { smtpClient } from '../support/mail.ts';
import { z } from 'zod';
import { InboundItemOut } from '../../src/contract/mail.contract.ts';
import { RejectionOut, RoutingPreviewOut } from '../../src/contract/routing.contract.ts';
import { TicketDetailOut, TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

/** A routing rule as listed (its full shape is routing.admin-tables.ts's RoutingRuleOut, server-side): the fields read here, the rest kept. */
const RuleRow = z.looseObject({
  id: z.number(),
  name: z.string(),
  sort: z.number(),
  conditions: z.array(z.unknown()),
});
const Rules = z.object({ items: z.array(RuleRow) });
const Rejections = z.object({ items: z.array(RejectionOut) });
const Inbound = z.object({ items: z.array(InboundItemOut) });

// Routing rules through the admin API, applied on every channel: mail over a
// real SMTP connection, the REST API, and osTicket's tickets.json.

describeEachDialect('routing rules', (handle) => {
  let api: Harness;
  let admin: Session;
  let listener: SmtpListener;
  let ids: Record<string, number>;

  const rule = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/routing-rules', body);
    expect(res.status, res.body).toBe(201);
    return res.as(RuleRow);
  };
  const ticketBy = async (subject: string) => {
    const row = await api.desk.db
      .selectFrom('tickets')
      .select('number')
      .where('subject', '=', subject)
      .executeTakeFirst();
    if (!row) return undefined;
    return (await admin.get(`/api/v1/tickets/${row.number}`)).as(TicketDetailOut);
  };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    listener = await startSmtpListener(api.desk.deps, { port: 0, host: '127.0.0.1' });
    const db = api.desk.db;
    ids = {
      sysadmin: await idByName(db, 'departments', 'SysAdmin'),
      billing: await idByName(db, 'departments', 'Billing'),
      emergency: await idByName(db, 'priorities', 'Emergency'),
      high: await idByName(db, 'priorities', 'High'),
      outage: await idByName(db, 'sla_plans', 'Critical Outage'),
      sysadminTeam: await idByName(db, 'teams', 'SysAdmin'),
      jerry: api.desk.jerry.id,
    };
  });
  afterAll(async () => {
    await listener?.close();
    await api?.close();
  });

  it('mail from @bank.example about an outage goes to SysAdmin at emergency priority', async () => {
    await rule({
      name: 'Bank outages',
      conditions: [
        { field: 'from_domain', op: 'equals', value: 'bank.example' },
        { field: 'subject', op: 'contains', value: 'outage' },
      ],
      actions: [
        { type: 'set_department', departmentId: ids.sysadmin },
        { type: 'set_priority', priorityId: ids.emergency },
        { type: 'set_sla_plan', slaPlanId: ids.outage },
        { type: 'set_team', teamId: ids.sysadminTeam },
        { type: 'add_tags', tags: ['Bank', 'outage'] },
      ],
    });
    const client = smtpClient(listener.port);
    try {
      await client.send({
        from: 'ops@bank.example',
        to: 'support@deskline.local',
        subject: 'Mobile banking OUTAGE',
        text: 'Nothing loads.',
      });
      await client.send({
        from: 'ops@bank.example.com',
        to: 'support@deskline.local',
        subject: 'Another outage',
        text: 'Lookalike domain.',
      });
      await client.send({
        from: 'ops@bank.example',
        to: 'support@deskline.local',
        subject: 'Statement question',
        text: 'No outage words here.',
      });
    } finally {
      client.close();
    }
    const routed = (await ticketBy('Mobile banking OUTAGE'))!;
    expect(routed).toMatchObject({
      department: 'SysAdmin',
      priority: 'Emergency',
      team: 'SysAdmin',
      tags: ['bank', 'outage'],
    });
    // The outage plan's emergency targets: first response in 15 minutes.
    expect(Date.parse(routed.sla!.firstResponseDueAt!) - Date.parse(routed.createdAt)).toBe(15 * 60_000);
    const created = routed.thread.find((i) => i.type === 'created');
    expect(created).toMatchObject({
      kind: 'event',
      body: 'Ticket opened via email',
      author: { type: 'system', id: null, name: 'System', email: null },
    });
    expect(await ticketBy('Another outage')).toMatchObject({
      department: 'Support',
      priority: 'Normal',
      tags: [],
    });
    expect(await ticketBy('Statement question')).toMatchObject({ department: 'Support' });
  });

  it('a rejecting rule refuses the request on every channel and keeps it for the admin', async () => {
    const r = await rule({
      name: 'Spam domain',
      sort: 1,
      conditions: [{ field: 'from_domain', op: 'in', value: ['spam.example', 'junk.example'] }],
      actions: [{ type: 'reject', reason: 'known spam source' }],
    });
    const before = await api.desk.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const key = await api.withKey();
    const viaApi = await key.post('/api/v1/tickets', {
      subject: 'Cheap pills',
      body: 'Buy now',
      requester: { email: 'bot@spam.example' },
    });
    expect(viaApi.status).toBe(403);
    expect(viaApi.error().code).toBe('rejected_by_rule');
    expect(viaApi.body).not.toContain('Spam domain'); // the sender is not told which rule
    const viaCompat = await api.postRaw(
      '/api/tickets.json',
      JSON.stringify({ name: 'Bot', email: 'x@junk.example', subject: 'Win', message: 'Click' }),
      'application/json',
      { 'X-API-Key': key.key },
    );
    expect(viaCompat.status).toBe(403);
    const client = smtpClient(listener.port);
    try {
      // Refused during the SMTP dialogue (the sender's server bounces it), yet recorded here.
      await expect(
        client.send({
          from: 'mailer@spam.example',
          to: 'support@deskline.local',
          subject: 'Limited offer',
          text: 'Now',
        }),
      ).rejects.toThrow(/550 5\.7\.1 Message refused \(policy\)/);
    } finally {
      client.close();
    }
    const after = await api.desk.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Never silently dropped: all three are listed for the admin, the email also kept raw.
    const listed = await admin.get('/api/v1/routing/rejections');
    expect(listed.status).toBe(200);
    expect(listed.as(Rejections).items.map((i) => [i.channel, i.ruleId, i.requester])).toEqual([
      ['email', r.id, 'mailer@spam.example'],
      ['api', r.id, 'x@junk.example'],
      ['api', r.id, 'bot@spam.example'],
    ]);
    expect(listed.as(Rejections).items[2]!.payload).toMatchObject({
      subject: 'Cheap pills',
      body: 'Buy now',
    });
    const inbound = await admin.get('/api/v1/mail/inbound?status=rejected');
    expect(inbound.as(Inbound).items[0]).toMatchObject({ status: 'rejected', reason: 'rule: Spam domain' });
    // Only admins read them.
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    expect((await jane.get('/api/v1/routing/rejections')).status).toBe(403);
  });

  it('actions: agent, status, collaborators and an automatic reply; "stop" ends the list', async () => {
    const awaiting = await idByName(api.desk.db, 'statuses', 'Awaiting customer');
    await rule({
      name: 'VIP',
      sort: 2,
      conditions: [{ field: 'field', key: 'plan', op: 'equals', value: 'gold' }],
      actions: [
        { type: 'set_department', departmentId: ids.sysadmin },
        { type: 'set_agent', agentId: ids.jerry },
        { type: 'set_status', statusId: awaiting },
        { type: 'add_collaborators', emails: ['Account.Manager@example.com'] },
        { type: 'send_reply', body: 'A gold-plan engineer has your request.' },
        { type: 'stop' },
      ],
    });
    await rule({
      name: 'After stop',
      sort: 3,
      conditions: [],
      actions: [{ type: 'add_tags', tags: ['late'] }],
    });
    const key = await api.withKey();
    const res = await key.post('/api/v1/tickets', {
      subject: 'Gold customer needs help',
      body: 'Please call',
      requester: { email: 'vip@example.com' },
      fields: { plan: 'gold' },
    });
    expect(res.status, res.body).toBe(201);
    const t = (await admin.get(`/api/v1/tickets/${res.as(TicketOut).number}`)).as(TicketDetailOut);
    expect(t).toMatchObject({
      department: 'SysAdmin',
      status: 'Awaiting customer',
      state: 'pending',
      tags: [],
      fields: { plan: 'gold' },
    });
    expect(t.assignee?.id).toBe(ids.jerry);
    expect(t.collaborators.map((c) => c.email)).toEqual(['account.manager@example.com']);
    const reply = t.thread.find((i) => i.kind === 'reply');
    expect(reply).toMatchObject({
      body: 'A gold-plan engineer has your request.',
      author: { type: 'system' },
    });
    expect(t.firstResponseAt).toBeNull(); // an automatic reply is not a response
    const jobs = await api.desk.db
      .selectFrom('jobs')
      .select('type')
      .where('payload', 'like', `%"ticketId":${t.id}%`)
      .execute();
    expect(jobs.map((j) => j.type)).toContain('mail.reply');
    // osTicket's custom form fields reach the rules too.
    const key2 = await api.withKey();
    const compat = await api.postRaw(
      '/api/tickets.json',
      JSON.stringify({
        name: 'V',
        email: 'v2@example.com',
        subject: 'Gold via form',
        message: 'Hi',
        plan: 'gold',
      }),
      'application/json',
      { 'X-API-Key': key2.key },
    );
    expect(compat.status).toBe(201);
    expect(await ticketBy('Gold via form')).toMatchObject({
      department: 'SysAdmin',
      fields: { plan: 'gold' },
    });
    // Without the field, "stop" is not reached and the catch-all rule tags the ticket.
    const plain = await key.post('/api/v1/tickets', {
      subject: 'Plain',
      body: 'x',
      requester: { email: 'p@example.com' },
    });
    expect(
      (await admin.get(`/api/v1/tickets/${plain.as(TicketOut).number}`)).as(TicketDetailOut).tags,
    ).toEqual(['late']);
  });

  it('rules marked for replies re-plan a ticket when the customer writes back', async () => {
    await rule({
      name: 'Angry replies',
      sort: 4,
      onReply: true,
      conditions: [{ field: 'body', op: 'matches', value: '\\b(unacceptable|lawyer)\\b' }],
      actions: [
        { type: 'set_priority', priorityId: ids.high },
        { type: 'add_tags', tags: ['escalated'] },
      ],
    });
    const t = await newTicket(api.desk.deps, { subject: 'Slow invoice' });
    await postCustomerMessage(api.desk.deps, api.desk.karen, t.number, { body: 'This is UNACCEPTABLE.' });
    const after = (await admin.get(`/api/v1/tickets/${t.number}`)).as(TicketDetailOut);
    expect(after.priority).toBe('High');
    expect(after.tags).toEqual(['escalated', 'late']);
    expect(after.thread.some((i) => i.type === 'priority_changed')).toBe(true);
  });

  it('a follow-up a rule refuses (a reply after the reopen window) is kept for the admin too', async () => {
    await rule({
      name: 'No opt-out follow-ups',
      sort: 5,
      conditions: [{ field: 'body', op: 'contains', value: 'remove me from' }],
      actions: [{ type: 'reject', reason: 'opt-out requests go to the list manager' }],
    });
    const t = await newTicket(api.desk.deps, { subject: 'Newsletter question' });
    await close(api.desk.deps, api.desk.admin, t.number, { reason: 'answered' });
    // A month later (the harness's own clock stays, so the admin's session does too).
    const later = { ...api.desk.deps, clock: new ManualClock(api.desk.clock.now() + 30 * 24 * 3_600_000) };
    await expect(
      postCustomerMessage(later, api.desk.karen, t.number, {
        body: 'Please remove me from the list',
      }),
    ).rejects.toMatchObject({ code: 'rejected_by_rule' });
    const listed = await admin.get('/api/v1/routing/rejections');
    expect(listed.as(Rejections).items[0]).toMatchObject({
      rule: 'No opt-out follow-ups',
      requester: 'karen@example.com',
      payload: { followUpOf: t.number },
    });
  });

  it('preview: a draft rule or the saved set on a sample, nothing written', async () => {
    const draftRule = {
      name: 'Office-hours outages',
      conditions: [
        { field: 'subject', op: 'matches', value: 'out(age|ing)' },
        {
          field: 'time',
          op: 'between',
          value: { from: '09:00', to: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        },
      ],
      actions: [{ type: 'set_priority', priorityId: ids.high }],
    };
    const ticketsBefore = (await admin.get('/api/v1/tickets?limit=1')).as(TicketPageOut).items[0]?.id;
    const draft = await admin.post('/api/v1/routing/preview', {
      ticket: {
        channel: 'email',
        from: 'it@bank.example',
        subject: 'Card outage',
        at: '2025-01-06T12:00:00Z',
      },
      rule: draftRule,
    });
    expect(draft.status, draft.body).toBe(200);
    expect(draft.as(RoutingPreviewOut)).toMatchObject({
      matched: [{ name: 'Office-hours outages' }],
      priorityId: ids.high,
      rejected: null,
      rules: [{ name: 'Office-hours outages', matched: true, conditions: [true, true] }],
    });
    // On a Sunday the subject still matches and the time does not: the preview says which.
    const sunday = await admin.post('/api/v1/routing/preview', {
      ticket: {
        channel: 'email',
        from: 'it@bank.example',
        subject: 'Card outage',
        at: '2025-01-05T12:00:00Z',
      },
      rule: draftRule,
    });
    expect(sunday.as(RoutingPreviewOut)).toMatchObject({
      matched: [],
      rules: [{ name: 'Office-hours outages', matched: false, conditions: [true, false] }],
    });
    const saved = await admin.post('/api/v1/routing/preview', {
      ticket: { channel: 'email', from: 'it@bank.example', subject: 'Card outage' },
    });
    expect(saved.as(RoutingPreviewOut).matched.map((m) => m.name)).toEqual(['Bank outages', 'After stop']);
    // The trace shows each rule's conditions: VIP's plan condition does not hold here.
    const ran = saved.as(RoutingPreviewOut).rules;
    expect(ran.filter((r) => r.matched).map((r) => r.name)).toEqual(['Bank outages', 'After stop']);
    expect(ran.find((r) => r.name === 'VIP')).toMatchObject({ matched: false, conditions: [false] });
    // With the plan, VIP matches and stops: the rules after it did not run and are not listed.
    const gold = await admin.post('/api/v1/routing/preview', {
      ticket: { channel: 'email', from: 'it@bank.example', subject: 'Card outage', fields: { plan: 'gold' } },
    });
    const goldRan = gold.as(RoutingPreviewOut).rules;
    expect(goldRan.at(-1)).toMatchObject({ name: 'VIP', matched: true, conditions: [true] });
    expect(goldRan.map((r) => r.name)).not.toContain('After stop');
    expect(saved.as(RoutingPreviewOut)).toMatchObject({
      departmentId: ids.sysadmin,
      priorityId: ids.emergency,
      tags: ['bank', 'outage', 'late'],
    });
    expect((await admin.get('/api/v1/tickets?limit=1')).as(TicketPageOut).items[0]?.id).toBe(ticketsBefore);
  });

  it('a catastrophic regex is cut off by the time limit instead of hanging intake', async () => {
    const res = await admin.post('/api/v1/routing/preview', {
      ticket: { from: 'a@example.com', subject: 'a'.repeat(40) + 'b' },
      rule: {
        name: 'Bad',
        conditions: [{ field: 'subject', op: 'matches', value: '^(a+)+$' }],
        actions: [{ type: 'stop' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ matched: [], errors: [{ condition: 0, code: 'regex_timeout' }] });
  });

  it('bad rules are refused with the problem named', async () => {
    const badRegex = await admin.post('/api/v1/routing-rules', {
      name: 'x',
      conditions: [{ field: 'subject', op: 'matches', value: '(' }],
      actions: [{ type: 'stop' }],
    });
    expect(badRegex.status).toBe(422);
    expect(badRegex.error().code).toBe('validation_failed');
    const missing = await admin.post('/api/v1/routing-rules', {
      name: 'x',
      conditions: [],
      actions: [{ type: 'set_department', departmentId: 9999 }],
    });
    expect(missing.status).toBe(422);
    expect(missing.error().message).toContain('actions.0.departmentId');
    const none = await admin.post('/api/v1/routing-rules', { name: 'x', conditions: [], actions: [] });
    expect(none.status).toBe(422);
    // A PATCH changes only what it names; the list comes in rule order.
    const list = await admin.get('/api/v1/routing-rules');
    const first = list.as(Rules).items[0]!;
    const patched = await admin.patch(`/api/v1/routing-rules/${first.id}`, { isActive: false });
    expect(patched.as(RuleRow)).toMatchObject({
      name: first.name,
      isActive: false,
      conditions: first.conditions,
    });
    expect(list.as(Rules).items.map((r) => r.sort)).toEqual([0, 1, 2, 3, 4, 5]);
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    expect((await jane.get('/api/v1/routing-rules')).status).toBe(403);
  });
});
