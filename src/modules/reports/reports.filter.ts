import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from './reports.query.ts';

// The report filters as one SQL condition over the tickets table aliased `t`.
// A ticket counts under its current department, agent, topic… (not the ones
// it had when an event happened): see docs/REPORTS.md.

const COLUMNS = {
  department: 't.department_id',
  team: 't.team_id',
  agent: 't.assignee_id',
  topic: 't.help_topic_id',
  priority: 't.priority_id',
  channel: 't.source',
  organization: 't.organization_id',
} as const;

export function ticketFilter(scope: Scope): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  for (const [key, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const value = scope.filters[key];
    if (value !== undefined) parts.push(sql`${sql.ref(column)} = ${value}`);
  }
  if (scope.departments)
    parts.push(
      scope.departments.length === 0 ? sql`1 = 0` : sql`t.department_id in (${sql.join(scope.departments)})`,
    );
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}
