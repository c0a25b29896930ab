import { sql, type Expression, type SqlBool } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import { invalid } from '../../lib/errors.ts';

/**
 * Full-text match over ticket subjects and thread bodies: FTS5 on SQLite,
 * tsvector expression indexes on PostgreSQL (migration 0002). Every word must
 * appear; the last one may be a prefix ("print" finds "printer"), so a search
 * box can search as the user types. Internal notes are searched only for staff.
 *
 * A common word matches hundreds of thousands of messages in a large desk, and
 * gathering every match before sorting took seconds. So each source yields its
 * SEARCH_WINDOW most recent matches (by id, newest first, which both indexes
 * can produce cheaply) and the page is sorted from those: a search shows the
 * newest matching tickets, and older ones need a more specific query.
 */
export const SEARCH_WINDOW = 2000;

export function textMatch(db: Db, q: string, opts: { includeNotes: boolean }): Expression<SqlBool> {
  const words = wordsOf(q);
  const notes = opts.includeNotes ? sql`` : sql` and e.kind <> 'note'`;
  if (isPostgres(db)) {
    const query = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
    // One IN over a UNION (not two INs joined by OR) lets the planner start from the
    // few candidates instead of walking every ticket when nothing matches.
    return sql<SqlBool>`tickets.id in (
      select a.id from (select s.id from tickets s
        where s.subject_search @@ to_tsquery('simple', ${query})
        order by s.id desc limit ${SEARCH_WINDOW}) a
      union all
      select m.ticket_id from (select e.ticket_id from thread_entries e
        where e.body_search @@ to_tsquery('simple', ${query})${notes}
        order by e.id desc limit ${SEARCH_WINDOW}) m)`;
  }
  const query = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
  return sql<SqlBool>`tickets.id in (
    select a.rowid from (select rowid from tickets_fts where tickets_fts match ${query}
      order by rowid desc limit ${SEARCH_WINDOW}) a
    union all
    select e.ticket_id from thread_entries e
      where e.id in (select rowid from entries_fts where entries_fts match ${query}
        order by rowid desc limit ${SEARCH_WINDOW})${notes})`;
}

/** Letters and digits only: nothing a user types can change the query's syntax on either engine. */
function wordsOf(q: string): string[] {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  if (words.length === 0) throw invalid('search_query_empty', 'Search for at least one word or number');
  return words;
}
