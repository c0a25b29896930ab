// Boundary tests of the lifecycle: the reopen window, auto-close timing and closing reasons.
import { describe, expect, it } from 'vitest';
import {
  decide,
  type Action,
  type LifecycleRules,
  type LifecycleTicket,
} from '../../src/modules/tickets/tickets.lifecycle.ts';
import { DAY, T0, REOPEN_WINDOW } from './lifecycle-table.ts';

describe('tickets.lifecycle: reopen window boundaries', () => {
  const rules: LifecycleRules = { reopenWindowMs: REOPEN_WINDOW, autoCloseAfterMs: null };
  const customerReply: Action = { type: 'customer_reply' };
  const reopen: Action = { type: 'reopen' };
  const REOPENED = { ok: true, state: 'open', status: 'open', reopened: true };

  const doneTickets: Array<[string, LifecycleTicket, number]> = [
    [
      'resolved (resolvedAt only)',
      { state: 'resolved', statusKey: 'resolved', resolvedAt: T0, closedAt: null },
      T0,
    ],
    ['closed (closedAt only)', { state: 'closed', statusKey: 'closed', resolvedAt: null, closedAt: T0 }, T0],
    [
      'closed (closedAt later than resolvedAt)',
      { state: 'closed', statusKey: 'closed', resolvedAt: T0 - 20 * DAY, closedAt: T0 },
      T0,
    ],
    [
      'resolved (resolvedAt later than an earlier closedAt)',
      { state: 'resolved', statusKey: 'resolved', resolvedAt: T0, closedAt: T0 - 20 * DAY },
      T0,
    ],
  ];

  for (const [name, ticket, since] of doneTickets) {
    describe(name, () => {
      it('exactly at the limit is still inside: customer reply reopens', () => {
        expect(decide(ticket, customerReply, 'customer', since + REOPEN_WINDOW, rules)).toEqual(REOPENED);
      });
      it('exactly at the limit is still inside: customer may reopen', () => {
        expect(decide(ticket, reopen, 'customer', since + REOPEN_WINDOW, rules)).toEqual(REOPENED);
      });
      it('one ms past the limit is outside: customer reply starts a new ticket', () => {
        expect(decide(ticket, customerReply, 'customer', since + REOPEN_WINDOW + 1, rules)).toEqual({
          ok: true,
          newTicket: true,
        });
      });
      it('one ms past the limit is outside: customer may not reopen', () => {
        expect(decide(ticket, reopen, 'customer', since + REOPEN_WINDOW + 1, rules)).toEqual({
          ok: false,
          code: 'reopen_window_passed',
        });
      });
      it('one ms past the limit: staff may still reopen', () => {
        for (const actor of ['agent', 'system'] as const) {
          expect(decide(ticket, reopen, actor, since + REOPEN_WINDOW + 1, rules)).toEqual(REOPENED);
        }
      });
      it('the very moment it was resolved/closed is inside', () => {
        expect(decide(ticket, customerReply, 'customer', since, rules)).toEqual(REOPENED);
      });
    });
  }

  it('a zero-length window: inside only at the exact moment', () => {
    const t: LifecycleTicket = { state: 'resolved', statusKey: 'resolved', resolvedAt: T0, closedAt: null };
    const zero: LifecycleRules = { reopenWindowMs: 0, autoCloseAfterMs: null };
    expect(decide(t, reopen, 'customer', T0, zero)).toEqual(REOPENED);
    expect(decide(t, reopen, 'customer', T0 + 1, zero)).toEqual({ ok: false, code: 'reopen_window_passed' });
  });

  it('the window is measured from the later timestamp, not the earlier one', () => {
    const t: LifecycleTicket = {
      state: 'closed',
      statusKey: 'closed',
      resolvedAt: T0 - 20 * DAY,
      closedAt: T0,
    };
    // 10 days past resolution (outside if measured from resolvedAt), 1 day past closing.
    expect(decide(t, customerReply, 'customer', T0 + DAY, rules)).toEqual(REOPENED);
    // And the other way round: a resolved ticket closed (then reopened) long ago.
    const r: LifecycleTicket = {
      state: 'resolved',
      statusKey: 'resolved',
      resolvedAt: T0,
      closedAt: T0 - 20 * DAY,
    };
    expect(decide(r, customerReply, 'customer', T0 + DAY, rules)).toEqual(REOPENED);
  });

  for (const state of ['resolved', 'closed'] as const) {
    describe(`a ${state} ticket with neither resolvedAt nor closedAt is outside the window`, () => {
      const t: LifecycleTicket = { state, statusKey: state, resolvedAt: null, closedAt: null };
      for (const now of [T0, 0, 1]) {
        it(`customer reply at now=${now} starts a new ticket`, () => {
          expect(decide(t, customerReply, 'customer', now, rules)).toEqual({ ok: true, newTicket: true });
        });
        it(`customer reopen at now=${now} is refused`, () => {
          expect(decide(t, reopen, 'customer', now, rules)).toEqual({
            ok: false,
            code: 'reopen_window_passed',
          });
        });
      }
      it('even with a huge window', () => {
        const huge: LifecycleRules = { reopenWindowMs: Number.MAX_SAFE_INTEGER, autoCloseAfterMs: null };
        expect(decide(t, customerReply, 'customer', T0, huge)).toEqual({ ok: true, newTicket: true });
        expect(decide(t, reopen, 'customer', T0, huge)).toEqual({ ok: false, code: 'reopen_window_passed' });
      });
      it('staff may still reopen it', () => {
        expect(decide(t, reopen, 'agent', T0, rules)).toEqual(REOPENED);
        expect(decide(t, reopen, 'system', T0, rules)).toEqual(REOPENED);
      });
    });
  }

  it('the window does not matter for open/pending tickets with stale timestamps', () => {
    for (const now of [T0 + DAY, T0 + 100 * DAY]) {
      const open: LifecycleTicket = { state: 'open', statusKey: 'in_progress', resolvedAt: T0, closedAt: T0 };
      const pending: LifecycleTicket = {
        state: 'pending',
        statusKey: 'awaiting_customer',
        resolvedAt: T0,
        closedAt: T0,
      };
      expect(decide(open, customerReply, 'customer', now, rules)).toEqual({
        ok: true,
        state: 'open',
        status: null,
        reopened: false,
      });
      expect(decide(pending, customerReply, 'customer', now, rules)).toEqual({
        ok: true,
        state: 'open',
        status: 'in_progress',
        reopened: false,
      });
      expect(decide(open, reopen, 'customer', now, rules)).toEqual({ ok: false, code: 'invalid_transition' });
    }
  });
});

