import net from 'node:net';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { SECOND } from '../../lib/clock.ts';

// Keeps the SMTP listener open for everyone: no one client address may hold
// more than a few of its connections, and a connection that does not deliver
// mail is closed quickly, whatever it sends to look alive (NOOP, RSET, EHLO).

export const SMTP_LIMITS = {
  /** Connections at once, from everyone (smtp-server answers 421 beyond). */
  maxClients: 1000,
  /** Connections at once from one IPv4 address or IPv6 /64; a big provider needs a handful. */
  perAddress: 20,
  /**
   * From connecting, and from the end of each message, a client has this long
   * to start sending the next message (DATA). A mail server needs well under a
   * second for EHLO, MAIL and RCPT; NOOP and RSET do not extend it.
   */
  progressMs: 15 * SECOND,
  /** Silence from a client that owes us input (mid-message included) ends the connection. */
  idleMs: 30 * SECOND,
};
export type SmtpLimits = typeof SMTP_LIMITS;

interface Tracked {
  key: string;
  /** When the current deadline for reaching DATA started. */
  since: number;
  /** A message is being received or stored: the client is not stalling. */
  receiving: boolean;
}

/**
 * Counts admitted sessions per client address and closes sessions that make
 * no progress. Wired into the listener's onConnect, onData and onClose.
 */
export class SmtpSessionGuard {
  private readonly tracked = new WeakMap<SMTPServerSession, Tracked>();
  private readonly perKey = new Map<string, number>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly server: SMTPServer,
    private readonly limits: SmtpLimits,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(SECOND, limits.progressMs / 4)).unref();
  }

  /** Admits a new session, or returns why not (the listener answers 421). */
  admit(session: SMTPServerSession): string | undefined {
    const key = clientKey(session.remoteAddress);
    const open = this.perKey.get(key) ?? 0;
    if (open >= this.limits.perAddress)
      return '4.7.0 Too many connections from your address; try again later';
    this.perKey.set(key, open + 1);
    this.tracked.set(session, { key, since: Date.now(), receiving: false });
    return undefined;
  }

  /** onClose: frees the session's place (sessions refused by admit() never took one). */
  release(session: SMTPServerSession): void {
    const t = this.tracked.get(session);
    if (!t) return;
    this.tracked.delete(session);
    const open = (this.perKey.get(t.key) ?? 1) - 1;
    if (open > 0) this.perKey.set(t.key, open);
    else this.perKey.delete(t.key);
  }

  /** Wraps the receipt of one message (DATA to the final answer): no deadline meanwhile. */
  async receiving<T>(session: SMTPServerSession, work: () => Promise<T>): Promise<T> {
    const t = this.tracked.get(session);
    if (t) t.receiving = true;
    try {
      return await work();
    } finally {
      if (t) {
        t.receiving = false;
        t.since = Date.now();
      }
    }
  }

  /**
   * Shutdown: 421 now to every session that is not in the middle of a message
   * (those get until the caller's deadline). Also stops the deadline sweep.
   */
  closeIdle(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const c of this.server.connections)
      if (!this.tracked.get(c.session)?.receiving)
        c.send(421, '4.3.2 Service shutting down; try again later', false);
  }

  private sweep(): void {
    const now = Date.now();
    for (const c of this.server.connections) {
      const t = this.tracked.get(c.session);
      if (t && !t.receiving && now - t.since >= this.limits.progressMs) {
        t.since = Number.POSITIVE_INFINITY; // told once; the close event follows
        // send() with 421 also closes the connection.
        c.send(421, '4.4.2 No mail within the time allowed; closing connection', false);
      }
    }
  }
}

/**
 * The unit connections are counted by: an IPv4 address, or the /64 prefix of an
 * IPv6 one (a single host is usually given a whole /64).
 */
export function clientKey(address: string): string {
  if (!net.isIPv6(address)) return address;
  const [head = '', tail] = (address.split('%')[0] ?? '').split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  // An embedded IPv4 tail (a.b.c.d) takes the room of two groups.
  const width = right.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - width).fill('0'), ...right];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
