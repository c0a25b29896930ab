import type { Deps } from '../../lib/deps.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import * as tickets from '../tickets/tickets.service.ts';
import { BulkInput } from '../../contract/queues.contract.ts';

export interface BulkResult {
  number: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/**
 * One action over many tickets, each through the same service function (and
 * so the same authorization, lifecycle rules and events) as the single-ticket
 * route, in its own transaction. A refused ticket is reported and the others
 * go ahead: bulk edits are independent changes, and undoing ninety-nine good
 * ones because one ticket moved meanwhile helps nobody.
 */
export async function runBulk(
  deps: Deps,
  actor: Actor,
  raw: unknown,
  onUnexpected: (err: unknown) => void = () => {},
): Promise<BulkResult[]> {
  const input = parseInput(BulkInput, raw);
  const run = actionOf(deps, actor, input);
  const results: BulkResult[] = [];
  for (const number of input.numbers) {
    try {
      await run(number);
      results.push({ number, ok: true });
    } catch (err) {
      if (err instanceof AppError) {
        results.push({ number, ok: false, error: { code: err.code, message: err.message } });
        continue;
      }
      onUnexpected(err);
      results.push({ number, ok: false, error: { code: 'internal_error', message: 'Unexpected error' } });
    }
  }
  return results;
}

function actionOf(deps: Deps, actor: Actor, input: BulkInput): (number: string) => Promise<unknown> {
  switch (input.action) {
    case 'assign': {
      let assignee = input.assignee;
      if (assignee === 'me') {
        if (actor.kind !== 'agent') throw invalid('assignee_me_needs_agent', '"me" needs a signed-in agent');
        assignee = actor.id;
      }
      return (n) => tickets.assign(deps, actor, n, { assignee });
    }
    case 'transfer':
      return (n) => tickets.transfer(deps, actor, n, { department: input.department });
    case 'status':
      return (n) =>
        tickets.setStatus(deps, actor, n, {
          status: input.status,
          ...(input.reason ? { reason: input.reason } : {}),
        });
    case 'priority':
      return (n) => tickets.setPriority(deps, actor, n, { priority: input.priority });
    case 'close':
      return (n) => tickets.close(deps, actor, n, input.reason ? { reason: input.reason } : {});
  }
}
