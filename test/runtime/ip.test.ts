import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIp, compileCidr, compileCidrs, parseIp, parseIpInto } from '../../src/runtime/primitives/ip.js';

const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('hex'));
const mapped = (v4hex: string) => `00000000000000000000ffff${v4hex}`;

describe('parseIp', () => {
  it('reads IPv4 as IPv4-mapped IPv6', () => {
    expect(hex(parseIp('1.2.3.4'))).toBe(mapped('01020304'));
    expect(hex(parseIp('0.0.0.0'))).toBe(mapped('00000000'));
    expect(hex(parseIp('255.255.255.255'))).toBe(mapped('ffffffff'));
    expect(hex(parseIp('10.0.0.10'))).toBe(mapped('0a00000a'));
    expect(hex(parseIp('192.168.100.200'))).toBe(mapped('c0a864c8'));
  });

  it('reads IPv6 forms', () => {
    expect(hex(parseIp('::'))).toBe('0'.repeat(32));
    expect(hex(parseIp('::1'))).toBe(`${'0'.repeat(30)}01`);
    expect(hex(parseIp('1::'))).toBe(`0001${'0'.repeat(28)}`);
    expect(hex(parseIp('2001:db8::1'))).toBe('20010db8000000000000000000000001');
    expect(hex(parseIp('2001:DB8::A:b'))).toBe('20010db80000000000000000000a000b');
    expect(hex(parseIp('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(parseIp('1:2:3:4:5:6:7::'))).toBe('00010002000300040005000600070000');
    expect(hex(parseIp('::2:3:4:5:6:7:8'))).toBe('00000002000300040005000600070008');
    expect(hex(parseIp('fe80::1:2:3:4'))).toBe('fe800000000000000001000200030004');
    expect(hex(parseIp('0:0:0:0:0:0:0:1'))).toBe(`${'0'.repeat(30)}01`);
    expect(hex(parseIp('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe('f'.repeat(32));
    // Elasticsearch checks a hextet's value, not its width.
    expect(hex(parseIp('0:0:0:0:0:0:0:00001'))).toBe(`${'0'.repeat(30)}01`);
  });

  it('reads embedded dotted quads', () => {
    expect(hex(parseIp('::ffff:1.2.3.4'))).toBe(mapped('01020304'));
    expect(hex(parseIp('::FFFF:1.2.3.4'))).toBe(mapped('01020304'));
    expect(hex(parseIp('0:0:0:0:0:ffff:1.2.3.4'))).toBe(mapped('01020304'));
    expect(hex(parseIp('::1.2.3.4'))).toBe(`${'0'.repeat(24)}01020304`); // IPv4-compatible: a different address
    expect(hex(parseIp('64:ff9b::192.0.2.33'))).toBe('0064ff9b0000000000000000c0000221');
    expect(hex(parseIp('1:2:3:4:5:6:1.2.3.4'))).toBe('00010002000300040005000601020304');
    expect(hex(parseIp('1::5:6:1.2.3.4'))).toBe('00010000000000000005000601020304');
  });

  it('ignores a non-empty %scope suffix, as Elasticsearch >= 7.10 does', () => {
    expect(hex(parseIp('fe80::1%eth0'))).toBe(hex(parseIp('fe80::1')));
    expect(hex(parseIp('fe80::1%1'))).toBe(hex(parseIp('fe80::1')));
    expect(parseIp('fe80::1%')).toBeUndefined();
    expect(parseIp('%eth0')).toBeUndefined();
  });

  it('rejects what Elasticsearch rejects', () => {
    const bad = [
      '', ' ', 'abc', 'localhost', '1', '1.2', '1.2.3', '1.2.3.4.5', '1.2.3.256', '256.1.1.1', '1.2.3.-1', '1..2.3',
      '.1.2.3', '1.2.3.', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4x', '01.2.3.4', '1.02.3.4', '1.2.3.00', '0x1.2.3.4',
      '1.2.3.a', '１.2.3.4', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', ':::', ':1::', '::1:', '1:', ':1',
      '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', '12345::', '10000::', 'g::1', '[::1]', '1.2.3.4::', '1.2.3.4:5',
      '::1.2.3', '::1.2.3.4.5', '::01.2.3.4', ':1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3.256', '1:2',
      'fe80::1 ', '::%', '1.2.3.4/8',
    ];
    for (const s of bad) expect(parseIp(s), JSON.stringify(s)).toBeUndefined();
  });

  it('reuses a caller buffer without leaking earlier bytes', () => {
    const out = new Uint8Array(16);
    expect(parseIpInto('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', out)).toBe(true);
    expect(parseIpInto('1.2.3.4', out)).toBe(true);
    expect(hex(out)).toBe(mapped('01020304'));
    expect(parseIpInto('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', out)).toBe(true);
    expect(parseIpInto('1::2', out)).toBe(true);
    expect(hex(out)).toBe(`0001${'0'.repeat(24)}0002`);
  });

  it('round-trips every IPv4 address and every fully written IPv6 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (s) => {
        const bytes = parseIp(s);
        expect(hex(bytes)).toBe(mapped(s.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('')));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (words) => {
        const full = words.map((w) => w.toString(16)).join(':');
        const expected = words.map((w) => w.toString(16).padStart(4, '0')).join('');
        expect(hex(parseIp(full))).toBe(expected);
        // Compressing any run of zero hextets (or none) names the same address.
        for (let a = 0; a < 8; a++) {
          for (let b = a + 1; b <= 8; b++) {
            if (!words.slice(a, b).every((w) => w === 0)) continue;
            const text = `${words.slice(0, a).map((w) => w.toString(16)).join(':')}::${words.slice(b).map((w) => w.toString(16)).join(':')}`;
            expect(hex(parseIp(text)), text).toBe(expected);
          }
        }
      }),
    );
  });

  it('accepts what fast-check considers valid IPv6 (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (s) => {
        expect(parseIp(s), s).toBeDefined();
      }),
    );
  });
});

