import { z } from 'zod';
import type { Deps } from '../../lib/deps.ts';
import { inTransaction } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { hashPassword } from '../auth/auth.passwords.ts';
import { PERMISSIONS } from '../auth/auth.actor.ts';
import { findDepartment } from './directory.repository.ts';
import { Email } from '../tickets/tickets.schemas.ts';

export const NewAgent = z.strictObject({
  email: Email.transform((a) => a.toLowerCase()),
  name: z.string().trim().min(1).max(128),
  password: z.string().min(8, 'at least 8 characters').max(1024),
  role: z.enum(['admin', 'agent']).default('agent'),
  /** May move customers between organizations and correct their addresses (customers.access.ts). */
  manageCustomers: z.boolean().default(false),
  /** Departments by id or name, with the permissions there (default: all). */
  departments: z
    .array(
      z.object({
        department: z.union([z.number().int(), z.string()]),
        permissions: z.array(z.enum(PERMISSIONS)).optional(),
      }),
    )
    .default([]),
});

export async function createAgent(deps: Deps, raw: z.input<typeof NewAgent>) {
  const input = parseInput(NewAgent, raw);
  const passwordHash = await hashPassword(input.password); // slow on purpose: outside the transaction
  return inTransaction(deps, async (trx) => {
    const now = deps.clock.now();
    const clash = await trx
      .selectFrom('agents')
      .select('id')
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (clash) throw new AppError('agent_exists', 409, `An agent with the address ${input.email} exists`);
    const agent = await trx
      .insertInto('agents')
      .values({
        email: input.email,
        name: input.name,
        password_hash: passwordHash,
        role: input.role,
        max_open_tickets: null,
        manage_customers: input.manageCustomers ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'email', 'name', 'role'])
      .executeTakeFirstOrThrow();
    for (const access of input.departments) {
      const dept = await findDepartment(trx, access.department);
      if (!dept) throw notFound('department');
      await trx
        .insertInto('agent_departments')
        .values({
          agent_id: agent.id,
          department_id: dept.id,
          permissions: (access.permissions ?? PERMISSIONS).join(','),
        })
        .execute();
    }
    return agent;
  });
}
