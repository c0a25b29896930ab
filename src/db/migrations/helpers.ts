import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

// Migrations run on both dialects. These helpers hide the few differences so a
// table is described once. Instants are epoch milliseconds (bigint) on both,
// booleans are 0/1 integers on both: one row shape, whatever the database.

export type AnyDb = Kysely<unknown>;

export const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

export function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey());
}

export const ref = (table: string, onDelete: 'cascade' | 'set null' | 'restrict' = 'restrict') => {
  return (c: ColumnDefinitionBuilder) => c.references(`${table}.id`).onDelete(onDelete);
};

export const required = (c: ColumnDefinitionBuilder) => c.notNull();
export const flag =
  (initial: 0 | 1) =>
  (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    c.notNull().defaultTo(initial);
