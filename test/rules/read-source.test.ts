import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, readTextSource } from '../../src/rules/read-source.js';

const dir = mkdtempSync(join(tmpdir(), 'ruleforge-read-'));
const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('readTextSource', () => {
  it('drops a leading byte-order mark', () => {
    const r = readTextSource(file('bom.yaml', '\ufeffname: x\n'));
    expect(r).toEqual({ ok: true, text: 'name: x\n' });
  });
  it('locates the first byte that is not UTF-8', () => {
    const r = decodeUtf8(Buffer.concat([Buffer.from('name: x\nq: caf'), Buffer.from([0xe9]), Buffer.from('\n')]), 'f.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic).toMatchObject({ code: 'file/encoding', line: 2, column: 7 });
  });
  it('rejects overlong encodings and NUL characters', () => {
    expect(decodeUtf8(Uint8Array.from([0x61, 0xc0, 0xaf]), 'f').ok).toBe(false);
    const nul = decodeUtf8(Buffer.from('a: 1\nb\u0000\n'), 'f');
    expect(nul.ok ? null : nul.diagnostic).toMatchObject({ code: 'file/encoding', line: 2, column: 2 });
  });
  it('refuses files over the size limit without reading them', () => {
    const r = readTextSource(file('big.yaml', 'x'.repeat(2048)), 1024);
    expect(r.ok ? null : r.diagnostic.code).toBe('file/too-large');
  });
  it('reports unreadable paths', () => {
    const r = readTextSource(join(dir, 'missing.yaml'));
    expect(r.ok ? null : r.diagnostic).toMatchObject({ code: 'file/unreadable' });
    expect(r.ok ? '' : r.diagnostic.message).toMatch(/ENOENT/);
  });
});
