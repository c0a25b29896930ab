import { z } from 'zod';
import type { AgentActor, CustomerActor } from './auth.actor.ts';

export const CurrentUser = z.object({
  kind: z.enum(['agent', 'customer', 'system']),
  id: z.number().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(['admin', 'agent', 'customer', 'system']),
  departments: z.array(z.object({ id: z.number(), permissions: z.array(z.string()) })),
  teams: z.array(z.number()),
  /** Agents only: what their own profile page edits. */
  signature: z.string().optional(),
  availability: z.enum(['available', 'away', 'vacation']).optional(),
  /** Agents only: may change customers' organizations and addresses (admins always may). */
  manageCustomers: z.boolean().optional(),
  /** Customers only: their organization, and whether its tickets are shared with them (the portal's tab). */
  organization: z
    .object({ id: z.number(), name: z.string(), sharesTickets: z.boolean() })
    .nullable()
    .optional(),
});

export type CurrentUserView = z.output<typeof CurrentUser>;

/** A sign-in's answer: the session's CSRF token and who is signed in. */
export const SessionOut = z.object({ csrfToken: z.string(), user: CurrentUser });

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
