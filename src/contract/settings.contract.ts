import { z } from 'zod';
import { Email } from './email.contract.ts';

/** An IANA time zone this runtime knows (Intl throws a RangeError for any other). */
export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false; // no such zone
  }
}, 'Unknown time zone');

// The desk-wide settings' shapes: the service validates stored rows and API
// input with them, and the settings routes document their bodies with them.

const surveySettings = z.object({
  enabled: z.boolean(),
  /** When the survey goes out: on resolution, or only once the ticket is closed. */
  trigger: z.enum(['resolved', 'closed']),
  scale: z.enum(['five', 'binary']),
  /** The rating may be changed this many days after the first answer. */
  changeDays: z.number().int().min(0).max(365),
  /** A score at or below this alerts the team lead (null: never). */
  notifyLeadAtOrBelow: z.number().int().min(1).max(5).nullable(),
});

/**
 * Help-desk-wide settings, stored as JSON rows in `settings`. Each has a schema
 * and a default, so a missing or older row never breaks a read.
 */
export const SETTINGS = {
  /** sequence: offset + n in `format` ('#' = digit); random: osTicket style random digits. */
  ticket_number: z.object({
    mode: z.enum(['sequence', 'random']),
    format: z.string().regex(/#/, 'needs at least one #'),
    offset: z.number().int().min(0).max(1e12),
  }),
  lifecycle: z.object({
    // Durations added to instants: ten years at most, so a due time stays a time.
    reopenWindowDays: z.number().min(0).max(3650),
    /** A ticket awaiting the customer this many days gets one reminder to them (null: never). */
    reminderDays: z.number().min(1).max(3650).nullable(),
    autoCloseDays: z.number().min(0).max(3650).nullable(),
  }),
  intake: z.object({
    // The API's own schemas cap these at 255 characters and 1 MiB: a larger setting could never apply.
    maxSubjectLength: z.number().int().positive().max(255),
    maxBodyLength: z
      .number()
      .int()
      .positive()
      .max(1024 * 1024),
  }),
  /** Requests per window; 0 turns a limit off. Counted per process (see docs/API.md). */
  rate_limits: z.object({
    windowSeconds: z.number().int().positive().max(86_400),
    loginPerAccount: z.number().int().min(0).max(1_000_000),
    loginPerIp: z.number().int().min(0).max(1_000_000),
    intakePerKey: z.number().int().min(0).max(1_000_000),
    intakePerIp: z.number().int().min(0).max(1_000_000),
  }),
  /** The email channel (see docs/EMAIL.md). */
  mail: z.object({
    /** Larger messages: SMTP answers 552; IMAP and pipe keep them flagged for an admin, with no ticket. */
    maxMessageBytes: z
      .number()
      .int()
      .positive()
      .max(100 * 1024 * 1024),
    /** Addresses CC'd on a new ticket's first message become its collaborators. */
    ccAsCollaborators: z.boolean(),
    /** An agent answering a notification by email posts a reply to the customer, or an internal note. */
    agentEmailAs: z.enum(['reply', 'note']),
    /** Automatic answers (acknowledgements) to one address's emailed messages per hour; more are skipped (loop safety). Tickets opened in the portal, by phone or through the API are always acknowledged. */
    autoRepliesPerHour: z.number().int().min(0).max(10_000),
    /** Messages one client IP may deliver to the SMTP listener per minute (0: no limit); more get 451, try later. */
    smtpPerIpPerMinute: z.number().int().min(0).max(1_000_000),
    /** Refused senders: full addresses, or domains written "example.com" / "@example.com". */
    banned: z.array(z.string().trim().toLowerCase().min(1)).max(10_000),
    /** Sender of mail for departments without a mailbox of their own. */
    fromAddress: Email,
    fromName: z.string().min(1).max(100),
    /** Which agent alerts are sent at all (each agent can also turn their own off). */
    alerts: z.object({
      newTicket: z.boolean(),
      assigned: z.boolean(),
      customerReplied: z.boolean(),
      slaWarning: z.boolean(),
    }),
  }),
  /** Routing rules, assignment and the scheduler (see docs/AUTOMATION.md). */
  automation: z.object({
    /** The desk's time zone: routing rules' time-of-day conditions are read in it. */
    timezone: TimeZone,
    /** How often the scheduler looks for SLA warnings, breaches, auto-closes and unassigned work. */
    schedulerSeconds: z.number().int().min(5).max(3600),
  }),
  /** Confirmation and satisfaction surveys (see docs/SURVEYS.md); departments may override any field. */
  surveys: surveySettings.extend({
    departments: z.record(z.string().regex(/^\d+$/), surveySettings.partial()),
  }),
};