describe('compareIp', () => {
  const cmp = (a: string, b: string) => Math.sign(compareIp(parseIp(a)!, parseIp(b)!));
  it('orders addresses bytewise, IPv4 within its mapped range', () => {
    expect(cmp('10.0.0.2', '10.0.0.10')).toBe(-1);
    expect(cmp('9.255.255.255', '10.0.0.0')).toBe(-1);
    expect(cmp('::2', '::1')).toBe(1);
    expect(cmp('1.2.3.4', '::ffff:1.2.3.4')).toBe(0);
    expect(cmp('::1', '0:0:0:0:0:0:0:1')).toBe(0);
    expect(cmp('255.255.255.255', '::1:0:0:0')).toBe(-1);
    expect(cmp('255.255.255.255', '2001:db8::')).toBe(-1);
    expect(cmp('::fffe:ffff:ffff', '0.0.0.0')).toBe(-1);
  });
});

describe('compileCidrs', () => {
  it('answers as any of its blocks would, one by one, for v4, v6 and mapped addresses (property)', () => {
    // Block edges (x.255.255.255, x.0.0.0) come up often, so each bound is tried.
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255, 254, 1));
    const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const v6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((h) => h.map((x) => x.toString(16)).join(':'));
    // Addresses near a few bases, so blocks and addresses meet often.
    const near = fc.tuple(fc.constantFrom('10', '172', '192', '0', '255'), octet, octet, octet).map(([a, b, c, d]) => `${a}.${b % 40}.${c}.${d}`);
    const address = fc.oneof(v4, near, v6, near.map((a) => `::ffff:${a}`), fc.constantFrom('::1', '::', 'not an ip', ''));
    const spec = fc.oneof(
      fc.tuple(fc.oneof(v4, near), fc.integer({ min: 0, max: 33 })).map(([a, n]) => `${a}/${n}`),
      fc.tuple(v6, fc.integer({ min: 0, max: 129 })).map(([a, n]) => `${a}/${n}`),
      fc.oneof(v4, near, v6),
      fc.constantFrom('0.0.0.0/0', '::/0', '::ffff:10.0.0.1', 'bad/8', '10.0.0.0/', '10.0.0.0//8'),
    );
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), fc.array(address, { minLength: 1, maxLength: 20 }), (specs, addresses) => {
        const any = compileCidrs(specs);
        const each = specs.map((s) => compileCidr(s));
        for (const a of addresses) expect(any(a)).toBe(each.some((t) => t !== undefined && t(a)));
      }),
      { numRuns: 2000 },
    );
  });
  it('includes both ends of each range and nothing past them', () => {
    const privateRanges = compileCidrs(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '192.0.0.0/29', '8.8.8.8']);
    for (const [inside, outside] of [
      ['10.0.0.0', '9.255.255.255'],
      ['10.255.255.255', '11.0.0.0'],
      ['172.31.255.255', '172.32.0.0'],
      ['172.16.0.0', '172.15.255.255'],
      ['100.127.255.255', '100.128.0.0'],
      ['192.0.0.7', '192.0.0.8'],
      ['8.8.8.8', '8.8.8.9'],
    ]) {
      expect(privateRanges(inside)).toBe(true);
      expect(privateRanges(outside)).toBe(false);
    }
  });
});

