import { z } from 'zod';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { updateAgent } from './agents.repository.ts';

/** What an agent may change about themselves (role, access and email stay with admins). */
export const ProfileUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  /** Appended to replies; plain text, several lines. */
  signature: z.string().max(4000).optional(),
});

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
