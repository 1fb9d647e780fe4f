/**
 * IP addresses as Elasticsearch's `ip` type reads and stores them (`InetAddresses.forString`, then Lucene's
 * `InetAddressPoint`): 16 bytes, IPv4 as IPv4-mapped IPv6 (`::ffff:a.b.c.d`), so an IPv4 block also matches the
 * mapped form of its addresses, and a mapped address equals its IPv4 form.
 *
 * Accepted text follows Elasticsearch exactly: ASCII only; IPv4 is four decimal octets without leading zeros;
 * IPv6 hextets are hex of any width up to 0xffff, one `::` standing for at least one zero hextet, an optional
 * trailing dotted quad; a `%scope` suffix is ignored (Elasticsearch ≥ 7.10 drops it rather than rejecting the
 * address) but may not be empty. No brackets, no whitespace.
 *
 * The parser writes into a caller's buffer with no allocation, so a CIDR test costs one scan of the text.
 */

/** Shared by every compiled matcher: matching never re-enters itself, so one buffer saves an allocation per call. */
const scratch = new Uint8Array(16);

/** Parses dotted-quad text in [from, to) into out[at..at+3]; Elasticsearch's rules (no leading zeros). */
function parseV4Into(s: string, from: number, to: number, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let current = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */) {
      if (octet >= 3 || digits === 0) return false;
      out[at + octet++] = current;
      current = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits !== 0 && current === 0) return false; // a leading zero: octal or decimal is ambiguous
      current = current * 10 + (c - 0x30);
      if (current > 255) return false;
      digits++;
    } else return false;
  }
  if (octet !== 3 || digits === 0) return false;
  out[at + 3] = current;
  return true;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Parses IPv6 text in [0, end); when `quadFrom` >= 0 the text from there to `end` is a dotted quad that stands
 * for the last two hextets (the part before it ends with the colon that precedes the quad).
 */
function parseV6Into(s: string, end: number, quadFrom: number, out: Uint8Array): boolean {
  const hexEnd = quadFrom >= 0 ? quadFrom : end;
  if (quadFrom < 0) {
    if (end < 2) return false;
    if (s.charCodeAt(end - 1) === 0x3a && s.charCodeAt(end - 2) !== 0x3a) return false; // a lone trailing colon
  }
  if (s.charCodeAt(0) === 0x3a && (hexEnd < 2 || s.charCodeAt(1) !== 0x3a)) return false; // a lone leading colon
  let compressedAt = -1;
  let hextets = 0;
  let start = 0;
  let current = 0;
  for (let i = 0; i < hexEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) {
      if (start === i) {
        if (compressedAt >= 0 && i !== 1) return false; // a second `::`
        compressedAt = hextets;
      } else {
        if (hextets >= 8) return false;
        out[2 * hextets] = current >> 8;
        out[2 * hextets + 1] = current & 0xff;
        hextets++;
        current = 0;
      }
      start = i + 1;
    } else {
      const h = hexValue(c);
      if (h < 0) return false;
      current = current * 16 + h;
      if (current > 0xffff) return false;
    }
  }
  if (quadFrom >= 0) {
    if (hextets > 6) return false;
    if (!parseV4Into(s, quadFrom, end, out, 2 * hextets)) return false;
    hextets += 2;
  } else if (start < hexEnd) {
    if (hextets >= 8) return false;
    out[2 * hextets] = current >> 8;
    out[2 * hextets + 1] = current & 0xff;
    hextets++;
  }
  if (compressedAt >= 0) {
    if (hextets >= 8) return false; // `::` must stand for at least one hextet
    const shift = 2 * (8 - hextets);
    for (let b = 2 * hextets - 1; b >= 2 * compressedAt; b--) out[b + shift] = out[b];
    out.fill(0, 2 * compressedAt, 2 * compressedAt + shift);
  } else if (hextets !== 8) return false;
  return true;
}

/** Parses `s` into the 16 bytes of `out` without allocating; false (out unspecified) when `s` is no address. */
export function parseIpInto(s: string, out: Uint8Array): boolean {
  let end = s.length;
  let lastColon = -1;
  let hasDot = false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return false;
    if (c === 0x2e) hasDot = true;
    else if (c === 0x3a) {
      if (hasDot) return false; // colons never follow dots
      lastColon = i;
    } else if (c === 0x25 /* % */) {
      if (i === end - 1) return false; // an empty scope id
      end = i;
    }
  }
  if (lastColon >= 0) {
    out.fill(0);
    return parseV6Into(s, end, hasDot ? lastColon + 1 : -1, out);
  }
  if (!hasDot) return false;
  out.fill(0, 0, 10);
  out[10] = 0xff;
  out[11] = 0xff;
  return parseV4Into(s, 0, end, out, 12);
}

/** Parses an IPv4 or IPv6 address into 16 bytes (IPv4 mapped into IPv6, as Elasticsearch stores it), or undefined. */
export function parseIp(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  return parseIpInto(s, out) ? out : undefined;
}

