/**
 * Property-based tests of the pure ticket lifecycle with fast-check: arbitrary
 * state, status key, timestamps, action, actor, `now` and rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketState } from '../../src/db/schema.ts';
import {
  decide,
  mayCause,
  type Action,
  type ActionType,
  type ActorKind,
  type Decision,
  type LifecycleRules,
  type LifecycleTicket,
} from '../../src/modules/tickets/tickets.lifecycle.ts';
import { WHO_MAY } from './lifecycle-who.ts';

const STATES: readonly TicketState[] = ['open', 'pending', 'resolved', 'closed'];
const ACTORS: readonly ActorKind[] = ['agent', 'customer', 'system'];
const ACTION_TYPES: readonly ActionType[] = [
  'customer_reply',
  'agent_reply',
  'note',
  'set_status',
  'resolve',
  'close',
  'reopen',
  'confirm',
  'auto_close',
  'edit',
];
const SYSTEM_STATUSES = ['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed'] as const;
/** The system statuses that belong to each state. */
const STATUSES_OF: Record<TicketState, readonly string[]> = {
  open: ['open', 'in_progress'],
  pending: ['awaiting_customer'],
  resolved: ['resolved'],
  closed: ['closed'],
};

const isBlank = (s: string | undefined) => s === undefined || !/\S/.test(s);
const isDone = (s: TicketState) => s === 'resolved' || s === 'closed';

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

/** Realistic epoch milliseconds (2001 .. 2033). */
const MIN_T = 1_000_000_000_000;
const MAX_T = 2_000_000_000_000;
const DAY = 86_400_000;

const stateArb = fc.constantFrom(...STATES);
const actorArb = fc.constantFrom(...ACTORS);
const timeArb = fc.integer({ min: MIN_T, max: MAX_T });
/** Durations: small ones (to hit the boundaries) and realistic ones. */
const durationArb = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 365 * DAY }));

const reasonArb = fc.option(
  fc.oneof(
    fc.constantFrom('', ' ', '\t', '\n \r', '\u00a0', '\u2003 ', '\ufeff', 'x', ' spam ', 'duplicate of #12'),
    fc.string({ maxLength: 8 }),
    fc.stringMatching(/^\s{0,4}$/),
  ),
  { nil: undefined },
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ type: 'customer_reply' }),
  fc
    .option(fc.constantFrom('open', 'pending', 'resolved') as fc.Arbitrary<'open' | 'pending' | 'resolved'>, {
      nil: undefined,
    })
    .map((setState): Action =>
      setState === undefined ? { type: 'agent_reply' } : { type: 'agent_reply', setState },
    ),
  fc.constant<Action>({ type: 'note' }),
  fc
    .tuple(stateArb, reasonArb)
    .map(([state, reason]): Action =>
      reason === undefined ? { type: 'set_status', state } : { type: 'set_status', state, reason },
    ),
  fc.constant<Action>({ type: 'resolve' }),
  reasonArb.map((reason): Action => (reason === undefined ? { type: 'close' } : { type: 'close', reason })),
  fc.constant<Action>({ type: 'reopen' }),
  fc.constant<Action>({ type: 'confirm' }),
  fc.constant<Action>({ type: 'auto_close' }),
  fc.constant<Action>({ type: 'edit' }),
);

const statusKeyArb = fc.option(
  fc.oneof(fc.constantFrom<string>(...SYSTEM_STATUSES), fc.string({ maxLength: 6 })),
  {
    nil: null,
  },
);

const ticketArb: fc.Arbitrary<LifecycleTicket> = fc.record({
  state: stateArb,
  statusKey: statusKeyArb,
  resolvedAt: fc.option(timeArb, { nil: null }),
  closedAt: fc.option(timeArb, { nil: null }),
});

const rulesArb: fc.Arbitrary<LifecycleRules> = fc.record({
  reopenWindowMs: durationArb,
  autoCloseAfterMs: fc.option(durationArb, { nil: null }),
});

/** `now` is usually near the ticket's timestamps, so the window and auto-close boundaries get hit. */
const scenarioArb = fc
  .record({
    ticket: ticketArb,
    action: actionArb,
    actor: actorArb,
    rules: rulesArb,
    offset: durationArb,
    raw: timeArb,
  })
  .chain((s) =>
    fc
      .constantFrom<'resolved' | 'closed' | 'raw' | 'window' | 'autoclose'>(
        'resolved',
        'closed',
        'raw',
        'window',
        'autoclose',
      )
      .map((anchor) => {
        const since = Math.max(s.ticket.resolvedAt ?? 0, s.ticket.closedAt ?? 0) || s.raw;
        const now =
          anchor === 'resolved'
            ? (s.ticket.resolvedAt ?? s.raw) + s.offset
            : anchor === 'closed'
              ? (s.ticket.closedAt ?? s.raw) + s.offset
              : anchor === 'window'
                ? since + s.rules.reopenWindowMs + (s.offset % 3) - 1 // limit - 1, limit, limit + 1
                : anchor === 'autoclose'
                  ? (s.ticket.resolvedAt ?? s.raw) + (s.rules.autoCloseAfterMs ?? 0) + (s.offset % 3) - 1
                  : s.raw;
        return { ...s, now };
      }),
  );

