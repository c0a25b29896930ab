import type { Ticket } from '../../db/schema.ts';
import type { Permission } from '../../contract/auth.contract.ts';
import type { Actor } from '../auth/auth.actor.ts';

type Scope = Pick<Ticket, 'department_id' | 'assignee_id' | 'team_id' | 'requester_id' | 'organization_id'>;

/**
 * Who may see and work a ticket. Pure: callers pass the actor and the row.
 * An agent works a ticket through the department's permissions; the assignee
 * and the members of the ticket's team (collaboration across departments)
 * may also see it, reply, add notes, and — the assignee — resolve it.
 * Customer access to collaborated tickets is decided with the collaborator
 * list, which the service passes in.
 */
export function canView(actor: Actor, t: Scope, isCollaborator = false): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'customer':
      return (
        t.requester_id === actor.id ||
        isCollaborator ||
        (actor.seesOrganization &&
          actor.organizationId !== null &&
          t.organization_id === actor.organizationId)
      );
    case 'agent':
      return can(actor, t, 'view');
  }
}

export function can(actor: Actor, t: Scope, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'customer') return false;
  if (actor.role === 'admin') return true;
  if (actor.departments.get(t.department_id)?.has(permission)) return true;
  const isAssignee = t.assignee_id === actor.id;
  const inTeam = t.team_id !== null && actor.teams.has(t.team_id);
  if (permission === 'view' || permission === 'reply') return isAssignee || inTeam;
  if (permission === 'close') return isAssignee;
  return false;
}
