// JSON.parse builds every level of a nested document before anyone can look
// at it: 24 MB of `[[[[…` kept the event loop busy for seconds. No request
// of the desk nests deeper than a handful of levels, so the raw bytes are
// checked as they arrive, in one pass that builds nothing, and a body that
// nests too deeply is refused at its first bytes.

/** The deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;

// In UTF-8 these ASCII bytes never occur inside a multi-byte character, so bytes can be scanned as they come.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Follows the nesting of a JSON text fed in pieces; brackets inside strings do not count. */
export class JsonNesting {
  private depth = 0;
  private inString = false;
  private escapeNext = false;

  constructor(private readonly max = MAX_JSON_DEPTH) {}

  /** Reads the next bytes; false once the text has nested deeper than allowed. */
  push(bytes: Buffer): boolean {
    let i = 0;
    while (i < bytes.length) {
      if (this.escapeNext) {
        this.escapeNext = false;
        i++;
      } else if (this.inString) {
        i = this.skipString(bytes, i);
      } else {
        const c = bytes[i++];
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
          if (++this.depth > this.max) return false;
        } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) this.depth--;
      }
    }
    return true;
  }

  /** From inside a string: the index after its closing quote, or the end of these bytes. */
  private skipString(bytes: Buffer, from: number): number {
    // indexOf is a native scan: a long base64 attachment costs next to nothing.
    let quote = bytes.indexOf(QUOTE, from);
    let slash = bytes.indexOf(BACKSLASH, from);
    while (slash !== -1 && (quote === -1 || slash < quote)) {
      const next = slash + 2; // the escaped character is skipped, whatever it is
      if (next > bytes.length) {
        this.escapeNext = true;
        return bytes.length;
      }
      if (quote !== -1 && quote < next) quote = bytes.indexOf(QUOTE, next);
      slash = bytes.indexOf(BACKSLASH, next);
    }
    if (quote === -1) return bytes.length;
    this.inString = false;
    return quote + 1;
  }
}

/** Whether a whole JSON text nests deeper than `max` levels. */
export const jsonNestsDeeper = (bytes: Buffer, max = MAX_JSON_DEPTH): boolean =>
  !new JsonNesting(max).push(bytes);
