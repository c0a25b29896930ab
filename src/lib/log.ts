import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/** The one logger (pino), made at start-up and passed in Deps; parts take children of it. */
export type Log = Logger;
export type LogLevel = LevelWithSilent;

/**
 * The process's logger: JSON lines on stderr, so stdout stays the command's
 * own output (the welcome text, a new API key, listings) that people and
 * scripts read. Written synchronously: the last lines before an exit are kept.
 */
export function createLog(level: LogLevel, destination?: DestinationStream): Log {
  return pino({ level }, destination ?? pino.destination({ fd: 2, sync: true }));
}

/** A logger that writes nothing (benchmarks, tests of the runner). */
export const silentLog = (): Log => pino({ level: 'silent' });
