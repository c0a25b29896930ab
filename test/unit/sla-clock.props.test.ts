import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { calendarFor } from '../../src/modules/sla/sla.calendar.ts';
import { NO_CLOCKS, slaColumns, type SlaRow } from '../../src/modules/sla/sla.clock.ts';
import { Escalation } from '../../src/contract/sla.contract.ts';
import type { SlaPlanRules } from '../../src/modules/sla/sla.plan.ts';

// The ticket's clocks through any sequence of pauses and resumes: a pause never
// brings a due time closer, the clocks are off while paused, and the business
// time the ticket spent running before its due equals the target.

const day = [['08:00', '18:00']] as [string, string][];
const plan: SlaPlanRules = {
  id: 1,
  targets: { '2': { firstResponse: 240, resolution: 1440 } },
  calendar: calendarFor({
    timezone: 'America/New_York',
    hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: ['2026-11-26'],
  }),
  escalation: Escalation.parse({}),
};
const START = Date.UTC(2026, 9, 28, 13); // Wed 28 Oct 2026, 09:00 New York; the clocks change on 1 Nov

const fresh = (): SlaRow => ({
  ...NO_CLOCKS,
  sla_plan_id: 1,
  priority_level: 2,
  state: 'open',
  created_at: START,
  last_message_at: START,
});

describe('SLA clocks with pauses (fast-check)', () => {
  it('pausing never brings the resolution due time closer; running time before it equals the target', () => {
    const steps = fc.array(fc.tuple(fc.integer({ min: 1, max: 72 * 60 }), fc.boolean()), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(steps, (list) => {
        let row = { ...fresh(), ...slaColumns(plan, false, null, fresh(), START) };
        const firstDue = row.sla_resolve_due_at!;
        let now = START;
        let running = 0; // business time the clocks ran
        for (const [minutes, pause] of list) {
          const next = now + minutes * MINUTE;
          if (row.sla_paused_at === null)
            running += plan.calendar.between(now, Math.min(next, row.sla_resolve_due_at!));
          now = next;
          const state = pause ? ('pending' as const) : ('open' as const);
          const after = { ...row, state };
          const cols = slaColumns(plan, false, row, after, now);
          row = { ...after, ...cols };
          if (state === 'pending') {
            expect(cols.sla_due_at).toBeNull();
            expect(cols.sla_check_at).toBeNull();
          } else {
            expect(cols.sla_resolve_due_at!).toBeGreaterThanOrEqual(firstDue);
            // The target is 24 business hours: what ran plus what is left adds up to it.
            const left = plan.calendar.between(Math.max(now, START), cols.sla_resolve_due_at!);
            if (now < cols.sla_resolve_due_at!) expect(running + left).toBe(24 * HOUR);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