describe('tickets.lifecycle: auto-close boundaries', () => {
  const autoClose: Action = { type: 'auto_close' };
  const AFTER = 3 * DAY;
  const rules: LifecycleRules = { reopenWindowMs: REOPEN_WINDOW, autoCloseAfterMs: AFTER };
  const resolved: LifecycleTicket = {
    state: 'resolved',
    statusKey: 'resolved',
    resolvedAt: T0,
    closedAt: null,
  };
  const CLOSED = { ok: true, state: 'closed', status: 'closed', reopened: false };
  const NOT_DUE = { ok: false, code: 'not_due' };

  it('exactly at the limit counts as due', () => {
    expect(decide(resolved, autoClose, 'system', T0 + AFTER, rules)).toEqual(CLOSED);
  });
  it('one ms before the limit is not due', () => {
    expect(decide(resolved, autoClose, 'system', T0 + AFTER - 1, rules)).toEqual(NOT_DUE);
  });
  it('long after the limit is due', () => {
    expect(decide(resolved, autoClose, 'system', T0 + 365 * DAY, rules)).toEqual(CLOSED);
  });
  it('never due when auto-close is off, however long it has been', () => {
    const off: LifecycleRules = { reopenWindowMs: REOPEN_WINDOW, autoCloseAfterMs: null };
    expect(decide(resolved, autoClose, 'system', T0 + 10_000 * DAY, off)).toEqual(NOT_DUE);
  });
  it('a zero delay is due at once', () => {
    const zero: LifecycleRules = { reopenWindowMs: REOPEN_WINDOW, autoCloseAfterMs: 0 };
    expect(decide(resolved, autoClose, 'system', T0, zero)).toEqual(CLOSED);
  });
  it('measured from resolvedAt, not closedAt', () => {
    const t: LifecycleTicket = {
      state: 'resolved',
      statusKey: 'resolved',
      resolvedAt: T0,
      closedAt: T0 - 20 * DAY,
    };
    expect(decide(t, autoClose, 'system', T0 + AFTER - 1, rules)).toEqual(NOT_DUE);
    expect(decide(t, autoClose, 'system', T0 + AFTER, rules)).toEqual(CLOSED);
  });
  it('a resolved ticket without resolvedAt is not due', () => {
    const t: LifecycleTicket = { state: 'resolved', statusKey: 'resolved', resolvedAt: null, closedAt: null };
    expect(decide(t, autoClose, 'system', T0 + 365 * DAY, rules)).toEqual(NOT_DUE);
  });
  it('only the system may auto-close, even when due', () => {
    for (const actor of ['agent', 'customer'] as const) {
      expect(decide(resolved, autoClose, actor, T0 + AFTER, rules)).toEqual({
        ok: false,
        code: 'not_allowed',
      });
    }
  });
});