describe('compileCidr', () => {
  it('matches IPv4 blocks, including the mapped form of their addresses', () => {
    const v4 = compileCidr('192.168.0.0/16')!;
    expect(v4('192.168.16.3')).toBe(true);
    expect(v4('192.168.255.255')).toBe(true);
    expect(v4('192.169.0.1')).toBe(false);
    expect(v4('192.167.255.255')).toBe(false);
    expect(v4('::ffff:192.168.1.1')).toBe(true);
    expect(v4('::ffff:c0a8:0101')).toBe(true);
    expect(v4('::192.168.1.1')).toBe(false);
    expect(v4('not an ip')).toBe(false);
    expect(v4('')).toBe(false);
    expect(compileCidr('10.0.0.0/8')!('10.255.255.255')).toBe(true);
    expect(compileCidr('10.0.0.0/8')!('11.0.0.0')).toBe(false);
    expect(compileCidr('0.0.0.0/0')!('8.8.8.8')).toBe(true);
    expect(compileCidr('0.0.0.0/0')!('::1')).toBe(false); // /0 of IPv4 is the mapped range, not everything
    expect(compileCidr('10.1.2.3/32')!('10.1.2.3')).toBe(true);
    expect(compileCidr('10.1.2.3/32')!('10.1.2.4')).toBe(false);
    expect(compileCidr('10.1.2.3/31')!('10.1.2.2')).toBe(true);
    expect(compileCidr('10.1.2.3/31')!('10.1.2.4')).toBe(false);
    expect(compileCidr('172.16.0.0/12')!('172.31.255.255')).toBe(true);
    expect(compileCidr('172.16.0.0/12')!('172.32.0.0')).toBe(false);
    // Host bits in the block's address are ignored.
    expect(compileCidr('10.1.2.3/8')!('10.200.0.1')).toBe(true);
  });

  it('matches IPv6 blocks', () => {
    const v6 = compileCidr('2001:db8::/32')!;
    expect(v6('2001:db8:ffff::1')).toBe(true);
    expect(v6('2001:DB8::')).toBe(true);
    expect(v6('2001:db9::1')).toBe(false);
    expect(v6('1.2.3.4')).toBe(false);
    expect(compileCidr('fe80::/10')!('febf::1')).toBe(true);
    expect(compileCidr('fe80::/10')!('fec0::1')).toBe(false);
    expect(compileCidr('fe80::/10')!('fe80::1%eth0')).toBe(true);
    expect(compileCidr('::/0')!('1.2.3.4')).toBe(true);
    expect(compileCidr('::/0')!('ffff::')).toBe(true);
    expect(compileCidr('::1/128')!('::1')).toBe(true);
    expect(compileCidr('::1/128')!('::2')).toBe(false);
    // A v6 prefix over the mapped range covers IPv4 addresses.
    expect(compileCidr('::ffff:0:0/96')).toBeUndefined(); // ...but Elasticsearch refuses mapped addresses in v6 CIDR form
    expect(compileCidr('::fffe:0:0/95')!('1.2.3.4')).toBe(true);
  });

  it('matches a bare address exactly', () => {
    expect(compileCidr('1.2.3.4')!('1.2.3.4')).toBe(true);
    expect(compileCidr('1.2.3.4')!('::ffff:1.2.3.4')).toBe(true);
    expect(compileCidr('1.2.3.4')!('1.2.3.5')).toBe(false);
    expect(compileCidr('::ffff:1.2.3.4')!('1.2.3.4')).toBe(true);
    expect(compileCidr('2001:db8::1')!('2001:0db8:0:0:0:0:0:1')).toBe(true);
    expect(compileCidr('2001:db8::1')!('2001:db8::2')).toBe(false);
  });

  it('reads the prefix as Java Integer.parseInt and the fields as String.split("/") do', () => {
    expect(compileCidr('10.0.0.0/+8')!('10.1.1.1')).toBe(true);
    expect(compileCidr('10.0.0.0/08')!('10.1.1.1')).toBe(true);
    expect(compileCidr('10.0.0.0/-0')!('1.1.1.1')).toBe(true);
    expect(compileCidr('10.0.0.0/8/')!('10.1.1.1')).toBe(true); // split drops trailing empty fields
  });

  it('rejects malformed blocks', () => {
    const bad = [
      '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'x/8', '/8', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0//8',
      '10.0.0.0/ 8', '10.0.0.0/8.0', '::ffff:10.0.0.0/104', '::ffff:a00:0/8', '', 'not an ip', '1.2.3.4 ', '10.0.0/8',
    ];
    for (const s of bad) expect(compileCidr(s), JSON.stringify(s)).toBeUndefined();
  });

  it('agrees with a bit-by-bit prefix comparison (property)', () => {
    const bit = (b: Uint8Array, i: number) => (b[i >> 3] >> (7 - (i & 7))) & 1;
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (base, ip, n) => {
        const a = parseIp(base)!;
        const b = parseIp(ip)!;
        let same = true;
        for (let i = 0; i < 96 + n; i++) if (bit(a, i) !== bit(b, i)) same = false;
        expect(compileCidr(`${base}/${n}`)!(ip)).toBe(same);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 }), (base, ip, n) => {
        const a = parseIp(base)!;
        const b = parseIp(ip)!;
        let same = true;
        for (let i = 0; i < n; i++) if (bit(a, i) !== bit(b, i)) same = false;
        const inBlock = compileCidr(`${base}/${n}`);
        // Mapped addresses in v6 notation are refused as CIDR bases.
        if (base.includes(':') && a.slice(0, 12).every((x, i) => (i < 10 ? x === 0 : x === 0xff))) expect(inBlock).toBeUndefined();
        else expect(inBlock!(ip)).toBe(same);
      }),
    );
  });
});
