import type { Db } from '../db/database.ts';
import type { Clock } from './clock.ts';

/** What every service needs from the outside world; passed first, built once at start-up (or per test). */
export interface Deps {
  db: Db;
  clock: Clock;
}
