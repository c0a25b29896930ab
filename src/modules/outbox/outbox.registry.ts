import { z } from 'zod';
import type { Job } from '../../db/schema.ts';

// Every job type the outbox carries, named once with the schema of its payload.
// enqueue() takes only these names, each with its own payload, so a misspelt
// type or a missing field does not compile; the handlers are typed by the same
// table and see a payload parsed with its schema (runnable below).

const OnTicket = z.object({ ticketId: z.number() });
const OnEntry = OnTicket.extend({ entryId: z.number() });
const ForAgent = OnTicket.extend({ agentId: z.number() });
const SlaAlert = OnTicket.extend({
  /** Who, by id (assignee, team lead, manager), plus optionally every agent of a department. */
  agentIds: z.array(z.number()),
  departmentId: z.number().optional(),
  clock: z.enum(['first_response', 'next_response', 'resolution']),
  due: z.number(),
});
const NoPayload = z.object({});

/** A job that sends mail (to customers or agents): the demo seed's history leaves these out (withoutJobs). */
const mail = <S extends z.ZodType>(payload: S) => ({ payload, sendsMail: true as const });
const work = <S extends z.ZodType>(payload: S) => ({ payload, sendsMail: false as const });

export const JOB_TYPES = {
  'mail.acknowledgement': mail(OnTicket),
  'mail.reply': mail(OnEntry),
  'mail.resolved': mail(OnTicket),
  'mail.closed': mail(OnTicket),
  'mail.reminder': mail(OnTicket),
  /** The survey link's token rides here until the mail is written; only its hash is stored. */
  'mail.survey': mail(OnTicket.extend({ token: z.string() })),
  /** A portal sign-in link, asked for (reason null) or sent instead of a second sign-up. */
  'mail.access_link': mail(
    z.object({
      customerId: z.number(),
      token: z.string(),
      ticketId: z.number().nullable(),
      reason: z.enum(['account_exists']).nullish(),
    }),
  ),
  /** Confirmation links and notices about an address (sign-up, email change); the address is in the job. */
  'mail.account': mail(
    z.object({
      template: z.enum(['confirm_signup', 'confirm_email', 'staff_address', 'address_taken']),
      to: z.string(),
      token: z.string().nullable(),
    }),
  ),
  'notify.new_ticket': mail(OnTicket),
  'notify.assigned': mail(ForAgent),
  'notify.team_assigned': mail(OnTicket.extend({ teamId: z.number() })),
  'notify.transferred': mail(OnTicket.extend({ departmentId: z.number() })),
  'notify.customer_replied': mail(OnEntry),
  'notify.note': mail(OnEntry),
  'notify.reopened': mail(OnTicket),
  'notify.low_rating': mail(ForAgent),
  'notify.sla_warning': mail(SlaAlert),
  'notify.sla_breach': mail(SlaAlert),
  /** Recomputes these tickets' report facts (queued in the transaction of the change). */
  'reports.refresh': work(z.object({ ticketIds: z.array(z.number()) })),
  /** Remakes every ticket's report facts (the desk's zone changed). */
  'reports.rebuild': work(NoPayload),
  /** An agent became free: hand out waiting tickets now rather than at the next scheduler pass. */
  'assign.backlog': work(NoPayload),
} as const;

export type JobType = keyof typeof JOB_TYPES;
type PayloadSchema<T extends JobType> = (typeof JOB_TYPES)[T]['payload'];
/** What a caller writes for a job of type T. */
export type JobPayload<T extends JobType> = z.input<PayloadSchema<T>>;
/** What T's handler receives: the stored payload parsed with T's schema. */
export type JobData<T extends JobType> = z.output<PayloadSchema<T>>;

/** A job to add to the outbox: a registered type with that type's payload. */
export type NewJob = {
  [T in JobType]: {
    type: T;
    payload: JobPayload<T>;
    /** Epoch ms; defaults to now. */
    runAt?: number;
    maxAttempts?: number;
  };
}[JobType];

/** What the runner calls: the stored payload (JSON-decoded, not yet checked) and the claimed row. */
export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

/** The handler of job type T: its payload arrives parsed with T's schema. */
export type HandlerFor<T extends JobType> = (payload: JobData<T>, job: Job) => Promise<void>;

/** One handler per job type, typed by its payload. */
export type JobHandlers = { [T in JobType]: HandlerFor<T> };

/** Whether a stored job type is registered. */
export const isJobType = (type: string): type is JobType => Object.hasOwn(JOB_TYPES, type);

/** Whether a job type sends mail (to customers or to agents). */
export const isMailJob = (type: string): boolean => isJobType(type) && JOB_TYPES[type].sendsMail;

/** A stored payload that its type's schema no longer accepts (written by another version, or by hand). */
export class JobPayloadError extends Error {
  constructor(type: JobType, error: z.ZodError) {
    const problems = error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    super(`payload of ${type} does not match its schema: ${problems}`);
    this.name = 'JobPayloadError';
  }
}

/**
 * The runner's handler table: each handler gets its payload parsed with its
 * type's schema. A payload that does not parse fails that attempt with a
 * JobPayloadError (recorded in jobs.last_error, retried like every failure: a
 * newer worker may know it) instead of reaching the handler.
 */
export function runnable(handlers: Partial<JobHandlers>): Record<string, JobHandler> {
  const table: Record<string, JobHandler> = {};
  for (const type of Object.keys(handlers).filter(isJobType)) {
    // TypeScript does not correlate handlers[type] with JOB_TYPES[type]; the schema makes them agree at run time.
    const handle = handlers[type] as ((payload: unknown, job: Job) => Promise<void>) | undefined;
    if (!handle) continue;
    const schema: z.ZodType = JOB_TYPES[type].payload;
    table[type] = async (payload, job) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new JobPayloadError(type, parsed.error);
      await handle(parsed.data, job);
    };
  }
  return table;
}
