import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Actor } from './auth.actor.ts';

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

/** The caller as the API shows them: never a password hash, only what the UI needs to decide what to show. */
export async function presentCurrentUser(db: Db, actor: Actor): Promise<z.output<typeof CurrentUser>> {
  if (actor.kind === 'system') {
    return {
      kind: 'system',
      id: null,
      name: 'System',
      email: null,
      role: 'system',
      departments: [],
      teams: [],
    };
  }
  const table = actor.kind === 'agent' ? 'agents' : 'customers';
  const row = await db
    .selectFrom(table)
    .select(['name', 'email'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (actor.kind === 'customer') {
    const org =
      actor.organizationId === null
        ? undefined
        : await db
            .selectFrom('organizations')
            .select(['id', 'name'])
            .where('id', '=', actor.organizationId)
            .executeTakeFirst();
    const organization = org ? { ...org, sharesTickets: actor.seesOrganization } : null;
    return {
      kind: 'customer',
      id: actor.id,
      ...row,
      role: 'customer',
      departments: [],
      teams: [],
      organization,
    };
  }
  const own = await db
    .selectFrom('agents')
    .select(['signature', 'availability'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  return {
    kind: 'agent',
    id: actor.id,
    ...row,
    role: actor.role,
    departments: [...actor.departments].map(([id, perms]) => ({ id, permissions: [...perms] })),
    teams: [...actor.teams],
    ...own,
    manageCustomers: actor.role === 'admin' || actor.manageCustomers,
  };
}
