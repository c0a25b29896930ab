import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { route } from '../../http/route.ts';
import {
  getMailSettings,
  getNotifications,
  InboundQuery,
  inboundRaw,
  listInbound,
  listOutbox,
  OutboxQuery,
  replaceMailSettings,
  setNotifications,
  templateDefaults,
  type InboundListRow,
  type OutboxRow,
} from './mail.admin.service.ts';
import {
  InboundItemOut,
  NotificationPrefs,
  NotificationsOut,
  OutboxItemOut,
  TemplateDefaultsOut,
} from '../../contract/mail.contract.ts';
import { SETTINGS } from '../../contract/settings.contract.ts';
import { isoOrNull, isoText } from '../../contract/instant.contract.ts';

// The email channel's admin API: the mail log, inbound messages (raw bytes
// only as a download), the `mail` setting, built-in template texts, and each
// agent's own alert choices. Mailboxes and templates are admin tables (mail.admin-tables.ts).

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const presentOutbox = (r: OutboxRow): OutboxItemOut => ({
  id: r.id,
  ticket: r.ticket_number,
  to: r.to_address,
  from: r.from_address,
  subject: r.subject,
  body: r.body,
  messageId: r.message_id,
  inReplyTo: r.in_reply_to,
  status: r.status,
  kind: r.kind,
  error: r.error,
  createdAt: isoText(r.created_at),
  sentAt: isoOrNull(r.sent_at),
});

const presentInbound = (r: InboundListRow): InboundItemOut => ({
  id: r.id,
  channel: r.channel,
  mailbox: r.mailbox,
  messageId: r.message_id,
  from: r.from_address,
  subject: r.subject,
  size: r.size,
  status: r.status,
  reason: r.reason,
  ticket: r.ticket_number,
  receivedAt: isoText(r.received_at),
});

const MailSetting = SETTINGS.mail;

export function registerMailRoutes(ctx: HttpContext): void {
  const mail = ['Mail'];
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/mail/outbox',
      summary: 'The mail log, newest first (keyset paging)',
      tags: mail,
      access: 'admin',
      query: OutboxQuery,
      response: page(OutboxItemOut),
    },
    async ({ query }) => {
      const p = await listOutbox(ctx.deps, query);
      return { items: p.items.map(presentOutbox), nextCursor: p.nextCursor };
    },
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/mail/inbound',
      summary: 'Inbound messages and what became of them, newest first (keyset paging)',
      tags: mail,
      access: 'admin',
      query: InboundQuery,
      response: page(InboundItemOut),
    },
    async ({ query }) => {
      const p = await listInbound(ctx.deps, query);
      return { items: p.items.map(presentInbound), nextCursor: p.nextCursor };
    },
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/mail/inbound/:id/raw',
      summary: 'Download an inbound message exactly as it arrived (.eml)',
      tags: mail,
      access: 'admin',
      params: z.strictObject({ id: z.coerce.number().int().positive() }),
      contentType: 'message/rfc822',
    },
    async ({ params, reply }) => {
      const raw = await inboundRaw(ctx.deps, params.id);
      // Always a download: a message may hold HTML or scripts that must not render in the desk's origin.
      return reply
        .type('message/rfc822')
        .header('content-disposition', `attachment; filename="inbound-${params.id}.eml"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(raw);
    },
  );

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/mail-templates/defaults',
      summary: 'The built-in text of every mail template kind, and the variables it can use',
      tags: ['Mail templates'],
      access: 'admin',
      response: TemplateDefaultsOut,
    },
    async () => templateDefaults(),
  );

  const settings = ['Settings'];
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/settings/mail',
      summary: 'The email channel settings',
      tags: settings,
      access: 'admin',
      response: MailSetting,
    },
    async () => getMailSettings(ctx.deps),
  );
  route(
    ctx,
    {
      method: 'PUT',
      url: '/api/v1/settings/mail',
      summary: 'Replace the email channel settings (every field)',
      tags: settings,
      access: 'admin',
      body: MailSetting,
      response: MailSetting,
      // The list of banned senders may run to thousands of entries.
      bodyLimit: BODY_LIMITS.text,
    },
    async ({ body }) => replaceMailSettings(ctx.deps, body),
  );

  const me = ['Authentication'];
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/me/notifications',
      summary: 'Which alerts I get by email',
      tags: me,
      access: 'agent',
      response: NotificationsOut,
    },
    async ({ actor }) => getNotifications(ctx.deps, actor),
  );
  route(
    ctx,
    {
      method: 'PUT',
      url: '/api/v1/me/notifications',
      summary: 'Choose which alerts I get by email (a key left out is on)',
      tags: me,
      access: 'agent',
      // A key that may only create or read tickets must not silence its agent's alerts.
      scope: 'tickets:write',
      body: NotificationPrefs,
      response: NotificationsOut,
    },
    async ({ actor, body }) => setNotifications(ctx.deps, actor, body),
  );
}
