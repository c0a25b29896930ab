import crypto from 'node:crypto';
import os from 'node:os';
import type { Deps } from '../lib/deps.ts';
import { referenceOf } from '../lib/deps.ts';
import { SECOND } from '../lib/clock.ts';
import { assignBacklog } from '../modules/routing/routing.backlog.service.ts';
import { runSlaChecks } from '../modules/sla/sla.escalation.service.ts';
import { autoCloseResolved, remindPending } from '../modules/tickets/tickets.automation.service.ts';
import { purgeExpiredLinks } from '../modules/auth/access-links.service.ts';
import { pruneClaims } from '../modules/tickets/tickets.idempotency.repository.ts';
import type { Log } from '../lib/log.ts';
import { claimLease } from './scheduler.repository.ts';

// The periodic work, each a use case of its module: SLA warnings, breaches and
// escalation (sla.escalation.service.ts), auto-close and reminders
// (tickets.automation.service.ts), and unassigned tickets for agents who
// became free (routing.backlog.service.ts); housekeeping deletes expired mailed
// links and day-old Idempotency-Key claims, a batch per pass. Every one is safe to run twice at
// once; the lease only keeps a cluster from doing the work N times.

export interface PassReport {
  sla: { checked: number; fired: number };
  autoClosed: number;
  reminded: number;
  assigned: number;
  purged: { links: number; claims: number };
}

/** One pass of everything due now. */
export async function runSchedulerPass(deps: Deps): Promise<PassReport> {
  const sla = await runSlaChecks(deps);
  const autoClosed = await autoCloseResolved(deps);
  const reminded = await remindPending(deps);
  const assigned = await assignBacklog(deps);
  const purged = {
    links: await purgeExpiredLinks(deps),
    claims: await pruneClaims(deps.db, deps.clock.now()),
  };
  return { sla, autoClosed, reminded, assigned, purged };
}

/**
 * Takes (or renews) the named lease for `ms`: a row in scheduler_leases that
 * one holder owns until it expires. Returns whether this holder has it.
 */
export async function takeLease(deps: Deps, name: string, holder: string, ms: number): Promise<boolean> {
  const now = deps.clock.now();
  return (await claimLease(deps.db, { name, holder, now, expiresAt: now + ms })) === holder;
}

export class Scheduler {
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  private readonly log: Log;

  constructor(private readonly deps: Deps) {
    this.log = deps.log.child({ module: 'scheduler', holder: this.holder });
  }

  start(): void {
    this.schedule(SECOND);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let interval = 30 * SECOND;
    try {
      interval = (await referenceOf(this.deps)).settings.automation.schedulerSeconds * SECOND;
      if (await takeLease(this.deps, 'scheduler', this.holder, interval * 3)) {
        const report = await runSchedulerPass(this.deps);
        if (report.sla.fired || report.autoClosed || report.reminded || report.assigned)
          this.log.info(report, 'scheduler pass');
      }
    } catch (err) {
      this.log.error({ err }, 'scheduler pass failed');
    }
    this.schedule(interval);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
