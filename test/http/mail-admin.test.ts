import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEMPLATE_KINDS } from '../../src/modules/mail/mail.templates.ts';
import { T0 } from '../support/factories.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { z } from 'zod';
import {
  InboundItemOut,
  NotificationsOut,
  OutboxItemOut,
  TemplateDefaultsOut,
} from '../../src/contract/mail.contract.ts';
import { SETTINGS } from '../../src/contract/settings.contract.ts';
import { TicketOut } from '../../src/contract/tickets.contract.ts';

// Mailboxes and templates are admin tables (their full shapes are mail.admin-tables.ts's): the fields read
// here, every other key kept (loose), so `not.toHaveProperty` still sees what the server sent.
const Mailbox = z.looseObject({ id: z.number(), isActive: z.boolean(), imap: z.looseObject({}).nullable() });
const Template = z.looseObject({ id: z.number(), departmentId: z.number().nullable() });
const Outbox = z.object({ items: z.array(OutboxItemOut.loose()), nextCursor: z.string().nullable() });
const Inbound = z.object({ items: z.array(InboundItemOut.loose()), nextCursor: z.string().nullable() });

// The email channel's admin API: mailboxes (the IMAP secret never leaves the
// server), templates, the mail log and inbound messages, the `mail` setting,
// and an agent's own alert choices.

const SECRET = 'imap-pa55word-never-shown';
const IMAP = { host: 'imap.example.com', secret: SECRET, afterImport: 'move', archiveFolder: 'Done' };
const ADMIN_ONLY = ['mailboxes', 'mail-templates', 'mail-templates/defaults', 'mail/outbox', 'settings/mail'];
const CRLF = '\r\n';