/** A customer-side "within the reopen window", written from the rule. */
function withinWindow(t: LifecycleTicket, now: number, rules: LifecycleRules): boolean {
  const stamps = [t.resolvedAt, t.closedAt].filter((x): x is number => x !== null);
  if (stamps.length === 0) return false;
  return now - Math.max(...stamps) <= rules.reopenWindowMs;
}

const run = (s: {
  ticket: LifecycleTicket;
  action: Action;
  actor: ActorKind;
  now: number;
  rules: LifecycleRules;
}) => decide(s.ticket, s.action, s.actor, s.now, s.rules);

const okMove = (d: Decision): d is Extract<Decision, { ok: true; state: TicketState }> =>
  d.ok && d.newTicket !== true;

const NUM_RUNS = 5_000;
const assertProp = <T>(arb: fc.Arbitrary<T>, pred: (v: T) => void) =>
  fc.assert(
    fc.property(arb, (v) => {
      pred(v);
    }),
    { numRuns: NUM_RUNS },
  );

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

describe('tickets.lifecycle properties', () => {
  it('decide never throws, is deterministic and does not mutate its inputs', () => {
    assertProp(scenarioArb, (s) => {
      const ticket = Object.freeze({ ...s.ticket });
      const action = Object.freeze({ ...s.action });
      const rules = Object.freeze({ ...s.rules });
      const a = decide(ticket, action, s.actor, s.now, rules);
      const b = decide(ticket, action, s.actor, s.now, rules);
      expect(a).toEqual(b);
      expect(ticket).toEqual(s.ticket);
      expect(action).toEqual(s.action);
      expect(rules).toEqual(s.rules);
    });
  });

  it('every decision is well formed; every ok decision lands in one of the 4 states', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (!d.ok) {
        expect([
          'not_allowed',
          'invalid_transition',
          'reason_required',
          'ticket_closed',
          'reopen_window_passed',
          'not_due',
        ]).toContain(d.code);
        return;
      }
      if (d.newTicket === true) return;
      expect(STATES).toContain(d.state);
      expect(typeof d.reopened).toBe('boolean');
      if (d.status !== null) {
        // A system status chosen by the lifecycle always belongs to the resulting state.
        expect(STATUSES_OF[d.state]).toContain(d.status);
      }
    });
  });

  it("a 'closed' result for close/set_status needs a non-blank reason unless the ticket was resolved", () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (
        (s.action.type === 'close' || s.action.type === 'set_status') &&
        okMove(d) &&
        d.state === 'closed' &&
        s.ticket.state !== 'resolved'
      ) {
        expect(isBlank(s.action.reason)).toBe(false);
      }
    });
  });

  it('closing a resolved ticket never asks for a reason', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (s.ticket.state === 'resolved' && !d.ok) expect(d.code).not.toBe('reason_required');
    });
  });

  it('a ticket only enters closed by close/set_status with a reason, confirm or auto_close', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (okMove(d) && d.state === 'closed' && s.ticket.state !== 'closed') {
        expect(['close', 'set_status', 'confirm', 'auto_close']).toContain(s.action.type);
      }
    });
  });

  it('a closed ticket never becomes resolved, and only leaves closed by being reopened', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (s.ticket.state === 'closed' && okMove(d)) {
        expect(d.state).not.toBe('resolved');
        if (d.state !== 'closed') expect(d.reopened).toBe(true);
      }
    });
  });

  it('customers only reach open (reply/reopen) or closed (confirm of a resolved ticket)', () => {
    assertProp(
      scenarioArb.filter((s) => s.actor === 'customer'),
      (s) => {
        const d = run(s);
        if (!okMove(d)) return;
        expect(['open', 'closed']).toContain(d.state);
        if (d.state === 'closed') {
          expect(s.action.type).toBe('confirm');
          expect(s.ticket.state).toBe('resolved');
        }
      },
    );
  });

  it('customers never change a ticket through an action they may not cause', () => {
    assertProp(
      scenarioArb.filter((s) => s.actor === 'customer'),
      (s) => {
        const d = run(s);
        if (!['customer_reply', 'reopen', 'confirm'].includes(s.action.type)) {
          expect(d).toEqual({ ok: false, code: 'not_allowed' });
        }
      },
    );
  });

  it('reopened is true only when leaving resolved/closed for open/pending (and always then)', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (!okMove(d)) return;
      const leavesDoneForActive = isDone(s.ticket.state) && (d.state === 'open' || d.state === 'pending');
      expect(d.reopened).toBe(leavesDoneForActive);
    });
  });

  it("mayCause agrees with decide's not_allowed, and with the rules", () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      const allowed = mayCause(s.actor, s.action.type);
      expect(allowed).toBe(WHO_MAY[s.action.type].includes(s.actor));
      expect(!d.ok && d.code === 'not_allowed').toBe(!allowed);
    });
    for (const type of ACTION_TYPES)
      for (const actor of ACTORS) {
        expect(mayCause(actor, type)).toBe(WHO_MAY[type].includes(actor));
      }
  });

  it('a new ticket is only ever the answer to a customer reply on a resolved/closed ticket outside the window', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      const expectNew =
        s.action.type === 'customer_reply' &&
        s.actor === 'customer' &&
        isDone(s.ticket.state) &&
        !withinWindow(s.ticket, s.now, s.rules);
      expect(d.ok && d.newTicket === true).toBe(expectNew);
    });
  });

  it('a customer may reopen exactly when the ticket is done and within the window', () => {
    assertProp(
      scenarioArb.map((s) => ({ ...s, actor: 'customer' as const, action: { type: 'reopen' } as Action })),
      (s) => {
        const d = run(s);
        if (!isDone(s.ticket.state)) expect(d).toEqual({ ok: false, code: 'invalid_transition' });
        else if (withinWindow(s.ticket, s.now, s.rules))
          expect(d).toEqual({ ok: true, state: 'open', status: 'open', reopened: true });
        else expect(d).toEqual({ ok: false, code: 'reopen_window_passed' });
      },
    );
  });

  it('auto_close closes a resolved ticket exactly when autoCloseAfterMs has elapsed since resolvedAt', () => {
    assertProp(
      scenarioArb.map((s) => ({ ...s, actor: 'system' as const, action: { type: 'auto_close' } as Action })),
      (s) => {
        const d = run(s);
        const { resolvedAt } = s.ticket;
        const after = s.rules.autoCloseAfterMs;
        if (s.ticket.state !== 'resolved') expect(d).toEqual({ ok: false, code: 'invalid_transition' });
        else if (after !== null && resolvedAt !== null && s.now - resolvedAt >= after)
          expect(d).toEqual({ ok: true, state: 'closed', status: 'closed', reopened: false });
        else expect(d).toEqual({ ok: false, code: 'not_due' });
      },
    );
  });

  it('time only matters for customer replies, customer reopens and auto_close', () => {
    assertProp(fc.tuple(scenarioArb, timeArb), ([s, otherNow]) => {
      const timeSensitive =
        s.action.type === 'auto_close' ||
        (s.actor === 'customer' && (s.action.type === 'customer_reply' || s.action.type === 'reopen'));
      if (!timeSensitive) expect(run({ ...s, now: otherNow })).toEqual(run(s));
    });
  });

  it('the outcome is monotone in time: once outside the window / due, later stays so', () => {
    assertProp(fc.tuple(scenarioArb, durationArb), ([s, later]) => {
      const a = run(s);
      const b = run({ ...s, now: s.now + later });
      if (s.action.type === 'customer_reply' && a.ok && a.newTicket === true) expect(b).toEqual(a);
      if (s.action.type === 'reopen' && !a.ok && a.code === 'reopen_window_passed') expect(b).toEqual(a);
      if (s.action.type === 'auto_close' && a.ok) expect(b).toEqual(a);
    });
  });

  it('the reason only matters when the target is closed', () => {
    assertProp(fc.tuple(scenarioArb, reasonArb), ([s, otherReason]) => {
      if (s.action.type !== 'set_status' || s.action.state === 'closed') return;
      const other: Action = { type: 'set_status', state: s.action.state, reason: otherReason };
      expect(run({ ...s, action: other })).toEqual(run(s));
    });
  });

  it('the status key only matters for an agent reply to an open ticket', () => {
    assertProp(fc.tuple(scenarioArb, statusKeyArb), ([s, otherKey]) => {
      if (s.action.type === 'agent_reply' && s.ticket.state === 'open') return;
      expect(run({ ...s, ticket: { ...s.ticket, statusKey: otherKey } })).toEqual(run(s));
    });
  });

  it('set_status never picks a status itself (the caller applies the chosen status row)', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if (s.action.type === 'set_status' && okMove(d)) {
        expect(d.state).toBe(s.action.state);
        expect(d.status).toBeNull();
      }
    });
  });

  it('note and edit never change the state or status', () => {
    assertProp(scenarioArb, (s) => {
      const d = run(s);
      if ((s.action.type === 'note' || s.action.type === 'edit') && d.ok) {
        expect(d).toEqual({ ok: true, state: s.ticket.state, status: null, reopened: false });
      }
    });
  });
});
