import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { JsonNesting, MAX_JSON_DEPTH } from '../lib/json-depth.ts';
import { cleanDeep } from '../lib/text-input.ts';

// Request bodies: how much each route reads, and the one JSON parser.

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * How many bytes of body a route reads (its `bodyLimit` in the route spec).
 * A larger body is answered 413 `payload_too_large` from its Content-Length,
 * before it is read, or as soon as the bytes read pass the limit.
 */
export const BODY_LIMITS = {
  /** The default: sign-in, sign-up, settings, ticket actions — a few fields. */
  small: 64 * KiB,
  /** Text people write at length or long lists (transfer notes, templates, rules, the banned list). */
  text: 1 * MiB,
  /** Where attachments travel, as base64 or data URLs inside the JSON, and raw mail. */
  files: 25 * MiB,
} as const;

/**
 * JSON bodies: their nesting is followed while the bytes arrive, so a body
 * nesting deeper than MAX_JSON_DEPTH is refused (400 `json_too_deep`) at its
 * first bytes, before it is read to the end or anything is built. Then
 * Fastify's own parser (which refuses `__proto__` poisoning) runs, and every
 * string is made storable (lib/text-input.ts) — once here for every JSON route.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return payload;
    const nesting = new JsonNesting();
    const guarded = new Transform({
      transform(chunk: Buffer, _enc, next) {
        if (nesting.push(chunk)) return next(null, chunk);
        next(
          new AppError(
            'json_too_deep',
            400,
            `The JSON body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`,
          ),
        );
      },
    });
    payload.on('error', (err) => guarded.destroy(err));
    // Fastify may refuse the body before reading it (its Content-Length is over the limit);
    // the refusal is then the answer, and this stream's own error has nobody else to tell.
    guarded.on('error', () => undefined);
    return payload.pipe(guarded);
  });
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    parse(req, body as string, (err, value) => (err ? done(err, undefined) : done(null, cleanDeep(value)))),
  );
}
