// Text from outside (JSON bodies, query strings, path parameters, osTicket
// requests, mail) is made storable at the edge of every channel, so both
// databases keep exactly the same thing. PostgreSQL's text types refuse the
// NUL character (U+0000) outright, and a lone UTF-16 surrogate has no UTF-8
// form (each driver would replace it in its own way). NUL is removed: it
// carries nothing a reader could see, and an address or name stays the one
// the sender meant. A lone surrogate becomes U+FFFD, the replacement
// character, where the text was broken.

// eslint-disable-next-line no-control-regex -- NUL is exactly what these look for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- as above
const HAS_UNSTORABLE = /\u0000|[\uD800-\uDFFF]/;

/** The text with NUL removed and lone surrogates replaced by U+FFFD. */
export function cleanText(s: string): string {
  if (!HAS_UNSTORABLE.test(s)) return s;
  return s.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/**
 * Every string in a parsed value (object keys too), cleaned; other values
 * (numbers, Buffers, …) are kept as they are. Plain objects and arrays are
 * rebuilt only where something changed.
 */
export function cleanDeep<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const c = clean(v);
      if (c !== v) changed = true;
      return c;
    });
    return changed ? out : value;
  }
  if (value === null || typeof value !== 'object' || !isPlain(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const key = cleanText(k);
    const c = clean(v);
    if (key !== k || c !== v) changed = true;
    return [key, c] as const;
  });
  // fromEntries defines each key as an own property, "__proto__" included.
  return changed ? Object.fromEntries(entries) : value;
}

/** A record as parsers make them: plain, prototype-less, or (query strings) an empty-prototype class. */
const isPlain = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};
