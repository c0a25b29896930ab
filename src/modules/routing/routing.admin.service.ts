import { z } from 'zod';
import { decodeCursor, pageOf, Paging } from '../../lib/cursor.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { InstantText } from '../../contract/instant.contract.ts';
import { parseInput } from '../../lib/validate.ts';
import { listRejections as readRejections } from './routing.rejections.repository.ts';
import { ruleSets } from './routing.service.ts';
import { CHANNELS } from './routing.conditions.ts';
import {
  compileRules,
  evaluateRules,
  explainRules,
  RuleInput,
  type RoutingOutcome,
  type RuleTrace,
} from './routing.rules.ts';

// What an admin does with routing besides editing rules (routing.admin-tables.ts):
// try a rule (or the saved set) on a sample ticket, read the requests rules
// refused, and the `automation` setting.

const Id = z.number().int().positive();
export const PreviewInput = z.strictObject({
  ticket: z.strictObject({
    channel: z.enum(CHANNELS).default('web'),
    from: z.string().trim().toLowerCase().min(1).max(254),
    to: z.array(z.string().trim().toLowerCase().max(254)).max(50).default([]),
    subject: z.string().max(1000).default(''),
    body: z
      .string()
      .max(256 * 1024)
      .default(''),
    helpTopicId: Id.nullable().default(null),
    organizationId: Id.nullable().default(null),
    priorityId: Id.nullable().default(null),
    fields: z.record(z.string().max(64), z.string().max(4000)).default({}),
    /** When it arrives (ISO 8601); now when left out. Time-of-day conditions read it. */
    at: InstantText.optional(),
  }),
  /** A draft rule to test alone; without it the saved active rules run in order. */
  rule: RuleInput.optional(),
});

export async function previewRouting(
  deps: Deps,
  raw: unknown,
): Promise<RoutingOutcome & { rules: RuleTrace[] }> {
  const input = parseInput(PreviewInput, raw);
  const ref = await referenceOf(deps);
  const { at, ...t } = input.ticket;
  const subject = { ...t, at: at ? Date.parse(at) : deps.clock.now() };
  const set = input.rule
    ? compileRules([{ id: 0, sort: 0, ...input.rule }], {
        timezone: ref.settings.automation.timezone,
        phase: 'intake',
      })
    : ruleSets(ref, deps.log).intake;
  return { ...evaluateRules(set, subject), rules: explainRules(set, subject) };
}

export const RejectionQuery = z.strictObject({ ...Paging });

export async function listRejections(deps: Deps, raw: unknown) {
  const input = parseInput(RejectionQuery, raw);
  const rows = await readRejections(deps.db, {
    beforeId: input.cursor ? decodeCursor(input.cursor, 1)[0]! : undefined,
    limit: input.limit + 1,
  });
  return pageOf(rows, input.limit);
}
export type RejectionRow = Awaited<ReturnType<typeof listRejections>>['items'][number];
