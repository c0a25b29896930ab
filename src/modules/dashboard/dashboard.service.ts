import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { COUNT_CAP } from '../queues/queues.counts.service.ts';
import { localDayOf, wallToUtc } from '../sla/sla.timezone.ts';
import { viewableDepartments } from '../tickets/tickets.list.service.ts';
import { countQueue } from '../tickets/tickets.queues.repository.ts';
import type { DashboardOut } from '../../contract/dashboard.contract.ts';
import {
  countCreatedSince,
  countDueBetween,
  countResolvedSince,
  ratingsSince,
} from './dashboard.repository.ts';

type Counted = { count: number; capped: boolean };
type Counter =
  'myOpen' | 'dueToday' | 'overdue' | 'unassignedInMyDepartments' | 'createdToday' | 'resolvedToday';

/** Today and this week (from Monday) in the desk time zone, as UTC instants. */
export function deskPeriods(zone: string, now: number) {
  const today = localDayOf(zone, now);
  // Day 0 (1970-01-01) was a Thursday: Monday is 3 days after it.
  const monday = today - ((today + 3) % 7);
  return {
    dayStart: wallToUtc(zone, today, 0),
    dayEnd: wallToUtc(zone, today + 1, 0),
    weekStart: wallToUtc(zone, monday, 0),
  };
}

/**
 * The agent's dashboard. Every count reads at most COUNT_CAP + 1 index entries
 * (per department where the index starts with one), like the queue sidebar, so
 * it costs the same at a million tickets; `capped` lists the counts that hit it.
 */
export async function dashboard(deps: Deps, actor: Actor): Promise<z.output<typeof DashboardOut>> {
  if (actor.kind === 'customer') throw new AppError('forbidden', 403, 'The dashboard is for staff');
  const ref = await referenceOf(deps);
  const departmentIds = viewableDepartments(ref, actor);
  const now = deps.clock.now();
  const { dayStart, dayEnd, weekStart } = deskPeriods(ref.settings.automation.timezone, now);
  const db = deps.db;
  const counts: Record<Counter, Counted> = {
    myOpen:
      actor.kind === 'agent'
        ? await countQueue(db, { queue: 'mine', agentId: actor.id }, COUNT_CAP)
        : { count: 0, capped: false },
    // Still to do today: due from now to midnight (the overdue ones are counted apart).
    dueToday: await perScope(departmentIds, (id, limit) => countDueBetween(db, id, now, dayEnd, limit)),
    overdue: await countQueue(db, { queue: 'overdue', departmentIds, now }, COUNT_CAP),
    unassignedInMyDepartments: await countQueue(db, { queue: 'unassigned', departmentIds }, COUNT_CAP),
    createdToday: await createdSince(db, departmentIds, dayStart),
    resolvedToday: await resolvedSince(db, departmentIds, dayStart),
  };
  const flat = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v.count])) as Record<
    Counter,
    number
  >;
  return {
    ...flat,
    csatThisWeek: await csatSince(db, departmentIds, weekStart),
    cap: COUNT_CAP,
    capped: (Object.keys(counts) as Counter[]).filter((k) => counts[k].capped),
  };
}

/** One capped count per index range (a department…), within one budget of COUNT_CAP + 1 rows. */
async function perScope<S>(
  scopes: readonly S[],
  count: (scope: S, limit: number) => Promise<number>,
): Promise<Counted> {
  let seen = 0;
  for (const scope of scopes) {
    seen += await count(scope, COUNT_CAP + 1 - seen);
    if (seen > COUNT_CAP) return { count: COUNT_CAP, capped: true };
  }
  return { count: seen, capped: false };
}

/** Tickets created since midnight (one range over all departments: see countCreatedSince). */
async function createdSince(db: Db, departmentIds: readonly number[], dayStart: number): Promise<Counted> {
  if (departmentIds.length === 0) return { count: 0, capped: false };
  const n = await countCreatedSince(db, departmentIds, dayStart, COUNT_CAP + 1);
  return n > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count: n, capped: false };
}

/** Tickets resolved since midnight and still resolved or closed: one range per department and state. */
function resolvedSince(db: Db, departmentIds: readonly number[], dayStart: number): Promise<Counted> {
  const scopes = departmentIds.flatMap((id) =>
    (['resolved', 'closed'] as const).map((state) => ({ id, state })),
  );
  return perScope(scopes, ({ id, state }, limit) => countResolvedSince(db, id, state, dayStart, limit));
}

/** Ratings given since `since` in these departments; score = % satisfied (five: 4–5, binary: good = 5). */
async function csatSince(db: Db, departmentIds: readonly number[], since: number) {
  if (departmentIds.length === 0) return { responses: 0, score: null };
  const { responses, satisfied } = await ratingsSince(db, departmentIds, since);
  const score = responses === 0 ? null : Math.round((1000 * satisfied) / responses) / 10;
  return { responses, score };
}
