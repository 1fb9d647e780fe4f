import { describe, expect, it } from 'vitest';
import { compareIp, compileCidr, parseIp } from '../../src/runtime/ip.js';

describe('IP addresses', () => {
  it('parse v4 and v6 forms', () => {
    for (const ok of ['1.2.3.4', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::1', 'fe80::1:2:3:4', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8']) {
      expect(parseIp(ok), ok).toBeDefined();
    }
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', '01.2.3.4x', '1:2:3:4:5:6:7:8:9', '1::2::3', '', 'abc', '12345::', '[::1]']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
  it('store IPv4 as IPv4-mapped IPv6', () => {
    expect(compareIp(parseIp('1.2.3.4')!, parseIp('::ffff:1.2.3.4')!)).toBe(0);
    expect(compareIp(parseIp('::1')!, parseIp('0:0:0:0:0:0:0:1')!)).toBe(0);
  });
  it('order addresses', () => {
    expect(compareIp(parseIp('10.0.0.2')!, parseIp('10.0.0.10')!)).toBeLessThan(0);
    expect(compareIp(parseIp('::2')!, parseIp('::1')!)).toBeGreaterThan(0);
  });
  it('match CIDR blocks', () => {
    const v4 = compileCidr('192.168.0.0/16')!;
    expect(v4('192.168.16.3')).toBe(true);
    expect(v4('192.169.0.1')).toBe(false);
    expect(v4('::ffff:192.168.1.1')).toBe(true);
    expect(v4('not an ip')).toBe(false);
    expect(compileCidr('10.0.0.0/8')!('10.255.255.255')).toBe(true);
    expect(compileCidr('0.0.0.0/0')!('8.8.8.8')).toBe(true);
    expect(compileCidr('10.1.2.3/32')!('10.1.2.4')).toBe(false);
    expect(compileCidr('10.1.2.3/31')!('10.1.2.2')).toBe(true);
    const v6 = compileCidr('2001:db8::/32')!;
    expect(v6('2001:db8:ffff::1')).toBe(true);
    expect(v6('2001:db9::1')).toBe(false);
    expect(compileCidr('1.2.3.4')!('1.2.3.4')).toBe(true);
  });
  it('reject malformed blocks', () => {
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'x/8']) expect(compileCidr(bad), bad).toBeUndefined();
  });
});
