/**
 * IP addresses as Elasticsearch's `ip` type stores them: 16 bytes, IPv4 as IPv4-mapped IPv6
 * (`::ffff:a.b.c.d`), so an IPv4 block also matches the mapped form of its addresses.
 */

function parseV4(s: string, out: Uint8Array, at: number): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p)) return false;
    const n = Number(p);
    if (n > 255) return false;
    out[at + i] = n;
  }
  return true;
}

function parseV6(s: string): Uint8Array | undefined {
  if (s.includes('%')) return undefined; // zone ids are not addresses Elasticsearch stores
  const out = new Uint8Array(16);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string): string[] => (text === '' ? [] : text.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const words: number[] = [];
  const readGroups = (list: string[], allowV4Last: boolean): number[] | undefined => {
    const ws: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const g = list[i];
      if (allowV4Last && i === list.length - 1 && g.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!parseV4(g, v4, 0)) return undefined;
        ws.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        ws.push(parseInt(g, 16));
      }
    }
    return ws;
  };
  const h = readGroups(head, halves.length === 1);
  const t = readGroups(tail, true);
  if (!h || !t) return undefined;
  if (halves.length === 1) {
    if (h.length !== 8) return undefined;
    words.push(...h);
  } else {
    const missing = 8 - h.length - t.length;
    if (missing < 1) return undefined;
    words.push(...h, ...new Array<number>(missing).fill(0), ...t);
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  return out;
}

/** Parses an IPv4 or IPv6 address into 16 bytes (IPv4 mapped into IPv6), or undefined. */
export function parseIp(s: string): Uint8Array | undefined {
  if (s.includes(':')) return parseV6(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  return parseV4(s, out, 12) ? out : undefined;
}

/** Orders two parsed addresses bytewise. */
export function compareIp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Compiles `a.b.c.d/n`, `v6/n` or a bare address (exact match) into a test on address strings. */
export function compileCidr(spec: string): ((ip: string) => boolean) | undefined {
  const slash = spec.indexOf('/');
  const addressText = slash < 0 ? spec : spec.slice(0, slash);
  const base = parseIp(addressText);
  if (!base) return undefined;
  let bits = 128;
  if (slash >= 0) {
    const prefix = spec.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) return undefined;
    const n = Number(prefix);
    const isV4 = !addressText.includes(':');
    if (n > (isV4 ? 32 : 128)) return undefined;
    bits = isV4 ? n + 96 : n;
  }
  const fullBytes = bits >> 3;
  const rest = bits & 7;
  const mask = rest === 0 ? 0 : (0xff << (8 - rest)) & 0xff;
  return (ip) => {
    const a = parseIp(ip);
    if (!a) return false;
    for (let i = 0; i < fullBytes; i++) if (a[i] !== base[i]) return false;
    return rest === 0 || (a[fullBytes] & mask) === (base[fullBytes] & mask);
  };
}
