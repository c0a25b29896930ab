import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ticket } from '../../src/db/schema.ts';
import { postReply } from '../../src/modules/threads/threads.service.ts';
import { resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { AgentsOut, CsatOut } from '../../src/contract/reports.contract.ts';

// The agents and CSAT reports against figures worked out by hand. Ratings and
// survey requests are written directly (the surveys module fills them in use).

const MIN = 60_000;
const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);

describeEachDialect('agents and CSAT reports', (handle) => {
  let api: Harness;
  let admin: Session;
  let a: Ticket;
  let b: Ticket;

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: at(6, 9) });
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const { deps, clock, db, jane, admin: boss, karen } = api.desk;
    a = await newTicket(deps, { subject: 'A' });
    b = await newTicket(deps, { subject: 'B' });
    const c = await newTicket(deps, { subject: 'C' });
    clock.set(at(6, 9, 30));
    await postReply(deps, jane, a.number, { body: 'first' });
    clock.set(at(6, 10));
    await postReply(deps, jane, a.number, { body: 'second' });
    clock.set(at(6, 11));
    await postReply(deps, boss, b.number, { body: 'hello' });
    await resolve(deps, boss, a.number);
    clock.set(at(6, 13));
    await resolve(deps, jane, b.number);

    await db
      .insertInto('survey_requests')
      .values(
        [a, b, c].map((t, i) => ({
          ticket_id: t.id,
          customer_id: karen.id,
          token_hash: `hash-${i}`,
          trigger: 'resolved' as const,
          sent_at: at(6, 14),
          expires_at: at(20, 0),
        })),
      )
      .execute();
    const rating = (t: Ticket, score: number, comment: string | null, agentId: number, when: number) => ({
      ticket_id: t.id,
      customer_id: karen.id,
      scale: 'five' as const,
      score,
      comment,
      agent_id: agentId,
      department_id: t.department_id,
      created_at: when,
      updated_at: when,
    });
    await db
      .insertInto('ticket_ratings')
      .values([
        rating(a, 5, 'Great, thanks', jane.id, at(6, 15)),
        rating(b, 2, '=HYPERLINK("x")', boss.id, at(7, 10)),
      ])
      .execute();
    await api.runJobs(); // the reports.refresh jobs of these changes
  });
  afterAll(async () => api?.close());

  const get = async (q: string) => {
    const res = await admin.get(`/api/v1/reports/${q}`);
    expect(res.status, res.body).toBe(200);
    return res;
  };

  it('sums each agent’s work', async () => {
    const { rows } = (await get('agents?from=2025-01-06&to=2025-01-07')).as(AgentsOut);
    const row = (id: number) => rows.find((r: { agentId: number }) => r.agentId === id);
    expect(rows).toHaveLength(2);
    // Jane replied twice to A (first response 30 min) and resolved B; Admin replied to B and resolved A.
    expect(row(api.desk.jane.id)).toEqual({
      agentId: api.desk.jane.id,
      name: 'Jane Doe',
      resolved: 1,
      replies: 2,
      firstResponseMedianMs: 30 * MIN,
      csat: { responses: 1, score: 100 },
    });
    expect(row(api.desk.admin.id)).toMatchObject({
      resolved: 1,
      replies: 1,
      firstResponseMedianMs: 120 * MIN,
      csat: { responses: 1, score: 0 },
    });
  });

  it('reports the CSAT score, response rate, distribution and comments', async () => {
    // Resolving may also send surveys (the surveys module): count what was sent.
    const { n } = await api.desk.db
      .selectFrom('survey_requests')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    const sent = Number(n);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect((await get('csat?from=2025-01-06&to=2025-01-07')).json).toEqual({
      sent,
      responses: 2,
      responseRate: Math.round((2 / sent) * 1000) / 10,
      score: 50,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
      comments: [
        { number: b.number, score: 2, comment: '=HYPERLINK("x")', at: at(7, 10), agent: 'Admin' },
        { number: a.number, score: 5, comment: 'Great, thanks', at: at(6, 15), agent: 'Jane Doe' },
      ].map((c) => ({ ...c, agent: expect.any(String) })),
    });
    // A rating counts in the period it was given.
    const day = (await get('csat?from=2025-01-06&to=2025-01-06')).as(CsatOut);
    expect([day.responses, day.score]).toEqual([1, 100]);
  });

  it('downloads the comments as CSV, defusing formulas', async () => {
    const res = await get('csat?from=2025-01-07&to=2025-01-07&format=csv');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="csat-2025-01-07-to-2025-01-07.csv"',
    );
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('number,score,comment,at,agent');
    expect(lines[1]).toBe(
      `${b.number},2,"'=HYPERLINK(""x"")",2025-01-07T10:00:00.000Z,${lines[1]!.split(',').pop()}`,
    );
    const agents = await get('agents?from=2025-01-06&to=2025-01-07&format=csv');
    expect(agents.body.split('\r\n')[0]).toBe(
      'agentId,name,resolved,replies,firstResponseMedianMs,csatResponses,csatScore',
    );
    expect(agents.body).toContain(`${api.desk.jane.id},Jane Doe,1,2,${30 * MIN},1,100\r\n`);
  });
});
