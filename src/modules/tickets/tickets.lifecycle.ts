import type { TicketState } from '../../db/schema.ts';

/**
 * The ticket lifecycle: the ONE place that decides which state changes are
 * legal, who may cause them and what they do. Pure (no I/O, time passed in),
 * so it is tested exhaustively over every state × action × actor.
 *
 *   open ⇄ pending ─► resolved ─► closed
 *     ▲                  │           │
 *     └──── reopen ──────┴───────────┘
 *
 * Statuses are admin-defined rows mapped onto these four states; the system
 * statuses the lifecycle moves tickets to by itself are named by StatusKey.
 */

export type ActorKind = 'agent' | 'customer' | 'system';
export type StatusKey = 'open' | 'in_progress' | 'awaiting_customer' | 'resolved' | 'closed';

export const STATES: readonly TicketState[] = ['open', 'pending', 'resolved', 'closed'];
export const ACTOR_KINDS: readonly ActorKind[] = ['agent', 'customer', 'system'];

/** The system status a ticket moves to when it enters a state without an explicit choice. */
export const DEFAULT_STATUS: Record<TicketState, StatusKey> = {
  open: 'open',
  pending: 'awaiting_customer',
  resolved: 'resolved',
  closed: 'closed',
};

export type Action =
  | { type: 'customer_reply' }
  /** An agent's reply to the customer; `setState` is the composer's "set status on send". */
  | { type: 'agent_reply'; setState?: 'open' | 'pending' | 'resolved' }
  | { type: 'note' }
  /** Choose a status explicitly; `state` is the state that status maps to. */
  | { type: 'set_status'; state: TicketState; reason?: string }
  | { type: 'resolve' }
  | { type: 'close'; reason?: string }
  | { type: 'reopen' }
  /** The customer confirms the solution worked. */
  | { type: 'confirm' }
  | { type: 'auto_close' }
  /** Field changes: assign, transfer, priority, help topic, due date. */
  | { type: 'edit' };

export type ActionType = Action['type'];

export interface LifecycleTicket {
  state: TicketState;
  statusKey: string | null;
  resolvedAt: number | null;
  closedAt: number | null;
}

export interface LifecycleRules {
  /** A customer may reopen (by reply or explicitly) this long after resolution or closing. */
  reopenWindowMs: number;
  /** Resolved tickets close on their own after this long (null: never). */
  autoCloseAfterMs: number | null;
}

export type ErrorCode =
  | 'not_allowed'
  | 'invalid_transition'
  | 'reason_required'
  | 'ticket_closed'
  | 'reopen_window_passed'
  | 'not_due';

export type Decision =
  | {
      ok: true;
      state: TicketState;
      /** System status to move to; null keeps the current status (or the caller's explicit choice). */
      status: StatusKey | null;
      reopened: boolean;
      /** The customer wrote after the reopen window: start a new ticket linked to this one. */
      newTicket?: false;
    }
  | { ok: true; newTicket: true }
  | { ok: false; code: ErrorCode };

const WHO: Record<ActionType, readonly ActorKind[]> = {
  customer_reply: ['customer'],
  agent_reply: ['agent', 'system'],
  note: ['agent', 'system'],
  set_status: ['agent', 'system'],
  resolve: ['agent', 'system'],
  close: ['agent', 'system'],
  reopen: ['agent', 'customer', 'system'],
  confirm: ['customer'],
  auto_close: ['system'],
  edit: ['agent', 'system'],
};

export const mayCause = (actor: ActorKind, action: ActionType) => WHO[action].includes(actor);

const fail = (code: ErrorCode): Decision => ({ ok: false, code });
const keep = (t: LifecycleTicket): Decision => ({ ok: true, state: t.state, status: null, reopened: false });
const move = (state: TicketState, status: StatusKey | null = DEFAULT_STATUS[state]): Decision => ({
  ok: true,
  state,
  status,
  reopened: false,
});
const reopen = (
  state: 'open' | 'pending' = 'open',
  status: StatusKey | null = DEFAULT_STATUS[state],
): Decision => ({
  ok: true,
  state,
  status,
  reopened: true,
});

