import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY } from '../../lib/clock.ts';
import type { Deps } from '../../lib/deps.ts';
import { invalid } from '../../lib/errors.ts';
import { enqueue } from '../../jobs/outbox.repository.ts';
import { REBUILD_JOB } from '../reports/reports.touch.ts';
import { isValidTimeZone } from '../sla/sla.timezone.ts';

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
const schemas = {
  /** sequence: offset + n in `format` ('#' = digit); random: osTicket style random digits. */
  ticket_number: z.object({
    mode: z.enum(['sequence', 'random']),
    format: z.string().regex(/#/, 'needs at least one #'),
    offset: z.number().int().min(0),
  }),
  lifecycle: z.object({
    // Durations added to instants: ten years at most, so a due time stays a time.
    reopenWindowDays: z.number().min(0).max(3650),
    /** A ticket awaiting the customer this many days gets one reminder to them (null: never). */
    reminderDays: z.number().min(1).max(3650).nullable(),
    autoCloseDays: z.number().min(0).max(3650).nullable(),
  }),
  intake: z.object({
    maxSubjectLength: z.number().int().positive(),
    maxBodyLength: z.number().int().positive(),
  }),
  /** Requests per window; 0 turns a limit off. Counted per process (see docs/API.md). */
  rate_limits: z.object({
    windowSeconds: z.number().int().positive(),
    loginPerAccount: z.number().int().min(0),
    loginPerIp: z.number().int().min(0),
    intakePerKey: z.number().int().min(0),
    intakePerIp: z.number().int().min(0),
  }),
  /** The email channel (see docs/EMAIL.md). */
  mail: z.object({
    /** Larger messages: SMTP answers 552; IMAP and pipe keep them flagged for an admin, with no ticket. */
    maxMessageBytes: z.number().int().positive(),
    /** Addresses CC'd on a new ticket's first message become its collaborators. */
    ccAsCollaborators: z.boolean(),
    /** An agent answering a notification by email posts a reply to the customer, or an internal note. */
    agentEmailAs: z.enum(['reply', 'note']),
    /** Automatic answers (acknowledgements) to one address per hour; more are skipped (loop safety). */
    autoRepliesPerHour: z.number().int().min(0),
    /** Messages one client IP may deliver to the SMTP listener per minute (0: no limit); more get 451, try later. */
    smtpPerIpPerMinute: z.number().int().min(0),
    /** Refused senders: full addresses, or domains written "example.com" / "@example.com". */
    banned: z.array(z.string().trim().toLowerCase().min(1)).max(10_000),
    /** Sender of mail for departments without a mailbox of their own. */
    fromAddress: z.email(),
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
    timezone: z.string().refine(isValidTimeZone, 'Unknown time zone'),
    /** How often the scheduler looks for SLA warnings, breaches, auto-closes and unassigned work. */
    schedulerSeconds: z.number().int().min(5).max(3600),
  }),
  /** Confirmation and satisfaction surveys (see docs/SURVEYS.md); departments may override any field. */
  surveys: surveySettings.extend({
    departments: z.record(z.string().regex(/^\d+$/), surveySettings.partial()),
  }),
};

export type SettingKey = keyof typeof schemas;
export type Setting<K extends SettingKey> = z.infer<(typeof schemas)[K]>;

const defaults: { [K in SettingKey]: Setting<K> } = {
  ticket_number: { mode: 'sequence', format: '######', offset: 100000 },
  lifecycle: { reopenWindowDays: 14, autoCloseDays: 7, reminderDays: 3 },
  intake: { maxSubjectLength: 255, maxBodyLength: 256 * 1024 },
  rate_limits: {
    windowSeconds: 60,
    loginPerAccount: 10,
    loginPerIp: 30,
    intakePerKey: 60_000,
    intakePerIp: 30,
  },
  mail: {
    maxMessageBytes: 25 * 1024 * 1024,
    ccAsCollaborators: true,
    agentEmailAs: 'reply',
    autoRepliesPerHour: 5,
    smtpPerIpPerMinute: 3000,
    banned: [],
    fromAddress: 'support@deskline.local',
    fromName: 'Deskline Support',
    alerts: { newTicket: true, assigned: true, customerReplied: true, slaWarning: true },
  },
  automation: { timezone: 'UTC', schedulerSeconds: 30 },
  surveys: {
    enabled: true,
    trigger: 'resolved',
    scale: 'five',
    changeDays: 7,
    notifyLeadAtOrBelow: 2,
    departments: {},
  },
};

export type SettingsSnapshot = { [K in SettingKey]: Setting<K> };

/** A stored value over its default; a row that no longer parses falls back to the default. */
function parseSetting<K extends SettingKey>(key: K, value: string | undefined): Setting<K> {
  if (value === undefined) return defaults[key];
  const parsed = schemas[key].safeParse({ ...defaults[key], ...(JSON.parse(value) as object) });
  return parsed.success ? (parsed.data as Setting<K>) : defaults[key];
}

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<Setting<K>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return parseSetting(key, row?.value);
}

export async function readSettings(db: Db): Promise<SettingsSnapshot> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    ticket_number: parseSetting('ticket_number', stored.get('ticket_number')),
    lifecycle: parseSetting('lifecycle', stored.get('lifecycle')),
    intake: parseSetting('intake', stored.get('intake')),
    rate_limits: parseSetting('rate_limits', stored.get('rate_limits')),
    mail: parseSetting('mail', stored.get('mail')),
    automation: parseSetting('automation', stored.get('automation')),
    surveys: parseSetting('surveys', stored.get('surveys')),
  };
}

export async function putSetting<K extends SettingKey>(db: Db, key: K, value: Setting<K>, now: number) {
  const valid = schemas[key].parse(value);
  const zoneBefore = key === 'automation' ? (await getSetting(db, 'automation')).timezone : undefined;
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(valid), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(valid), updated_at: now }))
    .execute();
  // Report facts are cut into days of the desk's zone: a new zone remakes them.
  if (zoneBefore !== undefined && zoneBefore !== (valid as Setting<'automation'>).timezone)
    await enqueue(db, now, [{ type: REBUILD_JOB, payload: {} }]);
}

/**
 * Replaces a setting from API input: a schema failure is the API's 422 with
 * every problem. The reference snapshot carries the settings, so this process
 * drops its copy (others see the change when theirs expires).
 */
export async function replaceSetting<K extends SettingKey>(
  deps: Pick<Deps, 'db' | 'clock' | 'reference'>,
  key: K,
  raw: unknown,
): Promise<Setting<K>> {
  const { db } = deps;
  const now = deps.clock.now();
  try {
    await putSetting(db, key, raw as Setting<K>, now);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    throw invalid(
      'validation_failed',
      first ? `${first.path || 'input'}: ${first.message}` : 'invalid input',
      details,
    );
  }
  deps.reference?.invalidate();
  return getSetting(db, key);
}

/** The desk's rules, with a department's own auto-close delay taking precedence when it has one. */
export function lifecycleRules(s: Setting<'lifecycle'>, departmentAutoCloseDays?: number | null) {
  const autoCloseDays = departmentAutoCloseDays ?? s.autoCloseDays;
  return {
    reopenWindowMs: s.reopenWindowDays * DAY,
    autoCloseAfterMs: autoCloseDays === null ? null : autoCloseDays * DAY,
  };
}
