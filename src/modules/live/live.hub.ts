import type { Deps } from '../../lib/deps.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { canView } from '../tickets/tickets.policy.ts';
import { eventsAfter, lastEventId, livePresence } from './live.repository.ts';

// Server-Sent Events for the agent panel. Each process polls the DATABASE
// (new ticket_events rows by id, and the presence table), never its own
// memory, so a change made through any instance reaches the agents connected
// to every instance. Each event goes only to the agents who may view the
// ticket (the read rule, tickets.policy canView).

/** One connected stream: who is listening, how to write to them, how to check they still may. */
export interface Subscriber {
  actor: Actor;
  write(chunk: string): void;
  end(): void;
  /** The caller as of now (session still open, access reloaded), or null when they no longer may listen. */
  reauth(): Promise<Actor | null>;
}

export interface HubTimings {
  pollMs: number;
  heartbeatMs: number;
  reauthMs: number;
  /**
   * How long an event id may stay uncommitted behind a higher one. PostgreSQL
   * hands out ids at insert and commits in any order, so ids above the last
   * "safe" one are re-read for this long (duplicates are skipped).
   */
  graceMs: number;
}

export const DEFAULT_TIMINGS: HubTimings = {
  pollMs: 1000,
  heartbeatMs: 15_000,
  reauthMs: 60_000,
  graceMs: 5000,
};
const BATCH = 2000;

type Scope = { number: string } & Parameters<typeof canView>[1];
interface PresenceRow {
  activity: string;
  scope: Scope & { id: number };
}

export const sseFrame = (event: string, data: unknown) =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private timers: NodeJS.Timeout[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  /** Bumped by every pause, so a start that was under way when it happened sets nothing up. */
  private generation = 0;
  private stopped = false;
  /** Every event id ≤ safe was dispatched (or never will exist); ids above it are in `seen` once sent. */
  private safe: number | null = null;
  private readonly seen = new Set<number>();
  private marks: { at: number; maxId: number }[] = [];
  /** "ticketId:agentId" → the live presence row, as of the last poll. */
  private presence = new Map<string, PresenceRow>();

  constructor(
    private readonly deps: Deps,
    private readonly timings: HubTimings = DEFAULT_TIMINGS,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Resolves once the stream is live: every event committed after this is delivered to it. */
  async add(sub: Subscriber): Promise<void> {
    while (!this.stopped) {
      const starting = (this.starting ??= this.start());
      await starting;
      // Paused while starting (the last other stream left): start again.
      if (this.starting !== starting) continue;
      this.subscribers.add(sub);
      return;
    }
    sub.end();
  }

  remove(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.pause();
  }

  /** Ends every stream and the polling (server shutdown: app.close must not wait for open streams). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pause();
    for (const sub of this.subscribers) sub.end();
    this.subscribers.clear();
    await this.polling;
  }

  /** First listener: start from the newest event and the current presence, then poll. */
  private async start(): Promise<void> {
    const generation = this.generation;
    const last = await lastEventId(this.deps.db);
    const presence = await this.readPresence();
    // Paused or stopped meanwhile: this start is void (add() starts again if it still needs to).
    if (generation !== this.generation || this.stopped) return;
    this.safe = last;
    this.presence = presence;
    this.timers = [
      setInterval(() => this.broadcast(': ping\n\n'), this.timings.heartbeatMs),
      setInterval(() => void this.reauthAll(), this.timings.reauthMs),
    ];
    for (const t of this.timers) t.unref();
    this.schedule(this.timings.pollMs);
  }

  /** No listeners: no polling; the next stream starts from the newest event again. */
  private pause(): void {
    this.generation++;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.starting = undefined;
    this.safe = null;
    this.seen.clear();
    this.marks = [];
    this.presence.clear();
  }

  private schedule(ms: number): void {
    this.pollTimer = setTimeout(() => {
      this.polling = this.pollOnce()
        .catch(() => undefined) // A failed read (database restarting) is retried at the next tick.
        .finally(() => {
          if (!this.stopped && this.safe !== null) this.schedule(this.timings.pollMs);
        });
    }, ms);
    this.pollTimer.unref();
  }

  private async pollOnce(): Promise<void> {
    if (this.safe === null) return;
    await this.pollEvents(this.safe);
    await this.pollPresence();
  }

  private async pollEvents(after: number): Promise<void> {
    const now = Date.now();
    const rows = await eventsAfter(this.deps.db, after, BATCH);
    let maxId = this.marks.at(-1)?.maxId ?? after;
    for (const r of rows) {
      maxId = Math.max(maxId, r.id);
      if (this.seen.has(r.id)) continue;
      this.seen.add(r.id);
      this.dispatch('ticket', r, { number: r.number, kind: r.type });
    }
    this.marks.push({ at: now, maxId });
    // Ids seen at least graceMs ago can no longer be overtaken by a slower transaction.
    while (this.marks.length > 0 && now - this.marks[0]!.at >= this.timings.graceMs) {
      this.safe = Math.max(this.safe ?? 0, this.marks.shift()!.maxId);
    }
    for (const id of this.seen) if (id <= (this.safe ?? 0)) this.seen.delete(id);
  }

  /** Presence rows are few (live heartbeats only): read them all and tell viewers of tickets whose set changed. */
  private async pollPresence(): Promise<void> {
    const next = await this.readPresence();
    const changed = new Map<number, Scope>();
    for (const [key, value] of next) {
      if (this.presence.get(key)?.activity !== value.activity) changed.set(value.scope.id, value.scope);
    }
    for (const [key, value] of this.presence) if (!next.has(key)) changed.set(value.scope.id, value.scope);
    this.presence = next;
    for (const scope of changed.values()) this.dispatch('presence', scope, { number: scope.number });
  }

  private async readPresence(): Promise<Map<string, PresenceRow>> {
    const rows = await livePresence(this.deps.db, this.deps.clock.now());
    return new Map(rows.map((r) => [`${r.id}:${r.agent_id}`, { activity: r.activity, scope: r }]));
  }

  private dispatch(event: string, scope: Scope, data: unknown): void {
    const frame = sseFrame(event, data);
    for (const sub of this.subscribers) if (canView(sub.actor, scope)) sub.write(frame);
  }

  private broadcast(chunk: string): void {
    for (const sub of this.subscribers) sub.write(chunk);
  }

  /** A signed-out session or a removed department stops the flow within reauthMs. */
  private async reauthAll(): Promise<void> {
    for (const sub of [...this.subscribers]) {
      // Not confirmed (signed out, or the database away): the stream ends and the client reconnects.
      const actor = await sub.reauth().catch(() => null);
      if (actor) sub.actor = actor;
      else {
        this.remove(sub);
        sub.end();
      }
    }
  }
}
