import { beforeAll, beforeEach, expect, it } from 'vitest';
import { createLog, type Log } from '../../src/lib/log.ts';
import { postCustomerMessage } from '../../src/modules/threads/threads.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { T0, loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

// A stored routing rule that no longer compiles (saved before a validation
// existed, or edited in the database) is skipped, and the use case that met it
// says so on its logger: intake and customer replies alike, whatever the channel.

const BROKEN = 'a stored routing rule does not compile; it is skipped';

/** A logger that keeps its lines. */
function recordingLog(): { log: Log; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = createLog('error', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describeEachDialect('a routing rule that does not compile', (handle) => {
  let desk: Desk;
  let ruleId: number;
  beforeAll(async () => {
    await seedDesk(handle().db);
    const row = await handle()
      .db.insertInto('routing_rules')
      .values({
        name: 'Broken pattern',
        sort: 1,
        is_active: 1,
        match: 'all',
        conditions: JSON.stringify([{ field: 'subject', op: 'matches', value: '[' }]),
        actions: JSON.stringify([{ type: 'stop' }]),
        on_reply: 1,
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ruleId = row.id;
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  it('is skipped at intake, and logged on the use case logger', async () => {
    const { log, lines } = recordingLog();
    const ticket = await newTicket({ ...desk.deps, log }, { subject: 'Printer on fire' });
    expect(ticket.subject).toBe('Printer on fire');
    const broken = lines.filter((l) => l.msg === BROKEN);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ ruleId, rule: 'Broken pattern', level: 50 });
  });

  it('is skipped on a customer reply, and logged there too', async () => {
    const ticket = await newTicket(desk.deps, { subject: 'Scanner jammed' });
    // The rules compile once per rule list: a change to the list (a new rule) compiles them again.
    await handle()
      .db.updateTable('routing_rules')
      .set({ updated_at: T0 + 1 })
      .where('id', '=', ruleId)
      .execute();
    const { log, lines } = recordingLog();
    const fresh = await loadDesk(handle().db);
    const posted = await postCustomerMessage({ ...fresh.deps, log }, fresh.karen, ticket.number, {
      body: 'Still jammed.',
      source: 'web',
    });
    expect(posted.entry.body).toBe('Still jammed.');
    expect(lines.filter((l) => l.msg === BROKEN).map((l) => l.ruleId)).toEqual([ruleId]);
  });
});
