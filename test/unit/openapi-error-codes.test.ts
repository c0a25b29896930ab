import { describe, expect, it } from 'vitest';
import { errorCodeTable } from '../../src/http/openapi.examples.ts';

// The reference lists the error-code catalog (the document's `ErrorCode`
// schema) as a table in its introduction, whichever of the two JSON Schema
// shapes the catalog takes.

const doc = (ErrorCode?: Record<string, unknown>, description = 'The whole help desk over HTTP.') => ({
  info: { description },
  components: { schemas: ErrorCode ? { ErrorCode } : {} },
});

describe('the error-code table', () => {
  it('an enum of codes: one column', () => {
    expect(errorCodeTable(doc({ type: 'string', enum: ['ticket_not_found', 'rate_limited'] }))).toBe(
      [
        '## Error codes',
        '',
        'Every error answers `{"error": {"code", "message", "details"}}`; the codes are stable:',
        '',
        '| code |',
        '| --- |',
        '| `ticket_not_found` |',
        '| `rate_limited` |',
      ].join('\n'),
    );
  });

  it('codes as constants with their status and meaning', () => {
    const catalog = {
      oneOf: [
        { const: 'ticket_not_found', 'x-status': 404, description: 'No such ticket, or not yours to see' },
        { const: 'rate_limited', 'x-status': 429, description: 'Too many | try later' },
      ],
    };
    expect(errorCodeTable(doc(catalog)).split('\n').slice(4)).toEqual([
      '| code | status | meaning |',
      '| --- | --- | --- |',
      '| `ticket_not_found` | 404 | No such ticket, or not yours to see |',
      '| `rate_limited` | 429 | Too many \\| try later |',
    ]);
  });

  it('nothing without a catalog, or when the introduction lists the codes already', () => {
    expect(errorCodeTable(doc())).toBe('');
    expect(errorCodeTable(doc({ enum: ['ticket_not_found'] }, 'Codes: `ticket_not_found`.'))).toBe('');
  });
});