/** Orders two parsed addresses as Elasticsearch sorts `ip` values (unsigned bytes, IPv4 among its mapped range). */
export function compareIp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function isMapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Java's `Integer.parseInt`: optional sign, decimal digits; undefined when it is not an int. */
function parseJavaInt(s: string): number | undefined {
  let i = s.charCodeAt(0) === 0x2b || s.charCodeAt(0) === 0x2d ? 1 : 0;
  if (i === s.length) return undefined;
  let n = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    n = n * 10 + (c - 0x30);
    if (n > 2_147_483_648) return undefined;
  }
  return s.charCodeAt(0) === 0x2d ? -n : n;
}

/** Compiles `a.b.c.d/n`, `v6/n` or a bare address (an exact match) into a test on address text; undefined if invalid. */
export function compileCidr(spec: string): ((ip: string) => boolean) | undefined {
  const block = parseCidrBlock(spec);
  if (!block) return undefined;
  return (ip) => parseIpInto(ip, scratch) && inBlock(scratch, block);
}

/** A CIDR block (or a single address) as its leading bytes and the mask of the byte after them. */
interface CidrBlock {
  base: Uint8Array;
  /** The prefix length over all 128 bits (an IPv4 block's is 96 more). */
  bits: number;
  fullBytes: number;
  mask: number;
  lastBase: number;
}

function parseCidrBlock(spec: string): CidrBlock | undefined {
  const base = new Uint8Array(16);
  let bits = 128;
  if (spec.includes('/')) {
    // Elasticsearch reads `ip/prefix` with Java's split("/"), which drops trailing empty fields.
    let trimmed = spec.length;
    while (trimmed > 0 && spec.charCodeAt(trimmed - 1) === 0x2f) trimmed--;
    const fields = spec.slice(0, trimmed).split('/');
    if (fields.length !== 2) return undefined;
    const [addressText, prefixText] = fields;
    if (!parseIpInto(addressText, base)) return undefined;
    const isV4 = isMapped(base);
    // A mapped address written in IPv6 form is refused: its prefix could be meant as v4 or as v6.
    if (isV4 && addressText.includes(':')) return undefined;
    const prefix = parseJavaInt(prefixText);
    if (prefix === undefined || prefix < 0 || prefix > (isV4 ? 32 : 128)) return undefined;
    bits = isV4 ? prefix + 96 : prefix;
  } else if (!parseIpInto(spec, base)) return undefined;
  const fullBytes = bits >> 3;
  const mask = (0xff00 >> (bits & 7)) & 0xff;
  return { base, bits, fullBytes, mask, lastBase: fullBytes < 16 ? base[fullBytes] & mask : 0 };
}

function inBlock(ip: Uint8Array, b: CidrBlock): boolean {
  for (let i = 0; i < b.fullBytes; i++) if (ip[i] !== b.base[i]) return false;
  return b.mask === 0 || (ip[b.fullBytes] & b.mask) === b.lastBase;
}

/**
 * Whether an address lies in any of several CIDR blocks, parsing the address once (a rule's list of private
 * ranges is one test, not one parse per range). Specs that are no valid block never match, as `compileCidr`.
 */
export function compileCidrs(specs: readonly string[]): (ip: string) => boolean {
  const blocks = specs.map(parseCidrBlock).filter((b): b is CidrBlock => b !== undefined);
  // IPv4 blocks (the usual lists of private ranges) become sorted, merged ranges of 32-bit numbers, searched
  // by halves; IPv6 blocks (which may also hold mapped IPv4 addresses) are tested one by one.
  const v4 = blocks.filter((b) => b.fullBytes >= 12 && isMapped(b.base)).map(v4Range).sort((x, y) => x[0] - y[0]);
  const others = blocks.filter((b) => !(b.fullBytes >= 12 && isMapped(b.base)));
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [lo, hi] of v4) {
    if (ends.length > 0 && lo <= ends[ends.length - 1] + 1) ends[ends.length - 1] = Math.max(ends[ends.length - 1], hi);
    else {
      starts.push(lo);
      ends.push(hi);
    }
  }
  return (ip) => {
    if (blocks.length === 0 || !parseIpInto(ip, scratch)) return false;
    if (starts.length > 0 && isMapped(scratch)) {
      const x = ((scratch[12] << 24) >>> 0) + (scratch[13] << 16) + (scratch[14] << 8) + scratch[15];
      // The last range starting at or before x.
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= x) lo = mid;
        else hi = mid - 1;
      }
      if (starts[lo] <= x && x <= ends[lo]) return true;
    }
    for (let i = 0; i < others.length; i++) if (inBlock(scratch, others[i])) return true;
    return false;
  };
}

/** A mapped IPv4 block's first and last address as unsigned 32-bit numbers. */
function v4Range(b: CidrBlock): [number, number] {
  const prefix = b.bits - 96;
  const base = ((b.base[12] << 24) >>> 0) + (b.base[13] << 16) + (b.base[14] << 8) + b.base[15];
  const size = 2 ** (32 - prefix);
  const lo = Math.floor(base / size) * size;
  return [lo, lo + size - 1];
}
