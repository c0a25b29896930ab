import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { z } from 'zod';
import { ApiKeyCreatedOut, ApiKeyListOut, CurrentUser } from '../../src/contract/auth.contract.ts';
import {
  AgentOut,
  CustomerOut,
  DepartmentOut,
  HelpTopicOut,
  StatusOut,
  TeamOut,
} from '../../src/contract/directory.contract.ts';
import { TicketOut } from '../../src/contract/tickets.contract.ts';

const Listed = z.object({ items: z.array(z.object({ id: z.number() })) });
const Agents = z.object({ items: z.array(AgentOut) });
const Statuses = z.object({ items: z.array(StatusOut) });
const HelpTopics = z.object({ items: z.array(HelpTopicOut) });
const Customers = z.object({ items: z.array(CustomerOut), nextCursor: z.string().nullable() });

describeEachDialect('directory and admin API', (handle) => {
  let api: Harness;
  let admin: Client;
  let jane: Client;
  let karen: Client;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  it('staff read every reference list; agents never see password hashes', async () => {
    // What the test desk is seeded with (test/support/factories.ts).
    for (const [path, seeded] of [
      ['departments', 3],
      ['teams', 2],
      ['help-topics', 5],
      ['priorities', 4],
      ['statuses', 5],
      ['sla-plans', 2],
      ['organizations', 1],
      ['agents', 3],
    ] as const) {
      const res = await jane.get(`/api/v1/${path}`);
      expect([path, res.status, res.as(Listed).items.length]).toEqual([path, 200, seeded]);
    }
    const agents = await jane.get('/api/v1/agents');
    expect(agents.body).not.toContain('scrypt');
    expect(agents.as(Agents).items.find((a) => a.email === 'jane@deskline.local')).toMatchObject({
      role: 'agent',
      isActive: true,
    });
    const statuses = (await jane.get('/api/v1/statuses')).as(Statuses).items;
    expect(statuses.find((s) => s.name === 'Open')).toMatchObject({ state: 'open', system: true });
    expect((await karen.get('/api/v1/departments')).status).toBe(403);
  });

  it('help topics: customers and visitors see the public ones only', async () => {
    const all = (await jane.get('/api/v1/help-topics')).as(HelpTopics).items;
    const hidden = await admin.post('/api/v1/help-topics', {
      name: 'Internal Escalation',
      isPublic: false,
      department: 'SysAdmin',
    });
    expect(hidden.status).toBe(201);
    const anon = (await api.anonymous.get('/api/v1/help-topics')).as(HelpTopics).items;
    const customer = (await karen.get('/api/v1/help-topics')).as(HelpTopics).items;
    expect(anon.map((t) => t.name)).not.toContain('Internal Escalation');
    expect(customer.map((t) => t.name)).toEqual(anon.map((t) => t.name));
    expect((await jane.get('/api/v1/help-topics')).as(HelpTopics).items).toHaveLength(all.length + 1);
    expect((await api.anonymous.get(`/api/v1/help-topics/${hidden.as(HelpTopicOut).id}`)).status).toBe(404);
    const viaPortal = await karen.post('/api/v1/tickets', {
      subject: 'x',
      body: 'y',
      requester: { email: 'karen@example.com' },
      helpTopic: 'Internal Escalation',
    });
    expect([viaPortal.status, viaPortal.error().code]).toEqual([404, 'help_topic_not_found']);
    const staff = await jane.post('/api/v1/tickets', {
      subject: 'x',
      body: 'y',
      requester: { email: 'karen@example.com' },
      helpTopic: 'Internal Escalation',
    });
    expect(staff.status).toBe(201);
  });

  it('admins create, change and delete; the change is used at once', async () => {
    const created = await admin.post('/api/v1/departments', { name: 'Field Service', autoCloseDays: 3 });
    expect(created.status).toBe(201);
    expect(created.as(DepartmentOut)).toMatchObject({
      name: 'Field Service',
      autoCloseDays: 3,
      autoAssign: 'off',
    });
    const ticket = await admin.post('/api/v1/tickets', {
      subject: 'Van broke down',
      body: 'x',
      requester: { email: 'v@example.com' },
      department: 'Field Service',
    });
    expect([ticket.status, ticket.as(TicketOut).department]).toEqual([201, 'Field Service']);
    const renamed = await admin.patch(`/api/v1/departments/${created.as(DepartmentOut).id}`, {
      name: 'Field Ops',
    });
    expect(renamed.as(DepartmentOut).name).toBe('Field Ops');
    expect((await admin.get(`/api/v1/tickets/${ticket.as(TicketOut).number}`)).as(TicketOut).department).toBe(
      'Field Ops',
    );
    const inUse = await admin.del(`/api/v1/departments/${created.as(DepartmentOut).id}`);
    expect([inUse.status, inUse.error().code]).toEqual([409, 'department_in_use']);
    expect((await admin.get(`/api/v1/departments/${created.as(DepartmentOut).id}`)).status).toBe(200);
    const clash = await admin.post('/api/v1/departments', { name: 'Billing' });
    expect([clash.status, clash.error().code]).toEqual([409, 'department_exists']);
    const unused = await admin.post('/api/v1/departments', { name: 'Temporary' });
    expect((await admin.del(`/api/v1/departments/${unused.as(DepartmentOut).id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/departments/${unused.as(DepartmentOut).id}`)).status).toBe(404);
  });

  it('refuses agents, keys without the admin scope, bad input and system statuses', async () => {
    const denied = await jane.post('/api/v1/departments', { name: 'Sneaky' });
    expect([denied.status, denied.error().code]).toEqual([403, 'forbidden']);
    const key = await api.withKey({ name: 'script', scopes: ['tickets:read', 'tickets:write'] });
    const scoped = await key.post('/api/v1/priorities', { name: 'Urgent', level: 9, color: '#ff0000' });
    expect([scoped.status, scoped.error().code]).toEqual([403, 'scope_missing']);
    const bad = await admin.post('/api/v1/priorities', { name: 'Urgent', level: 9, color: 'red' });
    expect([bad.status, bad.error().code]).toEqual([422, 'validation_failed']);
    const statuses = (await admin.get('/api/v1/statuses')).as(Statuses).items;
    const system = await admin.del(`/api/v1/statuses/${statuses.find((s) => s.system)!.id}`);
    expect([system.status, system.error().code]).toEqual([409, 'status_system']);
    const custom = await admin.post('/api/v1/statuses', {
      name: 'Waiting on vendor',
      state: 'pending',
      pausesSla: true,
    });
    expect(custom.as(StatusOut)).toMatchObject({ state: 'pending', system: false, pausesSla: true });
    const stateChange = await admin.patch(`/api/v1/statuses/${custom.as(StatusOut).id}`, { state: 'closed' });
    expect(stateChange.status).toBe(422);
  });

  it('teams keep their member list; agents are managed and the last admin stays', async () => {
    const team = await admin.post('/api/v1/teams', {
      name: 'Night Shift',
      lead: 'jane@deskline.local',
      members: ['jane@deskline.local', 'jerry@deskline.local'],
    });
    expect(team.as(TeamOut).members.map((m) => m.email)).toEqual([
      'jane@deskline.local',
      'jerry@deskline.local',
    ]);
    const trimmed = await admin.patch(`/api/v1/teams/${team.as(TeamOut).id}`, {
      members: ['jerry@deskline.local'],
    });
    expect(trimmed.as(TeamOut).members.map((m) => m.email)).toEqual(['jerry@deskline.local']);

    const agent = await admin.post('/api/v1/agents', {
      email: 'nina@deskline.local',
      name: 'Nina Neu',
      password: 'nina-password',
      departments: [{ department: 'Billing', permissions: ['view', 'reply'] }],
    });
    expect(agent.status).toBe(201);
    expect(agent.as(AgentOut).departments).toHaveLength(1);
    const nina = await api.login('nina@deskline.local', 'nina-password');
    expect((await nina.get('/api/v1/me')).status).toBe(200);
    const off = await admin.patch(`/api/v1/agents/${agent.as(AgentOut).id}`, { isActive: false });
    expect(off.as(AgentOut).isActive).toBe(false);
    expect((await nina.get('/api/v1/me')).status).toBe(401);
    const me = (await admin.get('/api/v1/me')).as(CurrentUser);
    const last = await admin.patch(`/api/v1/agents/${me.id}`, { role: 'agent' });
    expect([last.status, last.error().code]).toEqual([409, 'last_admin']);
  });

  it('customers: search, keyset pages without repeats, staff create, admins ban', async () => {
    // Jane creates them (phone intake); browsing every customer is for admins (test/http/customers-access.test.ts).
    for (let i = 0; i < 120; i++) {
      const res = await jane.post('/api/v1/customers', {
        email: `pager${String(i).padStart(3, '0')}@paging.example`,
        name: `Pager ${i}`,
      });
      expect(res.status).toBe(201);
    }
    const dupe = await jane.post('/api/v1/customers', { email: 'PAGER001@paging.example', name: 'Again' });
    expect([dupe.status, dupe.error().code]).toEqual([409, 'customer_exists']);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: z.output<typeof Customers> = (
        await admin.get(`/api/v1/customers?q=pager&limit=25${cursor ? `&cursor=${cursor}` : ''}`)
      ).as(Customers);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const first = seen[0]!;
    // Karen is Jane's to read once Jane has a ticket of hers; banning is still the admins'.
    await jane.post('/api/v1/tickets', {
      subject: 'Call',
      body: 'x',
      requester: { email: 'karen@example.com' },
    });
    const karen = (await jane.get('/api/v1/customers?q=karen')).as(Customers).items[0]!;
    const banByAgent = await jane.patch(`/api/v1/customers/${karen.id}`, { isBanned: true });
    expect([banByAgent.status, banByAgent.error().code]).toEqual([403, 'forbidden']);
    expect(
      (await admin.patch(`/api/v1/customers/${first}`, { isBanned: true })).as(CustomerOut).isBanned,
    ).toBe(true);
  });

  it('API keys: listed without secrets, created once, revoked at once', async () => {
    const created = await admin.post('/api/v1/api-keys', {
      name: 'zabbix',
      scopes: ['tickets:create'],
      cidrs: ['10.0.0.0/8'],
    });
    expect(created.status).toBe(201);
    expect(created.as(ApiKeyCreatedOut).key).toMatch(/^[0-9A-F]{32}$/);
    const list = await admin.get('/api/v1/api-keys');
    expect(list.body).not.toContain(created.as(ApiKeyCreatedOut).key);
    expect(list.as(ApiKeyListOut).items.find((k) => k.id === created.as(ApiKeyCreatedOut).id)).toMatchObject({
      name: 'zabbix',
      prefix: created.as(ApiKeyCreatedOut).key.slice(0, 6),
      cidrs: ['10.0.0.0/8'],
      revokedAt: null,
    });
    const key = await api.withKey({ name: 'short-lived' });
    expect((await key.get('/api/v1/me')).status).toBe(200);
    expect((await admin.del(`/api/v1/api-keys/${key.keyId}`)).status).toBe(204);
    const after = await key.get('/api/v1/me');
    expect([after.status, after.error().code]).toEqual([401, 'api_key_invalid']);
    expect((await admin.del('/api/v1/api-keys/999999')).status).toBe(404);
  });
});
