import { z } from 'zod';
import type { Deps } from '../../lib/deps.ts';
import { inTransaction } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { hashPassword } from '../auth/auth.passwords.ts';
import { PERMISSIONS } from '../auth/auth.actor.ts';
import * as agents from './agents.repository.ts';
import { findDepartment } from './directory.repository.ts';
import { Email } from '../../contract/email.contract.ts';

export const NewAgent = z.strictObject({
  email: Email.transform((a) => a.toLowerCase()),
  name: z.string().trim().min(1).max(128),
  password: z.string().min(8, 'at least 8 characters').max(1024),
  role: z.enum(['admin', 'agent']).default('agent'),
  /** May move customers between organizations and correct their addresses (customers.policy.ts). */
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
    if (await agents.findAgentIdByEmail(trx, input.email))
      throw new AppError('agent_exists', 409, `An agent with the address ${input.email} exists`);
    const agent = await agents.insertAgent(trx, {
      email: input.email,
      name: input.name,
      passwordHash,
      role: input.role,
      manageCustomers: input.manageCustomers,
      now: deps.clock.now(),
    });
    for (const access of input.departments) {
      const dept = await findDepartment(trx, access.department);
      if (!dept) throw notFound('department');
      const permissions = (access.permissions ?? PERMISSIONS).join(',');
      await agents.grantDepartment(trx, { agentId: agent.id, departmentId: dept.id, permissions });
    }
    return agent;
  });
}
