import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Job } from '../../src/db/schema.ts';
import { countByStatus } from '../../src/modules/outbox/outbox.repository.ts';
import { runnable } from '../../src/modules/outbox/outbox.registry.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import type { ManualClock } from '../../src/lib/clock.ts';
import { silentLog } from '../../src/lib/log.ts';
import { reportHandlers } from '../../src/modules/reports/reports.jobs.ts';
import { mailHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { postReply } from '../../src/modules/threads/threads.service.ts';
import { assign, close, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { T0, jobsFor, loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

const PUBLIC_URL = 'http://localhost:8080';
const silent = silentLog();

function runner(db: Db, clock: ManualClock): JobRunner {
  return new JobRunner({
    db,
    clock,
    log: silent,
    // As in production: the report refresh a new ticket queues runs beside its mail.
    handlers: runnable({ ...reportHandlers(db), ...mailHandlers({ db, clock, publicUrl: PUBLIC_URL }) }),
  });
}

/** Runs every due job; returns how many ran. */
async function runAll(db: Db, clock: ManualClock): Promise<number> {
  const r = runner(db, clock);
  let total = 0;
  for (let ran = await r.runOnce(); ran > 0; ran = await r.runOnce()) total += ran;
  return total;
}

/** In job order (jobs run concurrently, so insertion order is not theirs), then by recipient. */
const mailsFor = (db: Db, ticketId: number) =>
  db
    .selectFrom('mail_log')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('job_id')
    .orderBy('to_address')
    .execute();

describeEachDialect('mail handlers', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
    // Each test starts with an empty queue, so it runs only the jobs it caused.
    await runAll(desk.db, desk.clock);
  });

  it('the acknowledgement goes to the requester with the ticket number in the subject', async () => {
    const ticket = await newTicket(desk.deps, { requester: { email: 'Karen@Example.com' } });
    expect(ticket.number).toBe('100001');
    expect(await runAll(desk.db, desk.clock)).toBe(3); // acknowledgement, alert, report refresh
    const [ack, alert] = await mailsFor(desk.db, ticket.id);
    expect(ack).toMatchObject({
      to_address: 'karen@example.com',
      subject: '[#100001] Printer on fire',
      status: 'logged',
      created_at: T0,
    });
    expect(ack!.body).toContain('Dear Karen Smith');
    expect(ack!.body).toContain('http://localhost:8080/tickets/100001');
    // Random (only its recipient knows it: replies prove they answer our mail), with the job id for admins.
    expect(ack!.message_id).toMatch(/^<[0-9a-f]{24}\.\d+@deskline\.local>$/);
    expect(alert).toMatchObject({
      to_address: 'jane@deskline.local',
      subject: 'New ticket [#100001] Printer on fire',
    });
    expect(alert!.body).toContain('http://localhost:8080/agent/tickets/100001');
    expect(await countByStatus(desk.db)).toMatchObject({ pending: 0, running: 0, failed: 0 });
  });

  it('running the same job twice does not duplicate mail_log rows', async () => {
    const ticket = await newTicket(desk.deps, { alert: false });
    const [job] = await jobsFor(desk.db, ticket.id);
    await runAll(desk.db, desk.clock);
    expect(await mailsFor(desk.db, ticket.id)).toHaveLength(1);

    // As if the worker died after sending but before marking the job done: it is claimed again.
    await desk.db
      .updateTable('jobs')
      .set({ status: 'pending', finished_at: null })
      .where('id', '=', job!.id)
      .execute();
    expect(await runAll(desk.db, desk.clock)).toBe(1);
    // And the handler called directly once more.
    const row: Job = await desk.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', job!.id)
      .executeTakeFirstOrThrow();
    const handlers = runnable(mailHandlers({ db: desk.db, clock: desk.clock, publicUrl: PUBLIC_URL }));
    await handlers['mail.acknowledgement']!(JSON.parse(row.payload) as unknown, row);

    const mails = await mailsFor(desk.db, ticket.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ job_id: job!.id, to_address: 'karen@example.com' });
  });

  it('no acknowledgement when autorespond is false', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false });
    await runAll(desk.db, desk.clock);
    expect((await mailsFor(desk.db, ticket.id)).map((m) => m.to_address)).toEqual(['jane@deskline.local']);
  });

  it('an agent reply is mailed to the requester with its body', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    await postReply(desk.deps, desk.jane, ticket.number, { body: 'Please restart the router.' });
    await runAll(desk.db, desk.clock);
    const [mail] = await mailsFor(desk.db, ticket.id);
    expect(mail).toMatchObject({
      to_address: 'karen@example.com',
      subject: `Re: [#${ticket.number}] Printer on fire`,
    });
    expect(mail!.body).toContain('Please restart the router.');
  });

  it('assignment alerts go to the assignee and to the team members', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    await assign(desk.deps, desk.jane, ticket.number, { assignee: desk.jane.id, team: 'SysAdmin' });
    await runAll(desk.db, desk.clock);
    const mails = await mailsFor(desk.db, ticket.id);
    expect(mails.map((m) => [m.to_address, m.subject])).toEqual([
      ['jane@deskline.local', `Assigned to you [#${ticket.number}] Printer on fire`],
      ['jerry@deskline.local', `Team SysAdmin: [#${ticket.number}] Printer on fire`],
    ]);
  });

  it('resolution and closing mail the requester', async () => {
    const ticket = await newTicket(desk.deps, { autorespond: false, alert: false });
    await resolve(desk.deps, desk.jane, ticket.number);
    await close(desk.deps, desk.jane, ticket.number, { reason: 'confirmed by phone' });
    await runAll(desk.db, desk.clock);
    const mails = await mailsFor(desk.db, ticket.id);
    expect(mails.map((m) => [m.to_address, m.subject])).toEqual([
      ['karen@example.com', `[#${ticket.number}] Resolved: Printer on fire`],
      // Surveys are on by default and go out on resolution (docs/SURVEYS.md).
      ['karen@example.com', `[#${ticket.number}] How did we do? Printer on fire`],
      ['karen@example.com', `[#${ticket.number}] Closed: Printer on fire`],
    ]);
  });

  it('every recipient of one job gets a distinct Message-ID', async () => {
    const support = await desk.db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', 'Support')
      .executeTakeFirstOrThrow();
    for (const email of ['support.one@deskline.local', 'support.two@deskline.local']) {
      const agent = await desk.db
        .insertInto('agents')
        .values({
          email,
          name: email,
          password_hash: 'x',
          role: 'agent',
          max_open_tickets: null,
          created_at: T0,
          updated_at: T0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await desk.db
        .insertInto('agent_departments')
        .values({ agent_id: agent.id, department_id: support.id, permissions: 'view' })
        .execute();
    }
    try {
      const ticket = await newTicket(desk.deps, { autorespond: false });
      await runAll(desk.db, desk.clock);
      const mails = await mailsFor(desk.db, ticket.id);
      expect(mails.map((m) => m.to_address).sort()).toEqual([
        'jane@deskline.local',
        'support.one@deskline.local',
        'support.two@deskline.local',
      ]);
      expect(new Set(mails.map((m) => m.message_id)).size).toBe(3);
      // Stable: the Message-ID is chosen once, in the row written before sending; a re-run keeps it.
      const again = runnable(mailHandlers({ db: desk.db, clock: desk.clock, publicUrl: PUBLIC_URL }));
      const row = await desk.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', mails[0]!.job_id!)
        .executeTakeFirstOrThrow();
      await again['notify.new_ticket']!(JSON.parse(row.payload) as unknown, row);
      const rerun = await mailsFor(desk.db, ticket.id);
      expect(rerun.map((m) => [m.id, m.message_id])).toEqual(mails.map((m) => [m.id, m.message_id]));
    } finally {
      await desk.db.deleteFrom('agent_departments').where('permissions', '=', 'view').execute();
      await desk.db.deleteFrom('agents').where('email', 'like', 'support.%').execute();
    }
  });

  it('a job for a ticket that no longer exists completes without mail', async () => {
    const ticket = await newTicket(desk.deps, { alert: false });
    await desk.db.deleteFrom('ticket_events').where('ticket_id', '=', ticket.id).execute();
    await desk.db.deleteFrom('thread_entries').where('ticket_id', '=', ticket.id).execute();
    await desk.db.deleteFrom('tickets').where('id', '=', ticket.id).execute();
    expect(await runAll(desk.db, desk.clock)).toBe(2); // the acknowledgement and the report refresh
    expect(await mailsFor(desk.db, ticket.id)).toEqual([]);
    expect(await countByStatus(desk.db)).toMatchObject({ pending: 0, running: 0, failed: 0 });
  });
});
