import { sql } from 'kysely';
import { DAY } from '../lib/clock.ts';
import { referenceOf, type Deps } from '../lib/deps.ts';
import { AppError } from '../lib/errors.ts';
import { SYSTEM } from '../modules/auth/auth.actor.ts';
import { poolFor } from '../modules/routing/routing.assign.ts';
import { autoAssign, autoClose, remind } from '../modules/tickets/tickets.service.ts';

// The scheduler's other passes. Each ticket is one transaction through the
// ticket services, which lock the row and ask the lifecycle again: a second
// scheduler racing this one finds the work done and changes nothing.

const BATCH = 500;

/** Resolved tickets whose customer stayed silent for the department's (or desk's) auto-close delay. */
export async function autoClosePass(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  const now = deps.clock.now();
  const deskDays = ref.settings.lifecycle.autoCloseDays;
  const delays = ref.departments
    .map((d) => d.auto_close_days ?? deskDays)
    .filter((d): d is number => d !== null);
  if (delays.length === 0) return 0;
  // The shortest delay bounds the index range; each department's own delay is checked per row.
  const oldest = now - Math.min(...delays) * DAY;
  const rows = await deps.db
    .selectFrom('tickets')
    .select(['number', 'department_id', 'resolved_at'])
    .where(sql<boolean>`state = 'resolved'`)
    .where('resolved_at', '<=', oldest)
    .orderBy('resolved_at')
    .limit(BATCH)
    .execute();
  let closed = 0;
  for (const r of rows) {
    const days = ref.department(r.department_id)?.auto_close_days ?? deskDays;
    if (days === null || r.resolved_at! > now - days * DAY) continue;
    if (await settled(() => autoClose(deps, SYSTEM, r.number))) closed++;
  }
  return closed;
}

/** Tickets awaiting the customer with no change for the desk's reminder delay (per department: its index). */
export async function remindersPass(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  const days = ref.settings.lifecycle.reminderDays;
  if (days === null) return 0;
  const cutoff = deps.clock.now() - days * DAY;
  let reminded = 0;
  for (const d of ref.departments) {
    const rows = await deps.db
      .selectFrom('tickets')
      .select(['number', 'reminded_at', 'last_response_at', 'created_at'])
      .where('department_id', '=', d.id)
      .where('state', '=', 'pending')
      .where('updated_at', '<=', cutoff)
      .orderBy('updated_at')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      if (r.reminded_at !== null && r.reminded_at >= (r.last_response_at ?? r.created_at)) continue;
      const before = r.reminded_at;
      const t = await settled(() => remind(deps, SYSTEM, r.number));
      if (t && t.reminded_at !== before) reminded++;
    }
  }
  return reminded;
}

/** Unassigned open tickets of departments and teams that assign automatically, highest priority first. */
export async function assignBacklogPass(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  let assigned = 0;
  const pools = [
    ...ref.teams.filter((t) => t.auto_assign !== 'off').map((t) => ({ col: 'team_id' as const, id: t.id })),
    ...ref.departments
      .filter((d) => d.auto_assign !== 'off')
      .map((d) => ({ col: 'department_id' as const, id: d.id })),
  ];
  for (const pool of pools) {
    const rows = await deps.db
      .selectFrom('tickets')
      .select(['number', 'department_id', 'team_id'])
      .where(pool.col, '=', pool.id)
      .where(sql<boolean>`state = 'open' and assignee_id is null`)
      .orderBy('priority_level', 'desc')
      .orderBy('created_at')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      // A department's pool leaves tickets whose team assigns them itself.
      if (pool.col === 'department_id' && poolFor(ref, r)?.scope === 'team') continue;
      const t = await settled(() => autoAssign(deps, SYSTEM, r.number));
      if (!t) continue;
      if (t.assignee_id === null) break; // nobody free in this pool: the rest wait for the next pass
      assigned++;
    }
  }
  return assigned;
}

/** Runs one ticket's change; a refusal (already closed, no longer due) is the race lost, not an error. */
async function settled<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return undefined;
    throw err;
  }
}