const isDone = (s: TicketState) => s === 'resolved' || s === 'closed';

/** When the customer's reopen window started: the later of resolution and closing. */
function withinReopenWindow(t: LifecycleTicket, now: number, rules: LifecycleRules): boolean {
  const since = Math.max(t.resolvedAt ?? 0, t.closedAt ?? 0);
  return since > 0 && now - since <= rules.reopenWindowMs;
}

export function decide(
  t: LifecycleTicket,
  action: Action,
  actor: ActorKind,
  now: number,
  rules: LifecycleRules,
): Decision {
  if (!mayCause(actor, action.type)) return fail('not_allowed');
  switch (action.type) {
    case 'customer_reply':
      if (t.state === 'open') return keep(t);
      if (t.state === 'pending') return move('open', 'in_progress');
      return withinReopenWindow(t, now, rules) ? reopen() : { ok: true, newTicket: true };
    case 'agent_reply':
      return agentReply(t, action.setState);
    case 'note':
      return keep(t);
    case 'set_status':
      return setStatus(t, action.state, action.reason);
    case 'resolve':
      return isDone(t.state) ? fail('invalid_transition') : move('resolved');
    case 'close':
      if (t.state === 'closed') return fail('invalid_transition');
      return mayClose(t, action.reason) ? move('closed') : fail('reason_required');
    case 'reopen':
      if (!isDone(t.state)) return fail('invalid_transition');
      if (actor === 'customer' && !withinReopenWindow(t, now, rules)) return fail('reopen_window_passed');
      return reopen();
    case 'confirm':
      return t.state === 'resolved' ? move('closed') : fail('invalid_transition');
    case 'auto_close':
      if (t.state !== 'resolved') return fail('invalid_transition');
      if (rules.autoCloseAfterMs === null || t.resolvedAt === null) return fail('not_due');
      return now - t.resolvedAt >= rules.autoCloseAfterMs ? move('closed') : fail('not_due');
    case 'edit':
      return t.state === 'closed' ? fail('ticket_closed') : keep(t);
  }
}

function agentReply(t: LifecycleTicket, setState: 'open' | 'pending' | 'resolved' | undefined): Decision {
  if (t.state === 'closed' && (setState === undefined || setState === 'resolved'))
    return fail('ticket_closed');
  if (isDone(t.state) && (setState === 'open' || setState === 'pending')) return reopen(setState);
  if (setState === undefined || setState === t.state) {
    // Answering a fresh ticket means someone is on it.
    return t.state === 'open' && t.statusKey === 'open' ? move('open', 'in_progress') : keep(t);
  }
  if (setState === 'open') return move('open', 'in_progress');
  return move(setState);
}

function setStatus(t: LifecycleTicket, target: TicketState, reason: string | undefined): Decision {
  // The caller names the exact status row; the lifecycle only judges the state change.
  if (target === t.state) return t.state === 'closed' ? fail('invalid_transition') : move(target, null);
  if (target === 'closed') return mayClose(t, reason) ? move('closed', null) : fail('reason_required');
  if (t.state === 'closed' && target === 'resolved') return fail('invalid_transition');
  if (isDone(t.state) && (target === 'open' || target === 'pending')) return reopen(target, null);
  return move(target, null);
}

const hasReason = (reason: string | undefined) => reason !== undefined && reason.trim().length > 0;

/**
 * Closing a resolved ticket is the normal end of its story and needs no
 * reason; closing work that was never resolved (spam, a duplicate, a request
 * withdrawn) must say why.
 */
const mayClose = (t: LifecycleTicket, reason: string | undefined) =>
  t.state === 'resolved' || hasReason(reason);
