import { Migrator, sql, type Migration, type MigrationResultSet } from 'kysely';
import { isPostgres, type Db } from './database.ts';
import * as initial from './migrations/0001_initial.ts';
import * as api from './migrations/0002_api.ts';
import * as mail from './migrations/0003_mail.ts';
import * as automation from './migrations/0004_automation.ts';
import * as web from './migrations/0005_web.ts';
import * as surveys from './migrations/0006_surveys.ts';
import * as reports from './migrations/0007_reports.ts';
import * as dashboard from './migrations/0008_dashboard.ts';
import * as reportFacts from './migrations/0009_report_facts.ts';
import * as reportFilters from './migrations/0010_report_filters.ts';
import * as accounts from './migrations/0011_accounts_confirmations.ts';
import * as healthChecks from './migrations/0012_health_checks.ts';
import * as linkExpiry from './migrations/0013_link_expiry.ts';

// Listed here rather than read from a folder so the set is explicit and typed.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_api': api,
  '0003_mail': mail,
  '0004_automation': automation,
  '0005_web': web,
  '0006_surveys': surveys,
  '0007_reports': reports,
  '0008_dashboard': dashboard,
  '0009_report_facts': reportFacts,
  '0010_report_filters': reportFilters,
  '0011_accounts_confirmations': accounts,
  '0012_health_checks': healthChecks,
  '0013_link_expiry': linkExpiry,
};

/**
 * On PostgreSQL the bookkeeping tables live in the connection's current schema:
 * without naming it, Kysely finds them in any schema of the database and
 * skips creating its own (several desks or test schemas side by side).
 */
async function migratorFor(db: Db): Promise<Migrator> {
  const schema = isPostgres(db)
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
    : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: false,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await (await migratorFor(db)).migrateToLatest();
  if (result.error) throw result.error;
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations this build knows but the database has not applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await migratorFor(db)).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
