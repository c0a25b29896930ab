import { sql, type Expression, type SqlBool } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import { invalid } from '../../lib/errors.ts';

/**
 * Full-text match over ticket subjects and thread bodies: FTS5 on SQLite,
 * tsvector expression indexes on PostgreSQL (migration 0002). Every word must
 * appear; the last one may be a prefix ("print" finds "printer"), so a search
 * box can search as the user types. Internal notes are searched only for staff.
 */
export function textMatch(db: Db, q: string, opts: { includeNotes: boolean }): Expression<SqlBool> {
  const words = wordsOf(q);
  const notes = opts.includeNotes ? sql`` : sql` and e.kind <> 'note'`;
  if (isPostgres(db)) {
    const query = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
    return sql<SqlBool>`(to_tsvector('simple', tickets.subject) @@ to_tsquery('simple', ${query})
      or tickets.id in (select e.ticket_id from thread_entries e
        where to_tsvector('simple', e.body) @@ to_tsquery('simple', ${query})${notes}))`;
  }
  const query = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
  return sql<SqlBool>`(tickets.id in (select rowid from tickets_fts where tickets_fts match ${query})
    or tickets.id in (select e.ticket_id from thread_entries e
      where e.id in (select rowid from entries_fts where entries_fts match ${query})${notes}))`;
}

/** Letters and digits only: nothing a user types can change the query's syntax on either engine. */
function wordsOf(q: string): string[] {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  if (words.length === 0) throw invalid('search_query_empty', 'Search for at least one word or number');
  return words;
}
