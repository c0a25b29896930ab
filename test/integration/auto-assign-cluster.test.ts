import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/database.ts';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { createRow } from '../../src/modules/directory/directory.admin.service.ts';
import { departments } from '../../src/modules/directory/directory.admin-tables.ts';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { dialects, freshDatabase, PG_URL } from '../support/db.ts';
import { loadDesk, seedDesk } from '../support/factories.ts';
import { inSchema, serve } from '../support/server.ts';

// Two real server processes on one PostgreSQL hand out 200 tickets at once.
// The turn is a locked row in the database, so the split stays fair: with
// process memory each server would keep its own turn and double up agents.

if (dialects.includes('postgres'))
  describe('automatic assignment across two server processes [postgres]', () => {
    let handle: DbHandle & { schema?: string };
    let servers: Awaited<ReturnType<typeof serve>>[] = [];
    const agents: number[] = [];
    let key = '';

    beforeAll(async () => {
      handle = await freshDatabase('postgres');
      await seedDesk(handle.db);
      const desk = await loadDesk(handle.db);
      await createRow(desk.deps, departments, { name: 'Cluster', autoAssign: 'round_robin' });
      for (const name of ['ana', 'ben', 'cat', 'dan']) {
        const a = await createAgent(desk.deps, {
          email: `${name}@cluster.test`,
          name,
          password: 'correct horse battery',
          departments: [{ department: 'Cluster' }],
        });
        agents.push(a.id);
      }
      key = (await createApiKey(desk.deps, { name: 'load' })).key;
      const url = inSchema(PG_URL, handle.schema!);
      // Web role only: no scheduler or worker taking part in the count.
      servers = await Promise.all([
        serve(url, { DESKLINE_ROLE: 'web' }),
        serve(url, { DESKLINE_ROLE: 'web' }),
      ]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await handle?.close();
    });

    it('200 tickets posted to both at once: every agent gets 50 ± 1', async () => {
      const post = async (base: string, i: number) => {
        const res = await fetch(`${base}/api/v1/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({
            subject: `Load ${i}`,
            body: 'Concurrent intake',
            requester: { email: `user${i % 17}@example.com` },
            department: 'Cluster',
          }),
        });
        expect(res.status).toBe(201);
      };
      // 20 requests in flight at a time, alternating servers.
      const queue = Array.from({ length: 200 }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) await post(servers[i % 2]!.url, i);
        }),
      );
      const rows = await handle.db
        .selectFrom('tickets')
        .innerJoin('departments', 'departments.id', 'tickets.department_id')
        .select('tickets.assignee_id')
        .where('departments.name', '=', 'Cluster')
        .execute();
      expect(rows).toHaveLength(200);
      const counts = agents.map((id) => rows.filter((r) => r.assignee_id === id).length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }, 120_000);
  });
