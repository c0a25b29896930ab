import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/db/schema.ts';
import {
  isMailJob,
  JobPayloadError,
  runnable,
  type JobData,
  type NewJob,
} from '../../src/modules/outbox/outbox.registry.ts';

// The outbox's job registry (src/modules/outbox/outbox.registry.ts): one name
// and one payload schema per job type, checked when a job is written (by the
// compiler) and when it runs (by the schema).

const job = (type: string, payload: unknown): Job => ({
  id: 1,
  type,
  payload: JSON.stringify(payload),
  status: 'running',
  attempts: 1,
  max_attempts: 8,
  run_at: 0,
  locked_by: 'w1',
  locked_until: 1,
  last_error: null,
  finished_at: null,
  created_at: 0,
});

// Never called: `tsc --noEmit` (npm test) fails if any of these lines compiles.
export const notCompiling: NewJob[] = [
  // @ts-expect-error a misspelt job type
  { type: 'mail.replyy', payload: { ticketId: 1, entryId: 2 } },
  // @ts-expect-error a payload without a field its type requires
  { type: 'mail.reply', payload: { ticketId: 1 } },
  // @ts-expect-error a field of the wrong type
  { type: 'notify.assigned', payload: { ticketId: 1, agentId: 'jane' } },
  // @ts-expect-error another type's field
  { type: 'mail.acknowledgement', payload: { ticketId: 1, entryId: 2 } },
];

describe('the job registry', () => {
  it('hands a handler its payload parsed with its type’s schema', async () => {
    const seen: JobData<'mail.reply'>[] = [];
    const table = runnable({ 'mail.reply': async (payload) => void seen.push(payload) });
    await table['mail.reply']!({ ticketId: 7, entryId: 9, stale: true }, job('mail.reply', {}));
    expect(seen).toEqual([{ ticketId: 7, entryId: 9 }]);
    expect(Object.keys(table)).toEqual(['mail.reply']);
  });

  it('fails a payload its schema refuses with an error that names the type and the field', async () => {
    let called = false;
    const table = runnable({ 'notify.assigned': async () => void (called = true) });
    const run = table['notify.assigned']!({ ticketId: 7 }, job('notify.assigned', { ticketId: 7 }));
    await expect(run).rejects.toBeInstanceOf(JobPayloadError);
    await expect(run).rejects.toThrow(/^payload of notify\.assigned does not match its schema: agentId: /);
    expect(called).toBe(false);
  });

  it('knows which job types send mail (the demo seed leaves those out)', () => {
    expect(['mail.reply', 'mail.account', 'notify.sla_breach'].map(isMailJob)).toEqual([true, true, true]);
    expect(['reports.refresh', 'assign.backlog', 'mail.unknown', 'constructor'].map(isMailJob)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
