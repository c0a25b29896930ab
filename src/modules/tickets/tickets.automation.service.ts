import { unlessRefused } from '../../lib/batch.ts';
import { DAY } from '../../lib/clock.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { SYSTEM } from '../auth/auth.actor.ts';
import { pendingSince, resolvedBefore } from './tickets.automation.repository.ts';
import { autoClose, remind } from './tickets.service.ts';

// Auto-close and reminders, run by the scheduler each pass. Each ticket is one
// transaction through the ticket services, which lock the row and ask the
// lifecycle again: a second scheduler racing this one finds the work done and
// changes nothing.

const BATCH = 500;

/** Resolved tickets whose customer stayed silent for the department's (or desk's) auto-close delay. */
export async function autoCloseResolved(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  const now = deps.clock.now();
  const deskDays = ref.settings.lifecycle.autoCloseDays;
  const delays = ref.departments
    .map((d) => d.auto_close_days ?? deskDays)
    .filter((d): d is number => d !== null);
  if (delays.length === 0) return 0;
  // The shortest delay bounds the index range; each department's own delay is checked per row.
  const rows = await resolvedBefore(deps.db, now - Math.min(...delays) * DAY, BATCH);
  let closed = 0;
  for (const r of rows) {
    const days = ref.department(r.department_id)?.auto_close_days ?? deskDays;
    if (days === null || r.resolved_at! > now - days * DAY) continue;
    if (await unlessRefused(() => autoClose(deps, SYSTEM, r.number))) closed++;
  }
  return closed;
}

/** Tickets awaiting the customer with no change for the desk's reminder delay (per department: its index). */
export async function remindPending(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  const days = ref.settings.lifecycle.reminderDays;
  if (days === null) return 0;
  const cutoff = deps.clock.now() - days * DAY;
  let reminded = 0;
  for (const d of ref.departments) {
    for (const r of await pendingSince(deps.db, d.id, cutoff, BATCH)) {
      if (r.reminded_at !== null && r.reminded_at >= (r.last_response_at ?? r.created_at)) continue;
      const before = r.reminded_at;
      const t = (await unlessRefused(() => remind(deps, SYSTEM, r.number)))?.ticket;
      if (t && t.reminded_at !== before) reminded++;
    }
  }
  return reminded;
}