describeEachDialect('email channel admin API', (handle) => {
  let api: Harness;
  let admin: Session;
  let jane: Session;
  let karen: Session;
  const snapshot = () => api.desk.deps.reference!.get();
  const box = (id: number, body: object) => admin.patch(`/api/v1/mailboxes/${id}`, body);
  const template = (body: object) => admin.post('/api/v1/mail-templates', body);
  // Injected directly: the harness client reads bodies as text, and these are bytes.
  const download = (id: number) =>
    api.app.inject({ url: `/api/v1/mail/inbound/${id}/raw`, headers: { cookie: admin.cookie } });

  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  it('mailboxes: the IMAP secret is stored, never shown, and kept by a PATCH that leaves it out', async () => {
    await snapshot(); // a cached copy that the write must drop
    const created = await admin.post('/api/v1/mailboxes', {
      address: 'Help@Mail.Example.com',
      name: 'Help desk',
      department: 'Support',
      imap: IMAP,
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toContain(SECRET);
    expect(created.json).toMatchObject({
      address: 'help@mail.example.com',
      isActive: true,
      imap: { host: 'imap.example.com', port: 993, tls: true, hasSecret: true, pollSeconds: 60 },
      uidValidity: null,
      lastUid: 0,
      lastPolledAt: null,
      lastError: null,
    });
    const mailbox = created.as(Mailbox);
    expect(mailbox.imap).not.toHaveProperty('secret');
    expect((await snapshot()).mailbox('HELP@mail.example.com')?.id).toBe(mailbox.id);

    const id = mailbox.id;
    for (const res of [await admin.get(`/api/v1/mailboxes/${id}`), await admin.get('/api/v1/mailboxes')]) {
      expect(res.status).toBe(200);
      expect(res.body).not.toContain(SECRET);
    }
    const stored = () =>
      api.desk.db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await api.desk.db
      .updateTable('mailboxes')
      .set({ uid_validity: 7, last_uid: 42 })
      .where('id', '=', id)
      .execute();

    const patched = await box(id, { name: 'Helpdesk', imap: { pollSeconds: 30 } });
    expect(patched.json).toMatchObject({ name: 'Helpdesk', imap: { hasSecret: true, pollSeconds: 30 } });
    expect(await stored()).toMatchObject({ imap_secret: SECRET, uid_validity: 7, last_uid: 42 });
    // Another folder is another UID space: polling starts over there.
    const moved = await box(id, { imap: { folder: 'Support' } });
    expect(moved.json).toMatchObject({ uidValidity: null, lastUid: 0, imap: { hasSecret: true } });

    const clash = await admin.post('/api/v1/mailboxes', { address: 'HELP@mail.example.com', name: 'Again' });
    expect([clash.status, clash.error().code]).toEqual([409, 'mailbox_exists']);
    const noArchive = await box(id, { imap: { archiveFolder: null } });
    expect([noArchive.status, (noArchive.error().details as { path: string }[])[0]!.path]).toEqual([
      422,
      'imap.archiveFolder',
    ]);
    expect((await box(id, { imap: { pollSeconds: 5 } })).status).toBe(422);
    const noHost = await admin.post('/api/v1/mailboxes', { address: 'x@example.com', name: 'X', imap: {} });
    expect(noHost.status).toBe(422);

    expect((await box(id, { imap: null })).as(Mailbox).imap).toBeNull();
    expect(await stored()).toMatchObject({ imap_host: null, imap_secret: null });
    expect((await box(id, { isActive: false })).as(Mailbox).isActive).toBe(false);
    expect((await snapshot()).mailbox('help@mail.example.com')).toBeUndefined();
    expect((await admin.del(`/api/v1/mailboxes/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/mailboxes/${id}`)).status).toBe(404);
  });

  it('mailboxes and templates are for admins and admin keys only', async () => {
    for (const path of ADMIN_ONLY) {
      const agent = await jane.get(`/api/v1/${path}`);
      expect([path, agent.status, agent.error().code]).toEqual([path, 403, 'forbidden']);
      expect([path, (await karen.get(`/api/v1/${path}`)).status]).toEqual([path, 403]);
      expect([path, (await api.anonymous.get(`/api/v1/${path}`)).status]).toEqual([path, 401]);
    }
    const denied = await jane.post('/api/v1/mailboxes', { address: 'sneaky@example.com', name: 'Sneaky' });
    expect([denied.status, denied.error().code]).toEqual([403, 'forbidden']);
    const reader = await api.withKey({ name: 'reader', scopes: ['tickets:read'] });
    const scoped = await reader.get('/api/v1/mailboxes');
    expect([scoped.status, scoped.error().code]).toEqual([403, 'scope_missing']);
    const adminKey = await api.withKey({ name: 'admin script', scopes: ['admin'] });
    expect((await adminKey.get('/api/v1/mail/inbound')).status).toBe(200);
  });

  it('templates: one per kind and scope, a department or a topic but not both; defaults list every kind', async () => {
    const billing = await template({
      kind: 'acknowledgement',
      department: 'Billing',
      subject: 'Billing got it: {{subject}}',
      body: 'Dear {{requesterName}}, ticket {{number}} is with {{departmentName}}.',
    });
    expect(billing.status).toBe(201);
    expect(billing.json).toMatchObject({ kind: 'acknowledgement', helpTopicId: null });
    expect(billing.as(Template).departmentId).toEqual(expect.any(Number));
    const small = { kind: 'resolved', subject: 's', body: 'b' };
    const topic = { helpTopic: 'Billing Question' };
    const both = await template({ ...small, ...topic, department: 'Billing' });
    expect([both.status, both.error().code]).toEqual([422, 'validation_failed']);
    const addTopic = await admin.patch(`/api/v1/mail-templates/${billing.as(Template).id}`, topic);
    expect(addTopic.status).toBe(422);
    const twin = await template({ ...small, kind: 'acknowledgement', department: 'billing' });
    expect([twin.status, twin.error().code]).toEqual([409, 'mail_template_exists']);
    expect((await template({ ...small, kind: 'party' })).status).toBe(422);
    // 40,000 characters, 80,000 bytes: over 64 KiB.
    expect((await template({ ...small, body: 'é'.repeat(40_000) })).status).toBe(422);
    expect((await template({ ...small, ...topic })).status).toBe(201);

    const defaults = await admin.get('/api/v1/mail-templates/defaults');
    expect(defaults.status).toBe(200);
    const kinds = defaults.as(TemplateDefaultsOut).items.map((i) => i.kind);
    expect(kinds.sort()).toEqual([...TEMPLATE_KINDS].sort());
    const names = defaults
      .as(TemplateDefaultsOut)
      .variables.map((v) => v.name)
      .join(' ');
    expect(names).toBe(
      'number subject requesterName departmentName portalUrl agentUrl body team slaTarget slaDue surveyLinks score comment',
    );
    const reply = defaults.as(TemplateDefaultsOut).items.find((i) => i.kind === 'reply')!;
    expect(reply.variables).toContain('body');
    expect(reply.body).toContain('{{body}}');
  });

  it('outbox: the mail log newest first, filtered and paged; the admin template is used', async () => {
    const open = (subject: string, email: string, department: string) =>
      admin.post('/api/v1/tickets', { subject, body: 'Please help.', requester: { email }, department });
    const ticket = await open('Invoice twice', 'karen@example.com', 'Billing');
    expect(ticket.status).toBe(201);
    expect((await open('VPN down', 'vpn@example.org', 'Support')).status).toBe(201);
    expect(await api.runJobs()).toBe(6); // the jobs the two new tickets queued
    const number = ticket.as(TicketOut).number;

    const mine = await admin.get(`/api/v1/mail/outbox?ticket=${number}`);
    expect(mine.status).toBe(200);
    const ack = mine.as(Outbox).items.find((m) => m.kind === 'auto')!;
    expect(ack).toMatchObject({
      ticket: number,
      to: 'karen@example.com',
      subject: `[#${number}] Billing got it: Invoice twice`,
      status: 'logged',
      error: null,
      sentAt: null,
      createdAt: new Date(T0).toISOString(),
    });
    expect(ack.messageId).toMatch(/^<.+@.+>$/);
    expect(ack.body).toContain('Billing');
    const toKaren = await admin.get('/api/v1/mail/outbox?to=KAREN@example.com&status=logged');
    expect(toKaren.as(Outbox).items.map((m) => m.id)).toContain(ack.id);
    expect((await admin.get('/api/v1/mail/outbox?status=sent')).as(Outbox).items).toEqual([]);

    const all = (await admin.get('/api/v1/mail/outbox?limit=100')).as(Outbox).items;
    expect(all).toHaveLength(3);
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((a, b) => b - a));
    const first = await admin.get('/api/v1/mail/outbox?limit=1');
    const firstPage = first.as(Outbox);
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const second = await admin.get(`/api/v1/mail/outbox?limit=1&cursor=${firstPage.nextCursor}`);
    expect([firstPage.items[0]!.id, second.as(Outbox).items[0]!.id]).toEqual([all[0]!.id, all[1]!.id]);
    const bad = await admin.get('/api/v1/mail/outbox?cursor=nonsense');
    expect([bad.status, bad.error().code]).toEqual([422, 'invalid_cursor']);
    expect((await admin.get('/api/v1/mail/outbox?limit=101')).status).toBe(422);
  });

  it('inbound: listed without the raw bytes, downloaded exactly as they arrived', async () => {
    const key = await api.withKey({ name: 'mta', scopes: ['tickets:create'] });
    const message = Buffer.from(
      [
        'From: Dora Piped <dora@example.net>',
        'Subject: Printer on fire',
        'Message-ID: <printer-1@example.net>',
        '',
        'It is on fire.',
        '',
      ].join(CRLF),
    );
    const piped = await api.postRaw('/api/tickets.email', message, 'text/plain', { 'x-api-key': key.key });
    expect(piped.status).toBe(201);
    // Bytes no text decoding survives: the download must hand them back untouched.
    const binary = Buffer.from([...Buffer.from(`Subject: odd${CRLF}${CRLF}`), 0xff, 0xfe, 0x00, 0x80, 0x0d]);
    const inserted = await api.desk.db
      .insertInto('inbound_messages')
      .values({
        channel: 'smtp',
        from_address: 'odd@example.org',
        subject: 'odd',
        size: binary.length,
        raw: binary,
        status: 'flagged',
        reason: 'too_large',
        received_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const list = await admin.get('/api/v1/mail/inbound');
    expect(list.status).toBe(200);
    expect(list.body).not.toContain('It is on fire');
    const [newest, fromApi] = list.as(Inbound).items;
    expect(newest).toMatchObject({ id: inserted.id, status: 'flagged', reason: 'too_large' });
    expect(fromApi).toMatchObject({
      channel: 'api',
      messageId: '<printer-1@example.net>',
      from: 'dora@example.net',
      subject: 'Printer on fire',
      size: message.length,
      status: 'ticket',
      ticket: piped.body,
    });
    expect(fromApi).not.toHaveProperty('raw');
    const ticketsOnly = await admin.get('/api/v1/mail/inbound?status=ticket&channel=api');
    expect(ticketsOnly.as(Inbound).items.map((m) => m.id)).toEqual([fromApi!.id]);
    const page1 = await admin.get('/api/v1/mail/inbound?limit=1');
    const page2 = await admin.get(`/api/v1/mail/inbound?limit=1&cursor=${page1.as(Inbound).nextCursor}`);
    expect([page1.as(Inbound).items[0]!.id, page2.as(Inbound).items[0]!.id]).toEqual([
      inserted.id,
      fromApi!.id,
    ]);
    expect(page2.as(Inbound).nextCursor).toBeNull();

    for (const [id, bytes] of [
      [inserted.id, binary],
      [fromApi!.id as number, message],
    ] as const) {
      const res = await download(id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('message/rfc822');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="inbound-${id}.eml"`);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.rawPayload.equals(bytes)).toBe(true);
    }
    const missing = await admin.get('/api/v1/mail/inbound/999999/raw');
    expect([missing.status, missing.error().code]).toEqual([404, 'inbound_message_not_found']);
    expect((await jane.get(`/api/v1/mail/inbound/${inserted.id}/raw`)).status).toBe(403);
  });

  it('settings: read, replace whole, and a bad value changes nothing', async () => {
    const before = await admin.get('/api/v1/settings/mail');
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ autoRepliesPerHour: 5, agentEmailAs: 'reply' });
    await snapshot();
    const next = {
      ...before.as(SETTINGS.mail),
      autoRepliesPerHour: 2,
      banned: ['Spam.Example'],
      agentEmailAs: 'note',
    };
    const put = await admin.request('PUT', '/api/v1/settings/mail', next);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ autoRepliesPerHour: 2, banned: ['spam.example'], agentEmailAs: 'note' });
    expect((await admin.get('/api/v1/settings/mail')).json).toEqual(put.json);
    expect((await snapshot()).settings.mail.autoRepliesPerHour).toBe(2);

    const bad = await admin.request('PUT', '/api/v1/settings/mail', {
      ...put.as(SETTINGS.mail),
      autoRepliesPerHour: -1,
    });
    expect([bad.status, bad.error().code]).toEqual([422, 'validation_failed']);
    expect((bad.error().details as { path: string }[])[0]!.path).toBe('autoRepliesPerHour');
    const partial = await admin.request('PUT', '/api/v1/settings/mail', { autoRepliesPerHour: 9 });
    expect(partial.status).toBe(422);
    expect((await admin.get('/api/v1/settings/mail')).json).toEqual(put.json);
    const byAgent = await jane.request('PUT', '/api/v1/settings/mail', put.json);
    expect(byAgent.status).toBe(403);
  });

  it('an agent chooses their own alerts; missing keys mean on', async () => {
    const before = await jane.get('/api/v1/me/notifications');
    expect(before.json).toEqual({ newTicket: true, assigned: true, customerReplied: true, slaWarning: true });
    const put = await jane.request('PUT', '/api/v1/me/notifications', { customerReplied: false });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ newTicket: true, assigned: true, customerReplied: false, slaWarning: true });
    expect((await jane.get('/api/v1/me/notifications')).as(NotificationsOut).customerReplied).toBe(false);
    const row = await api.desk.db
      .selectFrom('agents')
      .select('notifications')
      .where('email', '=', 'jane@deskline.local')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.notifications)).toEqual({ customerReplied: false });
    // Only Jane's own choice changed.
    expect((await admin.get('/api/v1/me/notifications')).as(NotificationsOut).customerReplied).toBe(true);

    const unknown = await jane.request('PUT', '/api/v1/me/notifications', { everything: false });
    expect(unknown.status).toBe(422);
    expect((await karen.get('/api/v1/me/notifications')).status).toBe(403);
    const system = await api.withKey({ name: 'system' });
    const noAgent = await system.get('/api/v1/me/notifications');
    expect([noAgent.status, noAgent.error().code]).toEqual([403, 'agent_required']);
  });
});
