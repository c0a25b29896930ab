import { ProfileUpdate } from '../../contract/auth.contract.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { updateAgent } from './agents.repository.ts';

export async function updateProfile(deps: Deps, agentId: number, raw: unknown): Promise<void> {
  const input = parseInput(ProfileUpdate, raw);
  await inTransaction(deps, async (trx) => {
    const changed = await updateAgent(trx, agentId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      // Trailing blanks only; the agent's own line breaks and indentation stay.
      ...(input.signature !== undefined ? { signature: input.signature.trimEnd() } : {}),
      updated_at: deps.clock.now(),
    });
    if (changed === 0) throw notFound('agent');
  });
}
