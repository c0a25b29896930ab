import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { CHANNEL_CODE } from './reports.facts.ts';
import type { Filters, Scope } from './reports.query.ts';

// The report filters as one SQL condition, over the tickets table aliased `t`
// (raw reads: breaches, surveys, ratings, the open backlog) or over
// report_facts aliased `f`, which carries the ticket's current fields. A
// ticket counts under its current department, agent, topic… (not the ones it
// had when an event happened): see docs/REPORTS.md.

type Columns = Record<keyof Filters, string>;

const TICKET: Columns = {
  department: 't.department_id',
  team: 't.team_id',
  agent: 't.assignee_id',
  topic: 't.help_topic_id',
  priority: 't.priority_id',
  channel: 't.source',
  organization: 't.organization_id',
};
const FACT: Columns = {
  department: 'f.department_id',
  team: 'f.team_id',
  agent: 'f.assignee_id',
  topic: 'f.help_topic_id',
  priority: 'f.priority_id',
  channel: 'f.channel',
  organization: 'f.organization_id',
};

function filterOn(
  scope: Scope,
  columns: Columns,
  channel: (c: string) => string | number,
): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  for (const [key, column] of Object.entries(columns) as [keyof Filters, string][]) {
    const value = scope.filters[key];
    if (value !== undefined)
      parts.push(sql`${sql.ref(column)} = ${typeof value === 'string' ? channel(value) : value}`);
  }
  if (scope.departments)
    parts.push(
      scope.departments.length === 0
        ? sql`1 = 0`
        : sql`${sql.ref(columns.department)} in (${sql.join(scope.departments)})`,
    );
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

export const ticketFilter = (scope: Scope) => filterOn(scope, TICKET, (c) => c);
export const factFilter = (scope: Scope) => filterOn(scope, FACT, (c) => CHANNEL_CODE[c]!);
