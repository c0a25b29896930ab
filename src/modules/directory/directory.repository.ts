import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** An object named by id or by name (email for people): what API callers and scripts send. */
export type Ref = number | string;

const byIdOrName = (ref: Ref) =>
  typeof ref === 'number' || /^\d+$/.test(ref)
    ? ({ kind: 'id', id: Number(ref) } as const)
    : ({ kind: 'name', name: ref.trim().toLowerCase() } as const);

// Reference tables are small (tens of rows), so a case-insensitive name match needs no index.

export function findDepartment(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('departments').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findPriority(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('priorities').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findStatus(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('statuses').selectAll();
  return (
    r.kind === 'id'
      ? q.where('id', '=', r.id)
      : q.where((eb) => eb.or([eb(sql`lower(name)`, '=', r.name), eb('key', '=', r.name.replace(/ /g, '_'))]))
  ).executeTakeFirst();
}

export function findHelpTopic(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('help_topics').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

export function findTeam(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('teams').selectAll();
  return (
    r.kind === 'id' ? q.where('id', '=', r.id) : q.where(sql`lower(name)`, '=', r.name)
  ).executeTakeFirst();
}

/** Agents are named by id, email or full name. */
export function findAgent(db: Db, ref: Ref) {
  const r = byIdOrName(ref);
  const q = db.selectFrom('agents').selectAll();
  if (r.kind === 'id') return q.where('id', '=', r.id).executeTakeFirst();
  return q
    .where((eb) => eb.or([eb('email', '=', r.name), eb(sql`lower(name)`, '=', r.name)]))
    .orderBy('id')
    .executeTakeFirst();
}

export function findSlaPlan(db: Db, id: number) {
  return db.selectFrom('sla_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export function statusByKey(db: Db, key: string) {
  return db.selectFrom('statuses').selectAll().where('key', '=', key).executeTakeFirst();
}

export function defaultPriority(db: Db) {
  return db
    .selectFrom('priorities')
    .selectAll()
    .orderBy('is_default', 'desc')
    .orderBy('level')
    .executeTakeFirst();
}

export function defaultDepartment(db: Db) {
  return db.selectFrom('departments').selectAll().orderBy('id').executeTakeFirst();
}
