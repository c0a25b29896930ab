import { expect } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Ticket } from '../../src/db/schema.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import type { Deps } from '../../src/lib/deps.ts';
import type { Log } from '../../src/lib/log.ts';
import { AppError } from '../../src/lib/errors.ts';
import {
  SYSTEM,
  type Actor,
  type AgentActor,
  type CustomerActor,
} from '../../src/modules/auth/auth.actor.ts';
import { loadAgentActor, loadCustomerActor } from '../../src/modules/auth/actors.service.ts';
import { createTicket } from '../../src/modules/tickets/tickets.intake.service.ts';
import type { CreateTicketInput } from '../../src/contract/tickets.contract.ts';
import { seedDemoReference } from '../../src/seed/demo-reference.ts';
import { testLog } from './log.ts';

// Factories for integration tests: real rows in a real database, never mocks.

/** Monday 6 January 2025, 09:00 UTC: every test clock starts here. */
export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export type TestDeps = Deps & { clock: ManualClock };

export interface Desk {
  db: Db;
  clock: ManualClock;
  deps: TestDeps;
  log: Log;
  jane: AgentActor;
  jerry: AgentActor;
  admin: AgentActor;
  karen: CustomerActor;
}

/** Seeds the demo departments, agents, customer, topics and SLA plans, in one transaction. */
export async function seedDesk(db: Db, now: number = T0): Promise<void> {
  await db.transaction().execute((trx) => seedDemoReference(trx, now));
}

export function makeDeps(db: Db, now: number = T0): TestDeps {
  return { db, clock: new ManualClock(now), log: testLog };
}

export async function agentId(db: Db, email: string): Promise<number> {
  const row = await db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return row.id;
}

export async function customerId(db: Db, email: string): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

export const loadAgent = async (db: Db, email: string): Promise<AgentActor> =>
  loadAgentActor(db, await agentId(db, email));
export const loadCustomer = async (db: Db, email: string): Promise<CustomerActor> =>
  loadCustomerActor(db, await customerId(db, email));

/** A fresh clock at `now` and the demo actors, loaded from an already seeded database. */
export async function loadDesk(db: Db, now: number = T0): Promise<Desk> {
  const deps = makeDeps(db, now);
  return {
    db,
    clock: deps.clock,
    deps,
    log: deps.log,
    jane: await loadAgent(db, 'jane@deskline.local'),
    jerry: await loadAgent(db, 'jerry@deskline.local'),
    admin: await loadAgent(db, 'admin@deskline.local'),
    karen: await loadCustomer(db, 'karen@example.com'),
  };
}

export const defaultTicketInput = (): CreateTicketInput => ({
  subject: 'Printer on fire',
  body: 'The printer on the third floor is on fire.',
  requester: { email: 'karen@example.com', name: 'Karen Smith' },
  source: 'web',
});

/** Opens a ticket through the real intake service (as the system unless an actor is given). */
export function newTicket(
  deps: Deps,
  overrides: Partial<CreateTicketInput> = {},
  actor: Actor = SYSTEM,
): Promise<Ticket> {
  return createTicket(deps, actor, { ...defaultTicketInput(), ...overrides });
}

export interface RowCounts {
  tickets: number;
  thread_entries: number;
  ticket_events: number;
  jobs: number;
  customers: number;
}

const COUNTED = ['tickets', 'thread_entries', 'ticket_events', 'jobs', 'customers'] as const;

/** Row counts for "nothing half-written" checks. */
export async function countRows(db: Db): Promise<RowCounts> {
  const counts = { tickets: 0, thread_entries: 0, ticket_events: 0, jobs: 0, customers: 0 };
  for (const table of COUNTED) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export interface JobRow {
  id: number;
  type: string;
  payload: Record<string, unknown>;
}

/** The jobs queued for a ticket, oldest first. */
export async function jobsFor(db: Db, ticketId: number): Promise<JobRow[]> {
  const rows = await db.selectFrom('jobs').select(['id', 'type', 'payload']).orderBy('id').execute();
  return rows
    .map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }))
    .filter((j) => j.payload.ticketId === ticketId);
}

export const jobTypesFor = async (db: Db, ticketId: number): Promise<string[]> =>
  (await jobsFor(db, ticketId)).map((j) => j.type);

export interface EventRow {
  type: string;
  actor_type: string;
  actor_id: number | null;
  data: Record<string, unknown>;
  created_at: number;
}

export async function eventsFor(db: Db, ticketId: number): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('ticket_events')
    .select(['type', 'actor_type', 'actor_id', 'data', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
}

export const reload = (db: Db, id: number): Promise<Ticket> =>
  db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export async function statusKeyOf(db: Db, ticket: Pick<Ticket, 'status_id'>): Promise<string | null> {
  const row = await db
    .selectFrom('statuses')
    .select(['key', 'name'])
    .where('id', '=', ticket.status_id)
    .executeTakeFirstOrThrow();
  return row.key ?? row.name;
}

export async function idByName(
  db: Db,
  table: 'departments' | 'priorities' | 'help_topics' | 'teams' | 'sla_plans' | 'statuses',
  name: string,
) {
  const row = await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** Awaits a rejection and checks it is an AppError with this stable code and HTTP status. */
export async function expectAppError(
  work: Promise<unknown>,
  code: string,
  status: number,
): Promise<AppError> {
  let caught: unknown;
  try {
    await work;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect({ code: error.code, status: error.status }).toEqual({ code, status });
  return error;
}
