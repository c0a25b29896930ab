import { z } from 'zod';
import { PersonName } from './common.contract.ts';
import { Email } from './email.contract.ts';

// Signing in and out, portal accounts and access links, and who the caller is.

/** What an agent may do in a department. */
export const PERMISSIONS = ['view', 'reply', 'assign', 'transfer', 'close', 'delete'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const AVAILABILITIES = ['available', 'away', 'vacation'] as const;
export const AvailabilityValue = z.enum(AVAILABILITIES);
export type AvailabilityValue = z.output<typeof AvailabilityValue>;

export const Credentials = z.strictObject({
  email: Email,
  password: z.string().min(1).max(1024),
});

export const NewPassword = z.strictObject({
  currentPassword: z.string().max(1024).optional(),
  newPassword: z.string().min(10, 'use at least 10 characters').max(1024),
});

export const AccessLinkRequest = z.strictObject({ email: Email });
export const AccessLinkRedeem = z.strictObject({ token: z.string().min(20).max(200) });

export const Signup = z.strictObject({
  email: Email,
  name: PersonName,
  password: z.string().min(10, 'use at least 10 characters').max(1024),
});
export const Confirmation = AccessLinkRedeem.extend({
  /** The password chosen at sign-up (confirming a sign-up needs it). */
  password: z.string().min(1).max(1024).optional(),
});
export const EmailChange = z.strictObject({ email: Email });

/** What an agent may change about themselves (role, access and email stay with admins). */
export const ProfileUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  /** Appended to replies; plain text, several lines. */
  signature: z.string().max(4000).optional(),
});

export const CurrentUser = z.object({
  kind: z.enum(['agent', 'customer', 'system']),
  id: z.number().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(['admin', 'agent', 'customer', 'system']),
  departments: z.array(z.object({ id: z.number(), permissions: z.array(z.string()) })),
  teams: z.array(z.number()),
  /** Agents only: what their own profile page edits. */
  signature: z.string().optional(),
  availability: AvailabilityValue.optional(),
  /** Agents only: may change customers' organizations and addresses (admins always may). */
  manageCustomers: z.boolean().optional(),
  /** Customers only: their organization, and whether its tickets are shared with them (the portal's tab). */
  organization: z
    .object({ id: z.number(), name: z.string(), sharesTickets: z.boolean() })
    .nullable()
    .optional(),
});
export type CurrentUser = z.output<typeof CurrentUser>;

/** A sign-in's answer: the session's CSRF token and who is signed in. */
export const SessionOut = z.object({ csrfToken: z.string(), user: CurrentUser });
export type SessionOut = z.output<typeof SessionOut>;

/** A redeemed access link: signed in, and the ticket the link was mailed for (if any). */
export const RedeemedOut = SessionOut.extend({ ticket: z.string().nullable() });
export type RedeemedOut = z.output<typeof RedeemedOut>;

/** A confirmed link: signed in, and what was confirmed. */
export const ConfirmedOut = SessionOut.extend({ purpose: z.enum(['signup', 'email_change']) });
export type ConfirmedOut = z.output<typeof ConfirmedOut>;

/** A mail went out (or would have: the answer never tells whether an address is known). */
export const ConfirmationSentOut = z.object({ status: z.literal('confirmation_sent') });
export const SentIfKnownOut = z.object({ status: z.literal('sent_if_known') });

/** An API key as admins list it: never the key itself, only its first characters. */
export const ApiKeyOut = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  agent: z.string().nullable(),
  scopes: z.array(z.string()),
  cidrs: z.array(z.string()),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ApiKeyListOut = z.object({ items: z.array(ApiKeyOut) });
/** A new key: the only answer that shows it. */
export const ApiKeyCreatedOut = z.object({ id: z.number(), key: z.string() });
