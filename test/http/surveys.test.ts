import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { DAY } from '../../src/lib/clock.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket, T0 } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { SurveyOut } from '../../src/contract/surveys.contract.ts';
import { TicketDetailOut, TicketOut } from '../../src/contract/tickets.contract.ts';

// Satisfaction surveys end to end over HTTP: the survey mail is queued with the
// resolution, its link's GET writes nothing, POSTs record and change the one
// rating, the window closes, low scores alert the lead, departments override.

const DESK = { enabled: true, trigger: 'resolved', scale: 'five', changeDays: 7, notifyLeadAtOrBelow: 2 };

describeEachDialect('satisfaction surveys', (handle) => {
  let api: Harness;
  let admin: Session;
  let ids: Record<string, number>;

  const db = () => api.desk.db;
  const count = async (table: 'ticket_ratings' | 'survey_requests' | 'ticket_events' | 'jobs') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const settings = async (s: Record<string, unknown>) => {
    const res = await admin.request('PUT', '/api/v1/settings/surveys', { ...DESK, departments: {}, ...s });
    expect(res.status, res.body).toBe(200);
  };
  /** A new ticket of Karen's, resolved by the admin over HTTP; returns its number and the mailed survey token. */
  const resolved = async (department = 'Support', action = 'resolve') => {
    const t = await newTicket(api.desk.deps, { department: ids[department] });
    const res = await admin.post(`/api/v1/tickets/${t.number}/${action}`, { reason: 'done' });
    expect(res.status, res.body).toBe(200);
    await api.runJobs();
    const mail = await db()
      .selectFrom('mail_log')
      .select(['body', 'to_address'])
      .where('ticket_id', '=', t.id)
      .where('subject', 'like', '%How did we do?%')
      .executeTakeFirst();
    const token = mail?.body.match(/\/survey\/([\w-]+)\?score=5/)?.[1];
    return { ticket: t, token, mail };
  };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    ids = {
      Support: await idByName(db(), 'departments', 'Support'),
      SysAdmin: await idByName(db(), 'departments', 'SysAdmin'),
    };
  });
  beforeEach(async () => {
    api.desk.clock.set(T0);
    await settings({});
  });
  afterAll(async () => api?.close());

  it('queues the survey mail in the resolving transaction, with a working link per score', async () => {
    const t = await newTicket(api.desk.deps, { department: ids.Support });
    const before = await count('survey_requests');
    expect(before).toBe(0);
    const res = await admin.post(`/api/v1/tickets/${t.number}/resolve`, {});
    expect(res.status).toBe(200);
    // Committed together: the request row and the job carrying the token, before any worker ran.
    expect(await count('survey_requests')).toBe(before + 1);
    const job = await db()
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'mail.survey')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const token = (JSON.parse(job.payload) as { token: string }).token;
    expect(token).toMatch(/^[\w-]{43}$/);
    const stored = await db()
      .selectFrom('survey_requests')
      .select('token_hash')
      .where('ticket_id', '=', t.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token);
    await api.runJobs();
    const mail = await db()
      .selectFrom('mail_log')
      .select(['body', 'to_address'])
      .where('ticket_id', '=', t.id)
      .where('subject', 'like', '%How did we do?%')
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe('karen@example.com');
    for (const score of [1, 2, 3, 4, 5]) expect(mail.body).toContain(`/survey/${token}?score=${score}`);
    const page = await api.anonymous.get(`/api/v1/surveys/${token}`);
    expect(page.status, page.body).toBe(200);
    expect(page.json).toMatchObject({ ticket: { number: t.number }, scale: 'five', rating: null });
    // The resolution mail asks to confirm, with yes / no links to the portal ticket.
    const resolvedMail = await db()
      .selectFrom('mail_log')
      .select('body')
      .where('ticket_id', '=', t.id)
      .where('subject', 'like', '%Resolved:%')
      .executeTakeFirstOrThrow();
    expect(resolvedMail.body).toContain(`/tickets/${t.number}?answer=solved`);
    expect(resolvedMail.body).toContain(`/tickets/${t.number}?answer=not-solved`);
  });

  it('a GET on the link records nothing; the confirming POST records exactly one rating, a second changes it', async () => {
    const { ticket, token } = await resolved();
    const rows = async () => [
      await count('ticket_ratings'),
      await count('ticket_events'),
      await count('jobs'),
    ];
    const before = await rows();
    expect((await api.anonymous.get(`/api/v1/surveys/${token}`)).status).toBe(200);
    expect((await api.anonymous.get(`/api/v1/surveys/${token}?score=5`)).status).toBe(200);
    expect(await rows()).toEqual(before);

    const first = await api.anonymous.post(`/api/v1/surveys/${token}`, {
      score: 4,
      comment: 'Quick, thanks',
    });
    expect(first.status, first.body).toBe(200);
    expect(first.as(SurveyOut).rating).toEqual({ score: 4, comment: 'Quick, thanks' });
    expect(await count('ticket_ratings')).toBe(before[0]! + 1);
    api.desk.clock.advance(DAY);
    const second = await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 5 });
    expect(second.status, second.body).toBe(200);
    expect(await count('ticket_ratings')).toBe(before[0]! + 1);
    const row = await db()
      .selectFrom('ticket_ratings')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ score: 5, comment: null, scale: 'five', department_id: ids.Support });
    expect(Number(row.created_at)).toBe(T0);
    expect(Number(row.updated_at)).toBe(T0 + DAY);
    const events = await db()
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(events.filter((e) => e.type === 'rated')).toHaveLength(2);

    // Shown on the ticket to staff and to the customer.
    const staff = await admin.get(`/api/v1/tickets/${ticket.number}`);
    expect(staff.as(TicketDetailOut).rating).toMatchObject({ score: 5, scale: 'five', comment: null });
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    expect((await karen.get(`/api/v1/tickets/${ticket.number}`)).as(TicketDetailOut).rating).toMatchObject({
      score: 5,
    });
  });

  it('answers 409 survey_closed after changeDays, 404 for an unknown token, 422 off the scale', async () => {
    const { token } = await resolved();
    expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 6 })).error().code).toBe(
      'invalid_score',
    );
    expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 3 })).status).toBe(200);
    api.desk.clock.advance(7 * DAY + 1);
    const late = await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 4 });
    expect(late.status).toBe(409);
    expect(late.error().code).toBe('survey_closed');
    const unknown = await api.anonymous.get(`/api/v1/surveys/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect((await api.anonymous.post(`/api/v1/surveys/${'x'.repeat(43)}`, { score: 3 })).status).toBe(404);
  });

  it('limits answers per link: the 21st within a minute is 429', async () => {
    const { ticket, token } = await resolved();
    for (let i = 0; i < 20; i++)
      expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 1 + (i % 5) })).status).toBe(200);
    const limited = await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 5 });
    expect([limited.status, limited.error().code]).toEqual([429, 'rate_limited']);
    // One rating for the ticket: the last answer taken (the 20th, 5) stands.
    expect(
      await db().selectFrom('ticket_ratings').select('score').where('ticket_id', '=', ticket.id).execute(),
    ).toEqual([{ score: 5 }]);
  });

  it('a binary scale takes good (5) or bad (1) only', async () => {
    await settings({ scale: 'binary', notifyLeadAtOrBelow: null });
    const { token, mail } = await resolved();
    expect(mail?.body).toContain('Good: ');
    expect(mail?.body).toContain(`Bad: http://desk.test/survey/${token}?score=1`);
    expect((await api.anonymous.get(`/api/v1/surveys/${token}`)).as(SurveyOut).scale).toBe('binary');
    expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 3 })).status).toBe(422);
    const bad = await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 1, comment: 'Still broken' });
    expect(bad.status, bad.body).toBe(200);
    expect(bad.as(SurveyOut).scale).toBe('binary');
  });

  it('a department can send on closing instead, or not at all', async () => {
    await settings({ departments: { [ids.SysAdmin!]: { trigger: 'closed' } } });
    const onResolve = await resolved('SysAdmin');
    expect(onResolve.token).toBeUndefined();
    const onClose = await resolved('SysAdmin', 'close');
    expect(onClose.token).toMatch(/^[\w-]{43}$/);
    // Support keeps the desk's trigger: resolving sends.
    expect((await resolved('Support')).token).toMatch(/^[\w-]{43}$/);
    await settings({ departments: { [ids.Support!]: { enabled: false } } });
    expect((await resolved('Support')).token).toBeUndefined();
  });

  it('a low rating queues notify.low_rating to the team lead, else the department manager', async () => {
    const lead = async (ticketNumber: string) => {
      const jobs = await db()
        .selectFrom('jobs')
        .select('payload')
        .where('type', '=', 'notify.low_rating')
        .execute();
      const t = await db()
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', ticketNumber)
        .executeTakeFirstOrThrow();
      return jobs
        .map((j) => JSON.parse(j.payload) as { ticketId: number; agentId: number })
        .filter((p) => p.ticketId === t.id)
        .map((p) => p.agentId);
    };
    // No team: the Support department's manager (Jane).
    const plain = await resolved('Support');
    expect((await api.anonymous.post(`/api/v1/surveys/${plain.token}`, { score: 3 })).status).toBe(200);
    expect(await lead(plain.ticket.number)).toEqual([]);
    expect((await api.anonymous.post(`/api/v1/surveys/${plain.token}`, { score: 2 })).status).toBe(200);
    expect(await lead(plain.ticket.number)).toEqual([api.desk.jane.id]);
    await api.runJobs();
    const alert = await db()
      .selectFrom('mail_log')
      .select(['to_address', 'body'])
      .where('ticket_id', '=', plain.ticket.id)
      .where('subject', 'like', 'Low rating%')
      .executeTakeFirstOrThrow();
    expect(alert.to_address).toBe('jane@deskline.local');
    expect(alert.body).toContain('2 of 5');

    // With a team: the team's lead (Jerry leads SysAdmin).
    const t = await newTicket(api.desk.deps, { department: ids.Support });
    const team = await idByName(db(), 'teams', 'SysAdmin');
    expect((await admin.post(`/api/v1/tickets/${t.number}/assign`, { team })).status).toBe(200);
    expect((await admin.post(`/api/v1/tickets/${t.number}/resolve`, {})).status).toBe(200);
    const job = await db()
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'mail.survey')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const token = (JSON.parse(job.payload) as { token: string }).token;
    expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 1 })).status).toBe(200);
    expect(await lead(t.number)).toEqual([api.desk.jerry.id]);
  });

  it('one rating per ticket: resolving again after a reopen sends no second survey once rated', async () => {
    const { ticket, token } = await resolved();
    expect((await api.anonymous.post(`/api/v1/surveys/${token}`, { score: 5 })).status).toBe(200);
    expect((await admin.post(`/api/v1/tickets/${ticket.number}/reopen`, {})).status).toBe(200);
    const before = await count('survey_requests');
    expect((await admin.post(`/api/v1/tickets/${ticket.number}/resolve`, {})).status).toBe(200);
    expect(await count('survey_requests')).toBe(before);
  });

  it('the signed-in customer rates from the portal; others may not', async () => {
    const { ticket } = await resolved();
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const view = await karen.get(`/api/v1/tickets/${ticket.number}/rating`);
    expect(view.status, view.body).toBe(200);
    expect(view.json).toMatchObject({ rating: null, scale: 'five' });
    // Sent at T0: 30 days to answer, then the 7 days to change an answer.
    expect(view.as(SurveyOut).changeableUntil).toBe(new Date(T0 + 37 * DAY).toISOString());
    const rated = await karen.post(`/api/v1/tickets/${ticket.number}/rating`, { score: 4, comment: 'ok' });
    expect(rated.status, rated.body).toBe(200);
    expect((await admin.post(`/api/v1/tickets/${ticket.number}/rating`, { score: 1 })).status).toBe(403);
    const open = await newTicket(api.desk.deps, { department: ids.Support });
    expect((await karen.post(`/api/v1/tickets/${open.number}/rating`, { score: 4 })).error().code).toBe(
      'survey_closed',
    );
  });

  it('"It is not solved" reopens the ticket with the customer\'s comment as their message', async () => {
    const { ticket } = await resolved();
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const res = await karen.post(`/api/v1/tickets/${ticket.number}/reopen`, {
      comment: 'The printer still smokes',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.as(TicketOut).state).toBe('open');
    const entries = await db()
      .selectFrom('thread_entries')
      .select(['kind', 'body', 'author_customer_id'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(entries.at(-1)).toMatchObject({ kind: 'message', body: 'The printer still smokes' });
    expect(Number(entries.at(-1)!.author_customer_id)).toBe(api.desk.karen.id);
    // Agents comment with a note instead.
    const again = await resolved();
    const agent = await admin.post(`/api/v1/tickets/${again.ticket.number}/reopen`, { comment: 'x' });
    expect(agent.status).toBe(422);
    expect(
      (
        await db()
          .selectFrom('tickets')
          .select('state')
          .where('id', '=', again.ticket.id)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('resolved');
  });

  it('settings: admin only, validated', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    expect((await jane.get('/api/v1/settings/surveys')).status).toBe(403);
    const got = await admin.get('/api/v1/settings/surveys');
    expect(got.json).toEqual({ ...DESK, departments: {} });
    const bad = await admin.request('PUT', '/api/v1/settings/surveys', {
      ...DESK,
      departments: {},
      changeDays: -1,
    });
    expect(bad.status).toBe(422);
  });
});
