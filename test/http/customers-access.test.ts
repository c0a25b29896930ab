import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { CurrentUser } from '../../src/contract/auth.contract.ts';
import { AgentOut, CustomerOut, OrganizationOut } from '../../src/contract/directory.contract.ts';
import { z } from 'zod';

const CustomersPage = z.object({ items: z.array(CustomerOut) });

// Issue 17, item 8: an agent of one department must not widen a customer's
// access (an organization that shares tickets shows its members every
// department's tickets), nor browse the customers of other departments.

describeEachDialect('who may see and change customers', (handle) => {
  let api: Harness;
  let admin: Session;
  let bill: Session;
  let billId: number;
  let sharing: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    billId = (
      await createAgent(api.desk.deps, {
        email: 'bill@deskline.local',
        name: 'Bill Ing',
        password: 'bill-password',
        departments: [{ department: 'Billing' }],
      })
    ).id;
    bill = await api.login('bill@deskline.local', 'bill-password');
    const open = (department: string, email: string, collaborators: { email: string }[] = []) =>
      admin.post('/api/v1/tickets', {
        subject: 'Hello',
        body: 'x',
        department,
        requester: { email },
        collaborators,
      });
    expect((await open('Support', 'support.only@clients.example')).status).toBe(201);
    expect(
      (await open('Billing', 'billing.only@clients.example', [{ email: 'cc@clients.example' }])).status,
    ).toBe(201);
    for (const email of [
      'support.only@clients.example',
      'billing.only@clients.example',
      'cc@clients.example',
    ]) {
      const row = await api.desk.db
        .selectFrom('customers')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst();
      ids[email] = row!.id;
    }
    sharing = (await admin.post('/api/v1/organizations', { name: 'Everyone Inc', sharesTickets: true })).as(
      OrganizationOut,
    ).id;
  });
  afterAll(() => api.close());

  const listed = async (who: Session, query = '') =>
    (await who.get(`/api/v1/customers?limit=200${query}`)).as(CustomersPage).items.map((c) => c.email);

  it('an agent lists and reads only customers of tickets they may view (requester or collaborator)', async () => {
    const mine = await listed(bill);
    expect(mine).toContain('billing.only@clients.example');
    expect(mine).toContain('cc@clients.example');
    expect(mine).not.toContain('support.only@clients.example');
    expect(await listed(bill, '&q=support')).toEqual([]);
    expect(await listed(bill, '&q=only')).toEqual(['billing.only@clients.example']);
    const read = await bill.get(`/api/v1/customers/${ids['support.only@clients.example']}`);
    expect([read.status, read.error().code]).toEqual([404, 'customer_not_found']);
    const edit = await bill.patch(`/api/v1/customers/${ids['support.only@clients.example']}`, {
      name: 'Renamed',
    });
    expect([edit.status, edit.error().code]).toEqual([404, 'customer_not_found']);
    expect((await bill.get(`/api/v1/customers/${ids['cc@clients.example']}`)).status).toBe(200);
    expect(await listed(admin)).toContain('support.only@clients.example');
  });

  it("phone intake: the caller's complete address finds them, a part of it does not", async () => {
    expect(await listed(bill, '&q=Support.Only@clients.example')).toEqual(['support.only@clients.example']);
    expect(await listed(bill, '&q=support.only@clients')).toEqual([]);
  });

  it("an agent cannot move a customer into an organization or change an organization's sharing", async () => {
    const customer = ids['billing.only@clients.example']!;
    const move = await bill.patch(`/api/v1/customers/${customer}`, { organization: sharing });
    expect([move.status, move.error().code]).toEqual([403, 'forbidden']);
    const created = await bill.post('/api/v1/customers', {
      email: 'new@clients.example',
      name: 'N',
      organization: sharing,
    });
    expect([created.status, created.error().code]).toEqual([403, 'forbidden']);
    const share = await bill.patch(`/api/v1/organizations/${sharing}`, { sharesTickets: false });
    expect(share.status).toBe(403);
    const row = await api.desk.db
      .selectFrom('customers')
      .select('organization_id')
      .where('id', '=', customer)
      .executeTakeFirst();
    expect(row!.organization_id).toBeNull();
    expect(
      await api.desk.db
        .selectFrom('customers')
        .select('id')
        .where('email', '=', 'new@clients.example')
        .executeTakeFirst(),
    ).toBeUndefined();
    // Name and phone of their own customers stay theirs to edit; the organization it has is no move.
    const named = await bill.patch(`/api/v1/customers/${customer}`, {
      name: 'Billing Only',
      organization: null,
    });
    expect([named.status, named.as(CustomerOut).name]).toEqual([200, 'Billing Only']);
  });

  it('"manage customers", given by an admin, lets an agent see every customer and move them', async () => {
    const granted = await admin.patch(`/api/v1/agents/${billId}`, { manageCustomers: true });
    expect([granted.status, granted.as(AgentOut).manageCustomers]).toEqual([200, true]);
    expect((await bill.get('/api/v1/me')).as(CurrentUser).manageCustomers).toBe(true);
    const other = ids['support.only@clients.example'];
    expect((await bill.get(`/api/v1/customers/${other}`)).status).toBe(200);
    const moved = await bill.patch(`/api/v1/customers/${other}`, { organization: sharing });
    expect([moved.status, moved.as(CustomerOut).organizationId]).toEqual([200, sharing]);
    // Organizations themselves (and their sharing) stay with admins.
    expect((await bill.patch(`/api/v1/organizations/${sharing}`, { sharesTickets: false })).status).toBe(403);
    await admin.patch(`/api/v1/agents/${billId}`, { manageCustomers: false });
  });
});
