import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Actor } from '../../src/modules/auth/auth.actor.ts';
import { LiveHub, type Subscriber } from '../../src/modules/live/live.hub.ts';
import { describeEachDialect } from '../support/db.ts';
import { loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

// The live hub's poller against a real database: events committed out of id
// order (as on PostgreSQL, where ids are taken at insert and transactions
// commit in any order) are still delivered, once each; a listener who may not
// see the ticket hears nothing; a listener whose session ended is dropped.

const TIMINGS = { pollMs: 25, heartbeatMs: 60_000, reauthMs: 60_000, graceMs: 400 };

function listener(actor: Actor, reauth: () => Promise<Actor | null> = async () => actor) {
  const frames: { event: string; data: { number: string; kind?: string } }[] = [];
  let ended = false;
  const sub: Subscriber = {
    actor,
    write(chunk) {
      const m = /^event: (\w+)\ndata: (.*)\n\n$/s.exec(chunk);
      if (m) frames.push({ event: m[1]!, data: JSON.parse(m[2]!) as { number: string } });
    },
    end: () => void (ended = true),
    reauth,
  };
  return { sub, frames, ended: () => ended };
}

const until = async (done: () => boolean, what: string, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const insertEvent = (db: Db, id: number, ticketId: number, type: string) =>
  db
    .insertInto('ticket_events')
    .values({
      id,
      ticket_id: ticketId,
      type,
      actor_type: 'system',
      actor_id: null,
      data: '{}',
      created_at: 0,
    })
    .execute();

describeEachDialect('live hub', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });
  let hub: LiveHub | undefined;
  afterAll(() => hub?.stop());

  it('delivers an event that commits after a higher id, once, and only to agents who may view the ticket', async () => {
    const db = handle().db;
    const ticket = await newTicket(desk.deps, { department: 'Support' });
    hub = new LiveHub(desk.deps, TIMINGS);
    const jane = listener(desk.jane);
    const jerry = listener(desk.jerry);
    await hub.add(jane.sub);
    await hub.add(jerry.sub);
    const max = Number(
      (
        await db
          .selectFrom('ticket_events')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirst()
      )?.m ?? 0,
    );
    const kinds = () => jane.frames.filter((f) => f.event === 'ticket').map((f) => f.data.kind);

    await insertEvent(db, max + 2, ticket.id, 'noted');
    await until(() => kinds().includes('noted'), 'the later id');
    await insertEvent(db, max + 1, ticket.id, 'replied'); // the slower transaction commits now
    await until(() => kinds().includes('replied'), 'the earlier id committed later');
    await new Promise((r) => setTimeout(r, TIMINGS.graceMs + 100));
    await insertEvent(db, max + 3, ticket.id, 'assigned');
    await until(() => kinds().includes('assigned'), 'an event after the grace period');
    await new Promise((r) => setTimeout(r, 100));

    expect(kinds()).toEqual(['noted', 'replied', 'assigned']);
    expect(jane.frames.every((f) => f.data.number === ticket.number)).toBe(true);
    expect(jerry.frames).toEqual([]);
  });

  it('drops a listener whose session ended, and stop() ends every stream', async () => {
    const fast = new LiveHub(desk.deps, { ...TIMINGS, reauthMs: 50 });
    const gone = listener(desk.jane, async () => null);
    const staying = listener(desk.jane);
    await fast.add(gone.sub);
    await fast.add(staying.sub);
    await until(gone.ended, 'the signed-out listener dropped');
    expect(staying.ended()).toBe(false);
    expect(fast.size).toBe(1);
    await fast.stop();
    expect(staying.ended()).toBe(true);
    expect(fast.size).toBe(0);
  });
});
