import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { z } from 'zod';
import { CurrentUser } from '../../src/contract/auth.contract.ts';
import { AgentOut } from '../../src/contract/directory.contract.ts';

// An agent's own profile: name and signature (PATCH /api/v1/me), read back
// with availability on GET /api/v1/me; role, email and access stay with admins.

describeEachDialect('my profile API', (handle) => {
  let api: Harness;
  let jane: Client;
  let karen: Client;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  it('an agent changes their name and signature; GET /me shows them with availability', async () => {
    const before = (await jane.get('/api/v1/me')).json;
    expect(before).toMatchObject({ name: 'Jane Doe', signature: '', availability: 'available' });
    const res = await jane.patch('/api/v1/me', {
      name: 'Jane Q. Doe',
      signature: 'Jane\nSupport team  \n',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Jane Q. Doe', signature: 'Jane\nSupport team', role: 'agent' });
    expect((await jane.request('PUT', '/api/v1/me/availability', { availability: 'away' })).status).toBe(200);
    const after = (await jane.get('/api/v1/me')).as(CurrentUser);
    expect(after).toMatchObject({
      name: 'Jane Q. Doe',
      signature: 'Jane\nSupport team',
      availability: 'away',
    });
    // Admins see the new name too.
    const agents = (await jane.get('/api/v1/agents')).as(z.object({ items: z.array(AgentOut) })).items;
    expect(agents.find((a) => a.id === after.id)?.name).toBe('Jane Q. Doe');
  });

  it('validation is a 422 per field; email and role are not the agent’s to change', async () => {
    const blank = await jane.patch('/api/v1/me', { name: '  ', signature: 'x'.repeat(4001) });
    expect([blank.status, blank.error().code]).toEqual([422, 'validation_failed']);
    expect((blank.error().details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'name',
      'signature',
    ]);
    for (const body of [{ email: 'jane@evil.test' }, { role: 'admin' }]) {
      const res = await jane.patch('/api/v1/me', body);
      expect(res.status).toBe(422);
    }
    expect((await jane.get('/api/v1/me')).json).toMatchObject({
      email: 'jane@deskline.local',
      role: 'agent',
    });
  });

  it('customers and visitors cannot use it', async () => {
    expect((await karen.patch('/api/v1/me', { name: 'Karen X' })).status).toBe(403);
    expect((await api.anonymous.patch('/api/v1/me', { name: 'Nobody' })).status).toBe(401);
    const me = (await karen.get('/api/v1/me')).as(CurrentUser);
    expect(me.name).not.toBe('Karen X');
    expect(me.signature).toBeUndefined();
  });
});
