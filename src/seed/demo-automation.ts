import type { Db } from '../db/database.ts';
import * as rows from './demo.repository.ts';

// The demo desk's automation, so a new install shows it working: an
// office-hours SLA plan for Billing (Mon–Fri 09:00–17:00 London) and a routing
// rule sending outage reports from bank.example to SysAdmin at emergency priority.

export async function seedDemoAutomation(db: Db, now: number): Promise<void> {
  const id = (table: 'departments' | 'priorities' | 'teams' | 'sla_plans', name: string) =>
    rows.idOf(db, table, name);
  const day = [['09:00', '17:00']];
  await rows.insertSlaPlans(db, [
    {
      name: 'Office hours',
      targets: JSON.stringify({
        '1': { firstResponse: 960, nextResponse: 960, resolution: 4800 },
        '2': { firstResponse: 480, nextResponse: 480, resolution: 2400 },
        '3': { firstResponse: 120, nextResponse: 240, resolution: 960 },
        '4': { firstResponse: 60, nextResponse: 60, resolution: 480 },
      }),
      calendar: JSON.stringify({
        timezone: 'Europe/London',
        hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
        holidays: ['2026-12-25', '2026-12-28', '2027-01-01'],
      }),
      escalation: null,
      created_at: now,
      updated_at: now,
    },
  ]);
  await rows.setDepartment(db, 'Billing', { sla_plan_id: await id('sla_plans', 'Office hours') });
  await rows.insertRoutingRule(db, {
    name: 'Bank outages to SysAdmin',
    sort: 10,
    is_active: 1,
    match: 'all',
    conditions: JSON.stringify([
      { field: 'from_domain', op: 'equals', value: 'bank.example' },
      { field: 'subject_or_body', op: 'contains', value: 'outage' },
    ]),
    actions: JSON.stringify([
      { type: 'set_department', departmentId: await id('departments', 'SysAdmin') },
      { type: 'set_priority', priorityId: await id('priorities', 'Emergency') },
      { type: 'set_team', teamId: await id('teams', 'SysAdmin') },
      { type: 'add_tags', tags: ['outage'] },
    ]),
    on_reply: 0,
    created_at: now,
    updated_at: now,
  });
}
