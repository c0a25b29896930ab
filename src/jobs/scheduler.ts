import crypto from 'node:crypto';
import os from 'node:os';
import type { Deps } from '../lib/deps.ts';
import { referenceOf } from '../lib/deps.ts';
import { SECOND } from '../lib/clock.ts';
import { assignBacklogPass, autoClosePass, remindersPass } from './scheduler.passes.ts';
import { runSlaChecks } from './scheduler.sla.ts';
import type { Log } from '../lib/log.ts';

// The periodic work: SLA warnings and breaches, auto-close, and unassigned
// tickets for agents who became free. Every pass is safe to run twice at once
// (see the passes); the lease only keeps a cluster from doing the work N times.

export interface PassReport {
  sla: { checked: number; fired: number };
  autoClosed: number;
  reminded: number;
  assigned: number;
}

/** One pass of everything due now. */
export async function runSchedulerPass(deps: Deps): Promise<PassReport> {
  const sla = await runSlaChecks(deps);
  const autoClosed = await autoClosePass(deps);
  const reminded = await remindersPass(deps);
  const assigned = await assignBacklogPass(deps);
  return { sla, autoClosed, reminded, assigned };
}

/**
 * Takes (or renews) the named lease for `ms`: a row in scheduler_leases that
 * one holder owns until it expires. Returns whether this holder has it.
 */
export async function takeLease(deps: Deps, name: string, holder: string, ms: number): Promise<boolean> {
  const now = deps.clock.now();
  const row = await deps.db
    .insertInto('scheduler_leases')
    .values({ name, holder, expires_at: now + ms })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ms })
        .where((eb) =>
          eb.or([eb('scheduler_leases.expires_at', '<', now), eb('scheduler_leases.holder', '=', holder)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
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
