import { z } from 'zod';
import { defined, Name, type AdminTable, type Row } from '../directory/directory.admin.service.ts';
import { CalendarSpec, Escalation, Targets } from '../../contract/sla.contract.ts';

// SLA plans for the admin tables (directory.admin.service.ts): targets per
// priority level in minutes, an optional business-hours calendar (null: 24×7)
// and the escalation at the warning and the breach (defaults when left out).

const SlaPlan = z.strictObject({
  name: Name,
  targets: Targets,
  calendar: CalendarSpec.nullable().optional(),
  escalation: Escalation.nullable().optional(),
});
const json = (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v));

export const slaPlans: AdminTable = {
  name: 'sla_plan',
  table: 'sla_plans',
  create: SlaPlan,
  update: SlaPlan.partial(),
  toRow: async (_trx, i: Partial<z.output<typeof SlaPlan>>, now, current) =>
    defined({
      name: i.name,
      targets: json(i.targets),
      calendar: json(i.calendar),
      escalation: json(i.escalation),
      created_at: current ? undefined : now,
      updated_at: now,
    }),
  usedBy: [
    ['tickets', 'sla_plan_id'],
    ['departments', 'sla_plan_id'],
    ['help_topics', 'sla_plan_id'],
  ],
};

export const presentSlaPlan = (r: Row) => ({
  id: r.id,
  name: r.name,
  targets: JSON.parse(String(r.targets)) as unknown,
  calendar: r.calendar ? (JSON.parse(String(r.calendar)) as unknown) : null,
  // The stored escalation over the defaults, so clients see what will happen.
  escalation: Escalation.parse(r.escalation ? JSON.parse(String(r.escalation)) : {}),
});
