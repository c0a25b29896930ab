import type { Db } from '../../db/database.ts';
import type {
  Department,
  HelpTopic,
  Mailbox,
  Priority,
  RoutingRuleRow,
  Status,
  Team,
} from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { readSettings, type SettingsSnapshot } from '../settings/settings.service.ts';
import { readReferenceTables, type IdOrName } from './directory.repository.ts';
import type { SlaPlanRow } from '../sla/sla.plan.ts';

/**
 * The small tables every use case consults (departments, priorities,
 * statuses, help topics, teams, SLA plans, settings), read together and kept
 * for a few seconds. Creating a ticket then costs a handful of statements
 * instead of a dozen. Admin changes call invalidate(); other instances see
 * them when their copy expires (DEFAULT_TTL_MS). Foreign keys still guard
 * every id written, so a stale copy can never write a dangling reference.
 */
export const DEFAULT_TTL_MS = 5000;

export class ReferenceSnapshot {
  constructor(
    readonly departments: Department[],
    readonly priorities: Priority[],
    readonly statuses: Status[],
    readonly topics: HelpTopic[],
    readonly teams: Team[],
    readonly slaPlans: SlaPlanRow[],
    readonly settings: SettingsSnapshot,
    /** Whether any ticket was ever deleted: only then must intake check drawn numbers against retired ones. */
    readonly hasRetiredNumbers = false,
    readonly mailboxes: Mailbox[] = [],
    /** Routing rules in order (compiled per snapshot by routing.service.ts). */
    readonly routingRules: RoutingRuleRow[] = [],
  ) {}

  /** The mailbox an address belongs to (addresses are stored lower-case). */
  mailbox(address: string) {
    const a = address.trim().toLowerCase();
    return this.mailboxes.find((m) => m.address === a);
  }
  /** Our own addresses: mail from them is a loop, and they never become customers or collaborators. */
  isOwnAddress(address: string) {
    const a = address.trim().toLowerCase();
    return a === this.settings.mail.fromAddress.toLowerCase() || this.mailbox(a) !== undefined;
  }

  department(idOrName: IdOrName) {
    return byIdOrName(this.departments, idOrName);
  }
  priority(idOrName: IdOrName) {
    return byIdOrName(this.priorities, idOrName);
  }
  topic(idOrName: IdOrName) {
    return byIdOrName(this.topics, idOrName);
  }
  team(idOrName: IdOrName) {
    return byIdOrName(this.teams, idOrName);
  }
  slaPlan(id: number) {
    return this.slaPlans.find((p) => p.id === id);
  }
  statusByKey(key: string) {
    return this.statuses.find((s) => s.key === key);
  }
  statusById(id: number) {
    return this.statuses.find((s) => s.id === id);
  }
  defaultDepartment() {
    return [...this.departments].sort((a, b) => a.id - b.id)[0];
  }
  defaultPriority() {
    return [...this.priorities].sort((a, b) => b.is_default - a.is_default || a.level - b.level)[0];
  }
}

function byIdOrName<T extends { id: number; name: string }>(rows: T[], idOrName: IdOrName): T | undefined {
  if (typeof idOrName === 'number' || /^\d+$/.test(idOrName))
    return rows.find((r) => r.id === Number(idOrName));
  const name = idOrName.trim().toLowerCase();
  return rows.find((r) => r.name.toLowerCase() === name);
}

export async function loadReference(db: Db): Promise<ReferenceSnapshot> {
  const [[departments, priorities, statuses, topics, teams, slaPlans, retired, mailboxes, rules], settings] =
    await Promise.all([readReferenceTables(db), readSettings(db)]);
  return new ReferenceSnapshot(
    departments,
    priorities,
    statuses,
    topics,
    teams,
    slaPlans,
    settings,
    retired !== undefined,
    mailboxes,
    rules,
  );
}

export class ReferenceCache {
  private current: { at: number; snapshot: Promise<ReferenceSnapshot> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  get(): Promise<ReferenceSnapshot> {
    const now = this.clock.now();
    if (!this.current || now - this.current.at >= this.ttlMs) {
      const snapshot = loadReference(this.db);
      this.current = { at: now, snapshot };
      // Its callers see the failure themselves; here it is only not kept, so the next get() reads again.
      snapshot.catch(() => (this.current = undefined));
    }
    return this.current.snapshot;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
