import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/modules/directory/customers.repository.ts';
import { Action } from '../../src/modules/routing/routing.rules.ts';
import { Email } from '../../src/contract/email.contract.ts';
import { CreateTicket } from '../../src/contract/tickets.contract.ts';

// Email addresses as RFC 6531 allows them (issue 17, item 14): internationalized
// ones are valid everywhere an address is taken; garbage is still refused.

const VALID = [
  'karen@example.com',
  'first.last+tag@sub.example.co.uk',
  "o'brien_x-y@example.org",
  'jdöe@mächine.example',
  'Pelé@example.com',
  '用户@例子.广告',
  'θσερ@εχαμπλε.ψομ',
  'иван@пример.рф',
  'jdöe@xn--mchine-bua.example',
  'a@xn--p1ai.xn--p1ai',
  `${'ü'.repeat(32)}@example.com`, // 64 octets
];

const INVALID = [
  '',
  'not an email',
  'a@b',
  'a@b.c',
  'a@@b.com',
  'a@localhost',
  'a@1.2.3.4',
  'a@[1.2.3.4]',
  'a@example.123',
  '"quoted"@example.com',
  '.a@example.com',
  'a.@example.com',
  'a..b@example.com',
  'a b@example.com',
  'a@exa mple.com',
  'a@-example.com',
  'a@example-.com',
  'a@example..com',
  'a@exa%41mple.com',
  'a@xn--zz.example', // not valid Punycode
  'jd\u200böe@mächine.example', // an invisible character
  'a@exam\u202eple.com', // a bidi override
  'a<b>@example.com',
  `${'ü'.repeat(33)}@example.com`, // 66 octets
  `a@${'b'.repeat(64)}.com`,
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`, // 259 characters
];

describe('Email', () => {
  it.each(VALID)('accepts %s', (address) => {
    expect(Email.safeParse(address).success).toBe(true);
    expect(Email.safeParse(`  ${address} `).data).toBe(address);
  });

  it.each(INVALID)('refuses %j', (address) => {
    expect(Email.safeParse(address).success).toBe(false);
  });

  it('is documented as an idn-email in the JSON Schema, both ways', () => {
    for (const io of ['input', 'output'] as const) {
      expect(z.toJSONSchema(Email, { io })).toMatchObject({
        type: 'string',
        format: 'idn-email',
        maxLength: 254,
      });
    }
  });

  it('is the address of requesters, collaborators and routing rules alike', () => {
    const ticket = CreateTicket.safeParse({
      subject: 'S',
      body: 'B',
      requester: { email: 'jdöe@mächine.example' },
      collaborators: [{ email: 'иван@пример.рф' }],
    });
    expect(ticket.success).toBe(true);
    const rule = Action.safeParse({ type: 'add_collaborators', emails: ['JDöe@Mächine.example'] });
    expect(rule.data).toEqual({ type: 'add_collaborators', emails: ['jdöe@mächine.example'] });
  });
});

describe('normalizeEmail', () => {
  it('lower-cases every script and keeps the domain readable, normalized with IDNA', () => {
    for (const spelling of [
      'jdöe@mächine.example',
      ' JDÖE@MÄCHINE.EXAMPLE ',
      'jdöe@xn--mchine-bua.example',
      'JDöe@XN--MCHINE-BUA.EXAMPLE',
      'jdo\u0308e@ma\u0308chine.example', // decomposed umlauts, as some systems send them
    ]) {
      expect(normalizeEmail(spelling)).toBe('jdöe@mächine.example');
    }
    expect(normalizeEmail('Karen@Example.COM')).toBe('karen@example.com');
  });

  it('leaves what is no address merely trimmed and lower-cased', () => {
    expect(normalizeEmail(' Nobody ')).toBe('nobody');
    expect(normalizeEmail('A@B..C')).toBe('a@b..c');
  });
});
