import type { ActionType, ActorKind } from '../../src/modules/tickets/tickets.lifecycle.ts';

/** Who may cause each action, written from the rules independently of the module; shared by both lifecycle suites. */
export const WHO_MAY: Record<ActionType, readonly ActorKind[]> = {
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