describe('tickets.lifecycle: reasons', () => {
  const rules: LifecycleRules = { reopenWindowMs: REOPEN_WINDOW, autoCloseAfterMs: null };
  const open: LifecycleTicket = { state: 'open', statusKey: 'open', resolvedAt: null, closedAt: null };
  const blanks = ['', ' ', '   ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', ' \t\n\u00a0 '];

  for (const reason of blanks) {
    it(`a blank reason ${JSON.stringify(reason)} is refused for close and set_status closed`, () => {
      expect(decide(open, { type: 'close', reason }, 'agent', T0, rules)).toEqual({
        ok: false,
        code: 'reason_required',
      });
      expect(decide(open, { type: 'set_status', state: 'closed', reason }, 'agent', T0, rules)).toEqual({
        ok: false,
        code: 'reason_required',
      });
    });
  }

  it('a reason with surrounding whitespace is accepted', () => {
    expect(decide(open, { type: 'close', reason: '  spam  ' }, 'agent', T0, rules)).toEqual({
      ok: true,
      state: 'closed',
      status: 'closed',
      reopened: false,
    });
    expect(
      decide(open, { type: 'set_status', state: 'closed', reason: '\tx\n' }, 'system', T0, rules),
    ).toEqual({
      ok: true,
      state: 'closed',
      status: null,
      reopened: false,
    });
  });

  it('closing a resolved ticket needs no reason (the normal end of its story)', () => {
    const resolved: LifecycleTicket = { ...open, state: 'resolved', statusKey: 'resolved', resolvedAt: T0 };
    for (const reason of [undefined, ...blanks]) {
      const close: Action = reason === undefined ? { type: 'close' } : { type: 'close', reason };
      expect(decide(resolved, close, 'agent', T0, rules)).toEqual({
        ok: true,
        state: 'closed',
        status: 'closed',
        reopened: false,
      });
      expect(
        decide(resolved, { type: 'set_status', state: 'closed', reason }, 'agent', T0, rules),
      ).toMatchObject({ ok: true, state: 'closed', status: null });
    }
  });

  it('a single non-blank character is a reason', () => {
    expect(decide(open, { type: 'close', reason: '.' }, 'agent', T0, rules)).toMatchObject({
      ok: true,
      state: 'closed',
    });
  });
});
