import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/modules/auth/auth.actor.ts';
import { listTickets } from '../../src/modules/tickets/tickets.list.service.ts';
import { catchUpSearchIndex } from '../../src/modules/tickets/tickets.search-index.repository.ts';
import { deleteTicket } from '../../src/modules/tickets/tickets.service.ts';
import { seedBulkTickets } from '../../src/seed/bulk.ts';
import { describeEachDialect } from '../support/db.ts';
import { loadDesk, newTicket, seedDesk, type Desk } from '../support/factories.ts';

describeEachDialect('search index', (handle, dialect) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });

  const search = async (q: string) =>
    (await listTickets(desk.deps, SYSTEM, { q })).items.map((t) => t.number).sort();

  it('finds new tickets at once, and forgets deleted ones whether or not they were indexed yet', async () => {
    const a = await newTicket(desk, { subject: 'Marmalade jar stuck in scanner' });
    const b = await newTicket(desk, { subject: 'Marmalade on the keyboard' });
    // b is deleted before any indexer ran; a after it did.
    await deleteTicket(desk.deps, desk.admin, b.number);
    expect(await search('marmalade')).toEqual([a.number]);
    await deleteTicket(desk.deps, desk.admin, a.number);
    expect(await search('marmalade')).toEqual([]);
    if (dialect === 'sqlite') {
      await sql`insert into tickets_fts(tickets_fts) values ('integrity-check')`.execute(desk.db);
      await sql`insert into entries_fts(entries_fts) values ('integrity-check')`.execute(desk.db);
      expect(await catchUpSearchIndex(desk.db)).toBe(0);
    }
  });

  it('indexes bulk-seeded threads', async () => {
    await seedBulkTickets(handle(), 300);
    const sample = await desk.db
      .selectFrom('tickets')
      .select(['number', 'subject'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const word = sample.subject.match(/[\p{L}]{5,}/u)?.[0] ?? '';
    expect(word).not.toBe('');
    expect(await search(`${word} ${sample.number}`)).toEqual([]); // a number is not a word of the subject
    expect(await search(word)).toContain(sample.number);
    expect(await search(`#${sample.number}`)).toEqual([sample.number]);
  });
});
