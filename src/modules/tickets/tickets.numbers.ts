import crypto from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Setting } from '../settings/settings.service.ts';
import { nextTicketSequence } from './tickets.repository.ts';

type NumberFormat = Setting<'ticket_number'>;

/**
 * Renders n into a format where each '#' is a digit: '######' → '100234',
 * 'DL-######' → 'DL-100234'. A value longer than the placeholders keeps all
 * its digits (the first run of '#' grows), so numbers never wrap or repeat.
 */
export function renderNumber(format: string, n: number): string {
  const slots = (format.match(/#/g) ?? []).length;
  let digits = String(n).padStart(slots, '0');
  const extra = digits.length - slots;
  return format.replace(/#+/g, (run, offset: number) => {
    const first = offset === format.indexOf('#');
    const take = run.length + (first ? extra : 0);
    const out = digits.slice(0, take);
    digits = digits.slice(take);
    return out;
  });
}

/** osTicket style: random digits, never starting with 0 (integrations parse numbers as integers). */
export function randomNumber(format: string): string {
  let first = true;
  return format.replace(/#/g, () => {
    const d = first ? 1 + crypto.randomInt(9) : crypto.randomInt(10);
    first = false;
    return String(d);
  });
}

/**
 * The next candidate number. On PostgreSQL a native sequence (nextval never
 * blocks and never hands out a value twice, even across processes); on SQLite
 * a counter row updated inside the writer's transaction.
 */
export async function nextCandidate(db: Db, format: NumberFormat): Promise<string> {
  if (format.mode === 'random') return randomNumber(format.format);
  return renderNumber(format.format, format.offset + (await nextTicketSequence(db)));
}
