import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/modules/mail/mail.smtp-guard.ts';

describe('clientKey: the unit SMTP connections are counted by', () => {
  it('is the address itself for IPv4', () => {
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
  });

  it('is the /64 prefix for IPv6, however the address is written', () => {
    const key = '2001:db8:1:2::/64';
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe(key);
    expect(clientKey('2001:0db8:0001:0002:ffff::9')).toBe(key);
    expect(clientKey('2001:db8:1:2::')).toBe(key);
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('64:ff9b::192.0.2.7')).toBe('64:ff9b:0:0::/64');
  });
});
