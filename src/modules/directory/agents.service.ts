import { z } from 'zod';
import type { Deps } from '../../lib/deps.ts';
import { inTransaction } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { PERMISSIONS } from '../../contract/auth.contract.ts';
import { hashPassword } from '../auth/auth.passwords.ts';
import * as agents from './agents.repository.ts';
import { findDepartment } from './directory.repository.ts';
import { NewAgent } from '../../contract/directory.contract.ts';

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
