import { z } from 'zod';

// Shapes every area shares: how a record is named in a request, the ticket
// states, channels and text formats. Enums are exported as lists too, so the
// web can offer them without copying them.

/** An id, or a name / email address / number, whichever the caller knows. */
export const IdOrName = z.union([z.number().int().positive(), z.string().trim().min(1).max(255)]);

export const STATES = ['open', 'pending', 'resolved', 'closed'] as const;
export const State = z.enum(STATES);
export type State = z.output<typeof State>;

/** The channel a ticket or message came through. */
export const SOURCES = ['email', 'web', 'phone', 'api', 'other'] as const;
export const Source = z.enum(SOURCES);
export type Source = z.output<typeof Source>;

export const Format = z.enum(['text', 'html']);

/** A display name. */
export const PersonName = z.string().trim().min(1).max(128);

/** A satisfaction scale: 1–5, or good (5) / bad (1). */
export const Scale = z.enum(['five', 'binary']);
