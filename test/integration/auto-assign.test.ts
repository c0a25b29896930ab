import { beforeAll, expect, it } from 'vitest';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { createRow } from '../../src/modules/directory/directory.admin.service.ts';
import { departments } from '../../src/modules/directory/directory.admin-tables.ts';
import { setAvailability, updateAgent } from '../../src/modules/directory/agents.admin.service.ts';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { assign, resolve, transfer, updateTicket } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { eventsFor, jobTypesFor, loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

const MINUTE = 60_000;

describeEachDialect('automatic assignment', (handle) => {
  let desk: Desk;
  const ids: Record<string, number> = {};

  /** A department with its own agents, so counts are not disturbed by the demo's. */
  async function department(name: string, mode: 'round_robin' | 'least_loaded', agents: string[]) {
    await createRow(desk.deps, departments, { name, autoAssign: mode });
    for (const a of agents) {
      const agent = await createAgent(desk.deps, {
        email: `${a}@${name.toLowerCase()}.test`,
        name: a,
        password: 'correct horse battery',
        departments: [{ department: name }],
      });
      ids[`${name}.${a}`] = agent.id;
    }
  }
  const open = (department: string, subject = 'Help', priority = 'Normal') => {
    desk.clock.advance(MINUTE);
    return newTicket(desk.deps, { department, subject, priority });
  };
  const tally = (tickets: { assignee_id: number | null }[]) => {
    const counts = new Map<number | null, number>();
    for (const t of tickets) counts.set(t.assignee_id, (counts.get(t.assignee_id) ?? 0) + 1);
    return counts;
  };

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });

  it('round-robin gives 9 tickets 3, 3, 3 and skips the agent on vacation', async () => {
    await department('Rota', 'round_robin', ['ann', 'bob', 'cy', 'dee']);
    await updateAgent(desk.deps, ids['Rota.dee']!, { availability: 'vacation' });
    const made = [];
    for (let i = 0; i < 9; i++) made.push(await open('Rota'));
    const counts = tally(made);
    expect(counts.get(ids['Rota.ann']!)).toBe(3);
    expect(counts.get(ids['Rota.bob']!)).toBe(3);
    expect(counts.get(ids['Rota.cy']!)).toBe(3);
    expect(counts.has(ids['Rota.dee']!)).toBe(false);
    // In turn, not in blocks.
    expect(made.slice(0, 3).map((t) => t.assignee_id)).toEqual([
      ids['Rota.ann'],
      ids['Rota.bob'],
      ids['Rota.cy'],
    ]);
    const created = (await eventsFor(desk.db, made[0]!.id))[0]!;
    expect(created.data).toMatchObject({ assignee: ids['Rota.ann'], autoAssigned: true });
    expect(await jobTypesFor(desk.db, made[0]!.id)).toContain('notify.assigned');
  });

  it('an agent who is away, inactive or at their cap gets nothing', async () => {
    await department('Capped', 'round_robin', ['eve', 'fay', 'gus']);
    await updateAgent(desk.deps, ids['Capped.eve']!, { availability: 'away' });
    await updateAgent(desk.deps, ids['Capped.fay']!, { maxOpenTickets: 2 });
    await updateAgent(desk.deps, ids['Capped.gus']!, { isActive: false });
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await open('Capped'));
    expect(made.map((t) => t.assignee_id)).toEqual([ids['Capped.fay'], ids['Capped.fay'], null, null]);
  });

  it('least-loaded prefers the emptiest queue, weighing priorities', async () => {
    await department('Load', 'least_loaded', ['hal', 'ivy', 'jo']);
    // Load is the sum of open tickets' priority levels (low 1 … emergency 4).
    const manual = async (agent: string, priority: string) => {
      desk.clock.advance(MINUTE);
      return newTicket(desk.deps, { department: 'Load', priority, assignee: ids[`Load.${agent}`]! });
    };
    await manual('hal', 'Normal'); // hal: 1 ticket, weight 2
    await manual('ivy', 'Emergency'); // ivy: 1 ticket, weight 4
    // jo has nothing: the next goes to jo, then hal (weight 2 < 4), then jo again (2 vs hal 4).
    const a = await open('Load');
    const b = await open('Load');
    expect([a.assignee_id, b.assignee_id]).toEqual([ids['Load.jo'], ids['Load.hal']]);
    // Loads now: hal 4 (2 tickets), ivy 4 (1 emergency), jo 2 → jo.
    const c = await open('Load');
    expect(c.assignee_id).toBe(ids['Load.jo']);
    // Resolved work does not count: resolve hal's two, and hal is the emptiest.
    for (const t of [a, b, c])
      if (t.assignee_id === ids['Load.hal']) await resolve(desk.deps, desk.admin, t.number);
    const d = await open('Load');
    expect(d.assignee_id).not.toBe(ids['Load.ivy']);
  });

  it('waiting tickets are picked up when an agent becomes available', async () => {
    await department('Night', 'round_robin', ['kim']);
    await updateAgent(desk.deps, ids['Night.kim']!, { availability: 'away' });
    const waiting = [await open('Night', 'first'), await open('Night', 'second', 'High')];
    expect(waiting.map((t) => t.assignee_id)).toEqual([null, null]);
    // Nobody free: the scheduler's pass leaves them.
    expect((await runSchedulerPass(desk.deps)).assigned).toBe(0);
    const kim = await desk.db
      .selectFrom('agents')
      .selectAll()
      .where('id', '=', ids['Night.kim']!)
      .executeTakeFirstOrThrow();
    expect(kim.availability).toBe('away');
    await setAvailability(desk.deps, kim.id, { availability: 'available' });
    // Becoming available queues the backlog job; the pass is what it runs.
    const backlogJobs = await desk.db
      .selectFrom('jobs')
      .select(['type', 'status'])
      .where('type', '=', 'assign.backlog')
      .where('created_at', '=', desk.deps.clock.now())
      .execute();
    expect(backlogJobs).toEqual([{ type: 'assign.backlog', status: 'pending' }]);
    expect((await runSchedulerPass(desk.deps)).assigned).toBe(2);
    const after = await desk.db
      .selectFrom('tickets')
      .select(['subject', 'assignee_id'])
      .where(
        'id',
        'in',
        waiting.map((t) => t.id),
      )
      .execute();
    expect(after.every((t) => t.assignee_id === kim.id)).toBe(true);
    const events = await eventsFor(desk.db, waiting[1]!.id);
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      actor_type: 'system',
      data: { after: kim.id, auto: true },
    });
  });

  it('a ticket transferred (or PATCHed) into an assigning department is handed out at once', async () => {
    const t = await open('Billing', 'Moved over');
    expect(t.assignee_id).toBeNull();
    const { ticket: moved } = await transfer(desk.deps, desk.admin, t.number, { department: 'Rota' });
    const rota = [ids['Rota.ann'], ids['Rota.bob'], ids['Rota.cy']];
    expect(rota).toContain(moved.assignee_id);
    const events = await eventsFor(desk.db, t.id);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['transferred', 'assigned']);
    const u = await open('Billing', 'Patched over');
    const { ticket: patched } = await updateTicket(desk.deps, desk.admin, u.number, {
      department: 'Rota',
      priority: 'High',
    });
    expect(rota).toContain(patched.assignee_id);
    expect(patched.assignee_id).not.toBe(moved.assignee_id); // the next turn
    // Naming nobody on purpose is respected: an explicit unassign stays unassigned.
    const { ticket: cleared } = await assign(desk.deps, desk.admin, u.number, { assignee: null });
    expect(cleared.assignee_id).toBeNull();
  });

  it('a department with assignment off leaves tickets unassigned', async () => {
    const t = await open('Billing');
    expect(t.assignee_id).toBeNull();
  });
});
