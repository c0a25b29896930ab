import type Sqlite from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * SQLite with group commit. SQLite has one writer, and a commit costs more
 * than the statements of a typical use case (it writes every dirty page to the
 * WAL and now and then checkpoints). When transactions queue up behind each
 * other, this driver runs them inside one outer transaction, each in its own
 * savepoint, and commits once for the group:
 *
 * - each member still succeeds or fails alone (ROLLBACK TO its savepoint);
 * - a member's commit resolves only after the group's COMMIT is on disk, so
 *   "committed" still means committed (a failed COMMIT rejects every member);
 * - with no queue (one request at a time) it behaves like a plain transaction.
 *
 * Outer transactions are BEGIN IMMEDIATE: the write lock is taken up front, so
 * a second process gets a busy wait instead of a failed lock upgrade.
 */
const MAX_GROUP = 128;

class Mutex {
  private held = false;
  private readonly queue: (() => void)[] = [];
  get waiting(): number {
    return this.queue.length;
  }
  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }
}

interface Group {
  members: number;
  committed: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const committed = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  committed.catch(() => undefined); // members that wait re-throw; nobody else must see an unhandled rejection
  return { members: 0, committed, resolve, reject };
}

/** One per acquisition (all share the one SQLite connection), so each holder has its own flag. */
class Connection implements DatabaseConnection {
  /** Set when a member handed the lock on before its commit finished. */
  released = false;
  constructor(private readonly prepare: (sql: string) => Sqlite.Statement) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('SQLite streams only select queries');
    for (const row of this.prepare(compiled.sql).iterate(compiled.parameters as unknown[]))
      yield { rows: [row as R] };
  }

  run(sql: string): void {
    this.prepare(sql).run();
  }
}

class GroupCommitDriver implements Driver {
  private readonly mutex = new Mutex();
  private group: Group | null = null;

  constructor(
    private readonly db: Sqlite.Database,
    private readonly prepare: (sql: string) => Sqlite.Statement,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Connection(this.prepare);
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    if (!this.group) {
      asOurs(c).run('begin immediate');
      this.group = newGroup();
    }
    asOurs(c).run('savepoint dl_member');
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const conn = asOurs(c);
    conn.run('release dl_member');
    const group = this.group!;
    group.members++;
    if (this.mutex.waiting === 0 || group.members >= MAX_GROUP) return this.flush(conn);
    // Others are queued: let the next one in and be committed with it.
    conn.released = true;
    this.mutex.unlock();
    await group.committed;
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    if (this.db.inTransaction) {
      asOurs(c).run('rollback to dl_member');
      asOurs(c).run('release dl_member');
      return;
    }
    // SQLite rolled the whole group back itself (I/O error, disk full): every member fails,
    // with SQLite's own code for it, so the edge answers "try again" (database.errors.ts).
    const err = Object.assign(new Error('SQLite rolled back the transaction group'), {
      code: 'SQLITE_ABORT_ROLLBACK',
    });
    this.group?.reject(err);
    this.group = null;
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    const conn = asOurs(c);
    if (conn.released) return;
    try {
      // The last one out commits the group (also after a rollback, or a plain
      // statement that ran while a group was open).
      if (this.group && this.mutex.waiting === 0) await this.flush(conn);
    } finally {
      this.mutex.unlock();
    }
  }

  async savepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`savepoint ${JSON.stringify(name)}`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`rollback to ${JSON.stringify(name)}`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`release ${JSON.stringify(name)}`));
  }

  async destroy(): Promise<void> {
    this.db.close();
  }

  private async flush(conn: Connection): Promise<void> {
    const group = this.group!;
    this.group = null;
    try {
      conn.run('commit');
      group.resolve();
    } catch (err) {
      if (this.db.inTransaction) conn.run('rollback');
      group.reject(err);
      throw err;
    }
  }
}

function asOurs(c: DatabaseConnection): Connection {
  if (!(c instanceof Connection)) throw new Error('not a group-commit connection');
  return c;
}

export function groupCommitSqliteDialect(
  db: Sqlite.Database,
  prepare: (sql: string) => Sqlite.Statement,
): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GroupCommitDriver(db, prepare),
    createIntrospector: (k: Kysely<unknown>) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
