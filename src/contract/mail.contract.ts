import { z } from 'zod';

// The email channel's admin API: the mail log, inbound messages, built-in
// template texts, and each agent's own alert choices.

/** One mail the desk sent (or tried to). */
export const OutboxItemOut = z.object({
  id: z.number(),
  ticket: z.string().nullable(),
  to: z.string(),
  from: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  messageId: z.string(),
  inReplyTo: z.string().nullable(),
  status: z.string(),
  kind: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/** One message that arrived. */
export const InboundItemOut = z.object({
  id: z.number(),
  channel: z.string(),
  mailbox: z.string().nullable(),
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  size: z.number(),
  status: z.string(),
  reason: z.string().nullable(),
  ticket: z.string().nullable(),
  receivedAt: z.string(),
});

/** The built-in template texts and the variables they may use. */
export const TemplateDefaultsOut = z.object({
  variables: z.array(z.object({ name: z.string(), description: z.string() })),
  items: z.array(
    z.object({ kind: z.string(), subject: z.string(), body: z.string(), variables: z.array(z.string()) }),
  ),
});

/** An agent's alerts: each given one is turned on or off. */
export const NotificationPrefs = z.strictObject({
  newTicket: z.boolean().optional(),
  assigned: z.boolean().optional(),
  customerReplied: z.boolean().optional(),
  slaWarning: z.boolean().optional(),
});
export const NotificationsOut = NotificationPrefs.required();

export type OutboxItemOut = z.output<typeof OutboxItemOut>;
export type InboundItemOut = z.output<typeof InboundItemOut>;
export type TemplateDefaultsOut = z.output<typeof TemplateDefaultsOut>;
export type NotificationsOut = z.output<typeof NotificationsOut>;
