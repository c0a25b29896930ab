import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/database.ts';
import { freshDatabase } from '../support/db.ts';

// The SQLite driver commits queued transactions together. Each must still
// stand or fall alone, and be on disk when its commit resolves.
describe('SQLite group commit', () => {
  let handle: DbHandle;
  let reader: Sqlite.Database;
  beforeAll(async () => {
    handle = await freshDatabase('sqlite');
    await sql`create table gc (id integer primary key, tag text not null)`.execute(handle.db);
    reader = new Sqlite(handle.file!, { readonly: true });
  });
  afterAll(async () => {
    reader.close();
    await handle.close();
  });
  const seenByAnotherConnection = (tag: string) =>
    (reader.prepare('select count(*) as n from gc where tag = ?').get(tag) as { n: number }).n;

  it('commits concurrent transactions, each visible to another connection once its commit resolves', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        handle.db
          .transaction()
          .execute(async (trx) => {
            await sql`insert into gc (tag) values (${`t${i}`})`.execute(trx);
            await sql`insert into gc (tag) values (${`t${i}`})`.execute(trx);
            if (i % 10 === 3) throw new Error(`member ${i} fails`);
          })
          .then(() => seenByAnotherConnection(`t${i}`)),
      ),
    );
    results.forEach((r, i) => {
      if (i % 10 === 3) expect(r.status).toBe('rejected');
      else expect(r).toEqual({ status: 'fulfilled', value: 2 });
    });
    for (let i = 3; i < 300; i += 10) expect(seenByAnotherConnection(`t${i}`)).toBe(0);
    expect(seenByAnotherConnection('t0')).toBe(2);
  });

  it('commits plain statements that arrive while a group is open', async () => {
    await Promise.all([
      handle.db.transaction().execute((trx) => sql`insert into gc (tag) values ('g1')`.execute(trx)),
      sql`insert into gc (tag) values ('plain')`.execute(handle.db),
      handle.db.transaction().execute((trx) => sql`insert into gc (tag) values ('g2')`.execute(trx)),
    ]);
    expect(['g1', 'plain', 'g2'].map(seenByAnotherConnection)).toEqual([1, 1, 1]);
  });

  it('keeps working after a failed member that was alone', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await sql`insert into gc (tag) values ('alone')`.execute(trx);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await handle.db.transaction().execute((trx) => sql`insert into gc (tag) values ('after')`.execute(trx));
    expect([seenByAnotherConnection('alone'), seenByAnotherConnection('after')]).toEqual([0, 1]);
  });
});
