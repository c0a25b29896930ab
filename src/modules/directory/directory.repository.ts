import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** An object named by id or by name (email for people): what API callers and scripts send. */
export type IdOrName = number | string;

const byIdOrName = (idOrName: IdOrName) =>
  typeof idOrName === 'number' || /^\d+$/.test(idOrName)
    ? ({ kind: 'id', id: Number(idOrName) } as const)
    : ({ kind: 'name', name: idOrName.trim().toLowerCase() } as const);

// Reference tables are small (tens of rows), so a case-insensitive name match needs no index.

export function findDepartment(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('departments').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findPriority(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('priorities').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findStatus(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('statuses').selectAll();
  return (
    r.kind === 'id'
      ? q.where('id', '=', r.id)
      : q.where((eb) => eb.or([eb(sql`lower(name)`, '=', r.name), eb('key', '=', r.name.replace(/ /g, '_'))]))
  ).executeTakeFirst();
}

export function findHelpTopic(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('help_topics').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findTeam(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('teams').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

/** Agents are named by id, email or full name. */
export function findAgent(db: Db, idOrName: IdOrName) {
  const r = byIdOrName(idOrName);
  const q = db.selectFrom('agents').selectAll();
  if (r.kind === 'id') return q.where('id', '=', r.id).executeTakeFirst();
  return q
    .where((eb) => eb.or([eb('email', '=', r.name), eb(sql`lower(name)`, '=', r.name)]))
    .orderBy('id')
    .executeTakeFirst();
}

/** An SLA plan by id, or by its exact name. */
export function findSlaPlan(db: Db, idOrName: IdOrName) {
  const q = db.selectFrom('sla_plans').select('id');
  return (
    typeof idOrName === 'number' || /^\d+$/.test(idOrName)
      ? q.where('id', '=', Number(idOrName))
      : q.where('name', '=', idOrName)
  ).executeTakeFirst();
}

/** One default priority at a time: clears the flag before another priority takes it. */
export async function clearDefaultPriority(db: Db): Promise<void> {
  await db.updateTable('priorities').set({ is_default: 0 }).execute();
}

/** The reference tables a snapshot holds (reference-cache.ts), read at once. */
export function readReferenceTables(db: Db) {
  return Promise.all([
    db.selectFrom('departments').selectAll().execute(),
    db.selectFrom('priorities').selectAll().execute(),
    db.selectFrom('statuses').selectAll().execute(),
    db.selectFrom('help_topics').selectAll().execute(),
    db.selectFrom('teams').selectAll().execute(),
    db.selectFrom('sla_plans').select(['id', 'name', 'targets', 'calendar', 'escalation']).execute(),
    db.selectFrom('retired_numbers').select('number').limit(1).executeTakeFirst(),
    db.selectFrom('mailboxes').selectAll().where('is_active', '=', 1).execute(),
    db.selectFrom('routing_rules').selectAll().orderBy('sort').orderBy('id').execute(),
  ]);
}
