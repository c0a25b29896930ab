import { sql } from 'kysely';
import { isPostgres, required, type AnyDb } from './helpers.ts';

// Accounts that prove their address, and customers only the right staff may widen.
//
// - access_links carries every mailed account link, not only sign-in: a
//   portal sign-up and an email change are confirmed by a link to the address
//   (purpose), which names the address it proves. A sign-up for an address
//   nobody has used keeps its name and password hash here until confirmed, so
//   no customer row exists before the mailbox is proven (customer_id is null).
//   Rows are also the per-address ledger of account mail (rate limit).
// - agents.manage_customers: may move customers between organizations and
//   change their addresses, whatever the agent's departments.
// - ticket_collaborators by customer: "is this customer on a ticket I may see"
//   is an indexed EXISTS from the customer side.

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table access_links alter column customer_id drop not null`.execute(db);
    await db.schema
      .alterTable('access_links')
      .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('sign_in'))
      .execute();
    for (const column of ['address', 'name', 'password_hash'])
      await db.schema.alterTable('access_links').addColumn(column, 'text').execute();
  } else {
    // SQLite cannot drop a NOT NULL: rebuild the (small, short-lived) table.
    await db.schema
      .createTable('access_links_new')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('cascade'))
      .addColumn('ticket_id', 'bigint', (c) => c.references('tickets.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', required)
      .addColumn('expires_at', 'bigint', required)
      .addColumn('used_at', 'bigint')
      .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('sign_in'))
      .addColumn('address', 'text')
      .addColumn('name', 'text')
      .addColumn('password_hash', 'text')
      .execute();
    await sql`insert into access_links_new (token_hash, customer_id, ticket_id, created_at, expires_at, used_at)
      select token_hash, customer_id, ticket_id, created_at, expires_at, used_at from access_links`.execute(
      db,
    );
    await db.schema.dropTable('access_links').execute();
    await sql`alter table access_links_new rename to access_links`.execute(db);
  }
  await db.schema
    .createIndex('access_links_address')
    .on('access_links')
    .columns(['address', 'created_at'])
    .execute();
  await db.schema.createIndex('access_links_customer').on('access_links').column('customer_id').execute();

  await db.schema
    .alterTable('agents')
    .addColumn('manage_customers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createIndex('ticket_collaborators_customer')
    .on('ticket_collaborators')
    .columns(['customer_id', 'ticket_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('ticket_collaborators_customer').execute();
  await db.schema.alterTable('agents').dropColumn('manage_customers').execute();
  await db.schema.dropIndex('access_links_customer').execute();
  await db.schema.dropIndex('access_links_address').execute();
  // Links without a customer (pending sign-ups) cannot go back to the old shape.
  await sql`delete from access_links where customer_id is null`.execute(db);
  for (const column of ['password_hash', 'name', 'address', 'purpose'])
    await db.schema.alterTable('access_links').dropColumn(column).execute();
}
