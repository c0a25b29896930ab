import type { Actor, AgentActor } from '../auth/auth.actor.ts';

// Who may see and change which customers.
//
// A customer's organization and address decide which tickets they read in
// the portal (an organization that shares tickets shows them every
// member's), so moving a customer or changing their address can hand them
// tickets of any department. That is for admins, the system (API keys
// without an agent) and agents an admin trusted with "manage customers".
// Every other agent sees, reads and edits (name, phone) only the customers
// of tickets they may view — as requester or collaborator — so one
// department's agent cannot browse the others' customers (the row filter for
// a CustomerScope is in customers.search.repository.ts). Phone intake still finds a
// caller by their complete address (customers.service.ts).

export const mayManageCustomers = (actor: Actor): boolean =>
  actor.kind === 'system' || (actor.kind === 'agent' && (actor.role === 'admin' || actor.manageCustomers));

/** Admins (and desk-wide keys, acting as the system) may ban. */
export const mayBan = (actor: Actor): boolean =>
  actor.kind === 'system' || (actor.kind === 'agent' && actor.role === 'admin');

/** Which customers an actor sees: every one, none, or those of the tickets an agent may view. */
export type CustomerScope = { kind: 'all' } | { kind: 'none' } | { kind: 'of-tickets'; agent: AgentActor };

export function customerScope(actor: Actor): CustomerScope {
  if (mayManageCustomers(actor)) return { kind: 'all' };
  return actor.kind === 'agent' ? { kind: 'of-tickets', agent: actor } : { kind: 'none' };
}
