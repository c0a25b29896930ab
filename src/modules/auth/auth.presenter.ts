import type { CurrentUser } from '../../contract/auth.contract.ts';
import type { AgentActor, CustomerActor } from './auth.actor.ts';

export type CurrentUserView = CurrentUser;

/** A desk-wide API key acts as the system. */
export const SYSTEM_USER: CurrentUserView = {
  kind: 'system',
  id: null,
  name: 'System',
  email: null,
  role: 'system',
  departments: [],
  teams: [],
};

interface Person {
  name: string;
  email: string;
  /** Agents: what their own profile page edits. */
  signature?: string;
  availability?: 'available' | 'away' | 'vacation';
}

/** The caller as the API shows them: never a password hash, only what the UI needs to decide what to show. */
export function presentCurrentUser(
  actor: AgentActor | CustomerActor,
  person: Person,
  org?: { id: number; name: string },
): CurrentUserView {
  const { name, email } = person;
  if (actor.kind === 'customer')
    return {
      kind: 'customer',
      id: actor.id,
      name,
      email,
      role: 'customer',
      departments: [],
      teams: [],
      organization: org ? { ...org, sharesTickets: actor.seesOrganization } : null,
    };
  return {
    kind: 'agent',
    id: actor.id,
    name,
    email,
    role: actor.role,
    departments: [...actor.departments].map(([id, perms]) => ({ id, permissions: [...perms] })),
    teams: [...actor.teams],
    signature: person.signature,
    availability: person.availability,
    manageCustomers: actor.role === 'admin' || actor.manageCustomers,
  };
}
