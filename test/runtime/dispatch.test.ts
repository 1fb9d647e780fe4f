import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { createEngine, DispatchIndex, findAnchor, findAnchors } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const ir = (q: string, language: 'kuery' | 'eql' = 'kuery') => {
  const r = compileQuery(q, { language });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.ir.predicate;
};

/** An anchor as plain data: per atom, `field`, sorted values and whether case is folded. */
const atoms = (q: string, language: 'kuery' | 'eql' = 'kuery') =>
  findAnchor(ir(q, language))?.atoms.map((a) => ({ field: a.field, values: [...a.values].sort(), ci: a.caseInsensitive }));
/** An anchor with each atom's kind (and offset or integer flag where it has one). */
const kinds = (q: string, language: 'kuery' | 'eql' = 'kuery') =>
  findAnchor(ir(q, language))?.atoms.map((a) => `${a.kind}:${a.field}${a.caseInsensitive ? '~' : ''}${a.offset ? `+${a.offset}` : ''}${a.integer ? '(int)' : ''}=${[...a.values].sort().join('|')}`);

describe('findAnchor', () => {
  it('picks the most selective condition a rule needs', () => {
    expect(atoms('event.category: process and event.provider: "s3.amazonaws.com" and event.action: (A or B)')).toEqual([{ field: 'event.action', values: ['A', 'B'], ci: false }]);
    expect(atoms('event.category: process and process.name: (a.exe or b.exe or c.exe)')).toEqual([{ field: 'process.name', values: ['a.exe', 'b.exe', 'c.exe'], ci: false }]);
  });
  it('folds case for case-insensitive comparisons', () => {
    expect(atoms('any where event.action : ("InvokeModel", "Converse")', 'eql')).toEqual([{ field: 'event.action', values: ['converse', 'invokemodel'], ci: true }]);
  });
  it('turns an or into alternatives, on one field or several', () => {
    expect(atoms('(event.action: A and x: 1) or event.action: B')).toEqual([{ field: 'event.action', values: ['A', 'B'], ci: false }]);
    expect(atoms('process.name: a.exe or process.pe.original_file_name: A.EXE')).toEqual([
      { field: 'process.name', values: ['a.exe'], ci: false },
      { field: 'process.pe.original_file_name', values: ['A.EXE'], ci: false },
    ]);
    // A range needs its field to be present: that is the branch's condition.
    expect(kinds('event.action: A or x > 1')).toEqual(['value:event.action=A', 'present:x=']);
  });
  it('finds nothing in negations or free text', () => {
    expect(atoms('not event.action: A')).toBeUndefined();
    expect(atoms('"some text"')).toBeUndefined();
  });
  it('anchors wildcards on their longest literal end, and ranges on the field being present', () => {
    expect(kinds('event.action: Create*')).toEqual(['prefix:event.action=Create']);
    expect(kinds('process.executable: *\\\\svchost.exe')).toEqual(['suffix:process.executable=\\svchost.exe']);
    expect(kinds('any where process.executable : "?:\\\\Windows\\\\*.exe"', 'eql')).toEqual(['prefix:process.executable~+1=:\\windows\\']);
    // Both ends open: the inner literal, which only the check phase tests (the field's presence is the look-up).
    expect(kinds('process.name: *cmd*')).toEqual(['contains:process.name=cmd']);
    expect(findAnchors(ir('process.name: *cmd*')).map((a) => a.atoms[0].kind)).toEqual(['contains', 'present']);
    expect(findAnchors(ir('any where process.command_line : "*-EncodedCommand*?x"', 'eql')).map((a) => a.atoms.map((x) => `${x.kind}=${[...x.values].join()}`).join()).sort()).toEqual(['contains=-encodedcommand', 'suffix=x']);
    expect(kinds('event.code >= 4')).toEqual(['present:event.code=']);
  });
  it('anchors numeric equality by value, truncating for integer fields', () => {
    expect(kinds('destination.port: (22 or 3389)')).toEqual(['number:destination.port(int)=22|3389']);
  });
  it('anchors an EQL sequence on what every stage requires', () => {
    expect(atoms('sequence by user.name [any where event.provider == "p" and event.action == "A"] [any where event.provider == "p" and event.action == "B"]', 'eql')).toEqual([{ field: 'event.action', values: ['A', 'B'], ci: false }]);
  });
  it('gives an or several conditions: the k-th cheapest of each branch, joined', () => {
    const all = findAnchors(ir('sequence by host.id [process where event.type == "start" and process.name == "a"] [network where event.type == "connection"]', 'eql')).map((a) =>
      a.atoms.map((x) => `${x.field}=${[...x.values].sort().join('|')}`).sort().join(' OR '),
    );
    // Each is necessary: every event either stage accepts meets it.
    expect(all).toEqual(['event.type=connection OR process.name=a', 'event.category=network|process', 'event.category=network OR event.type=start']);
  });
  it('anchors an EQL category test when nothing better exists', () => {
    expect(atoms('process where process.pid > 4', 'eql')).toEqual([{ field: 'event.category', values: ['process'], ci: false }]);
  });
});

describe('DispatchIndex', () => {
  it('returns rules that could match, in load order, each once', () => {
    const index = new DispatchIndex([findAnchor(ir('event.action: (A or B)')), undefined, findAnchor(ir('event.action: B')), findAnchor(ir('any where event.action : "b"', 'eql'))]);
    expect(index.candidates({ event: { action: 'B' } })).toEqual([0, 1, 2, 3]);
    expect(index.candidates({ event: { action: ['A', 'B', 'A'] } })).toEqual([0, 1, 2, 3]);
    expect(index.candidates({ event: { action: 'C' } })).toEqual([1]);
    expect(index.candidates({ 'event.action': 'A' })).toEqual([0, 1]);
  });
});

// Random rules and events over a small vocabulary, so that rules often match.
const FIELDS = ['event.action', 'event.category', 'event.provider', 'process.name', 'user.name'];
const VALUES = ['A', 'a', 'B', 'C', 'Create', 'x y'];
const field = fc.constantFrom(...FIELDS);
const value = fc.constantFrom(...VALUES);
const kql: fc.Arbitrary<string> = fc.letrec((tie) => ({
  clause: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(field, value).map(([f, v]) => `${f}: "${v}"`),
    fc.tuple(field, fc.array(value, { minLength: 1, maxLength: 3 })).map(([f, vs]) => `${f}: (${vs.map((v) => `"${v}"`).join(' or ')})`),
    fc.tuple(field, value).map(([f, v]) => `${f}: ${v.replace(' ', '*')}*`),
    fc.tuple(field, value).map(([f, v]) => `${f}: *${v.replace(' ', '*')}*`),
    field.map((f) => `${f}: *`),
    tie('clause').map((c) => `not (${c})`),
    fc.tuple(tie('clause'), tie('clause')).map(([a, b]) => `(${a}) and (${b})`),
    fc.tuple(tie('clause'), tie('clause')).map(([a, b]) => `(${a}) or (${b})`),
  ),
})).clause as fc.Arbitrary<string>;
const eql = fc.tuple(field, fc.array(value, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.option(fc.tuple(field, value), { nil: undefined })).map(
  ([f, vs, ci, extra]) => `any where ${f} ${ci ? ':' : 'in'} (${vs.map((v) => `"${v}"`).join(', ')})${extra ? ` and ${extra[0]} != "${extra[1]}"` : ''}`,
);
// Each field nested (`{event: {action}}`), dotted (`{"event.action"}`) or under an array of objects, as real
// events mix them; the index reads all three shapes.
const shape = fc.constantFrom('nested', 'dotted', 'array');
const eventArb = fc.dictionary(field, fc.tuple(fc.oneof(value, fc.array(value, { maxLength: 3 })), shape), { maxKeys: 5 }).map((flat) => {
  const out: Record<string, unknown> = {};
  for (const [k, [v, how]] of Object.entries(flat)) {
    const [a, b] = k.split('.');
    if (how === 'dotted') out[k] = v;
    else if (how === 'array') out[a] = [{ [b]: v }];
    else if (!Array.isArray(out[a])) ((out[a] ??= {}) as Record<string, unknown>)[b] = v;
  }
  return out;
});

describe('the dispatch index changes nothing but speed', () => {
  it('gives the same alerts as evaluating every rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(kql.map((q) => ({ q, l: 'kuery' as const })), eql.map((q) => ({ q, l: 'eql' as const }))), { minLength: 1, maxLength: 12 }), fc.array(eventArb, { maxLength: 25 }), (rules, events) => {
        const artifacts = rules.map((r, i) => artifactFor(r.q, r.l, { rule_id: `r${i}` }));
        const indexed = createEngine(artifacts, { now: 0 });
        const unmemoized = createEngine(artifacts, { now: 0, dispatchMemo: false });
        const plain = createEngine(artifacts, { now: 0, useIndex: false });
        // Twice over: the second pass finds every value in the memo.
        for (const e of [...events, ...events]) {
          const a = indexed.process(e).map((x) => x['kibana.alert.rule.rule_id']);
          const b = plain.process(e).map((x) => x['kibana.alert.rule.rule_id']);
          expect(a).toEqual(b);
          expect(unmemoized.process(e).map((x) => x['kibana.alert.rule.rule_id'])).toEqual(b);
        }
        expect(indexed.stats().evaluations).toBeLessThanOrEqual(plain.stats().evaluations);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the dispatch index on literals that extend one another', () => {
  it('finds every prefix and suffix a value has, however the literals nest', () => {
    const index = new DispatchIndex([findAnchor(ir('user.name: C*')), findAnchor(ir('user.name: Create*')), findAnchor(ir('user.name: *te')), findAnchor(ir('user.name: *ate'))]);
    expect(index.candidates({ user: { name: 'Create' } })).toEqual([0, 1, 2, 3]);
    expect(index.candidates({ user: { name: 'Crate' } })).toEqual([0, 2, 3]);
    expect(index.candidates({ user: { name: 'x' } })).toEqual([]);
  });
});

describe('contains conditions', () => {
  it('keep a rule out when no value holds the literal, and never look it up by themselves', () => {
    const index = new DispatchIndex([findAnchors(ir('event.action: A and process.command_line: *enc*')), findAnchors(ir('any where process.args : "*ENC*"', 'eql')), findAnchors(ir('x.y: *q*'))]);
    expect(index.candidates({ event: { action: 'A' }, process: { command_line: 'ps -enc x', args: ['a', 'b'] } })).toEqual([0]);
    expect(index.candidates({ event: { action: 'A' }, process: { command_line: 'ps -x', args: ['a', '-Enc'] } })).toEqual([1]);
    expect(index.candidates({ event: { action: 'B' }, process: { command_line: 'enc' } })).toEqual([]);
    // A rule whose only conditions are substrings is evaluated for every event with the field.
    expect(index.candidates({ x: { y: 'aqa' } })).toEqual([2]);
    expect(index.candidates({ x: { y: 'a' } })).toEqual([]);
  });
});

describe('slots probed on demand', () => {
  it('decides a check on a field no primary condition reads, only for the rules found', () => {
    // event.outcome is only ever a check: its values are probed when a found rule needs them.
    const index = new DispatchIndex([findAnchors(ir('event.action: Login and event.outcome: failure')), findAnchors(ir('event.action: Logout and event.outcome: (success or unknown)'))]);
    expect(index.candidates({ event: { action: 'Login', outcome: 'failure' } })).toEqual([0]);
    expect(index.candidates({ event: { action: 'Login', outcome: 'success' } })).toEqual([]);
    expect(index.candidates({ event: { action: 'Logout', outcome: ['failure', 'unknown'] } })).toEqual([1]);
    expect(index.candidates({ event: { action: 'Logout' } })).toEqual([]);
    expect(index.candidates({ event: { outcome: 'failure' } })).toEqual([]);
    // The same values again (now from the memo), and in the other order.
    expect(index.candidates({ event: { outcome: ['unknown'], action: 'Logout' } })).toEqual([1]);
    expect(index.candidates({ event: { outcome: 'failure', action: 'Login' } })).toEqual([0]);
  });
});

describe('the dispatch memo', () => {
  it('stays right when values never repeat and the memo turns itself off, and when it starts afresh', () => {
    const index = new DispatchIndex([findAnchors(ir('process.name: powershell.exe')), findAnchors(ir('process.name: *.ps1')), findAnchors(ir('process.name: (a or b) and user.name: x'))]);
    for (let i = 0; i < 20_000; i++) {
      const name = i % 97 === 0 ? 'powershell.exe' : i % 89 === 0 ? `run${i}.ps1` : i % 83 === 0 ? 'a' : `p${i}`;
      const expected = name === 'powershell.exe' ? [0] : name.endsWith('.ps1') ? [1] : name === 'a' && i % 2 === 0 ? [2] : [];
      expect(index.candidates({ process: { name }, user: { name: i % 2 === 0 ? 'x' : 'y' } })).toEqual(expected);
    }
  });
  it('holds at most its budget of values over all fields, and still finds every rule', () => {
    const fields = Array.from({ length: 40 }, (_, k) => `f${k}.v`);
    const index = new DispatchIndex(fields.map((f) => findAnchors(ir(`${f}: hit`))));
    for (let i = 0; i < 6_000; i++) {
      const event: Record<string, string> = {};
      for (const f of fields) event[f] = i % 2 === 0 ? `u${i}` : i % 3 === 0 ? 'hit' : 'same';
      const expected = i % 2 === 1 && i % 3 === 0 ? fields.map((_, k) => k) : [];
      expect(index.candidates(event)).toEqual(expected);
    }
    expect((index as unknown as { memoEntries: number }).memoEntries).toBeLessThanOrEqual(65_536);
  });
  it('caches a value the second time it misses: unique values among recurring ones stay out, within a budget', () => {
    const fields = Array.from({ length: 30 }, (_, k) => `f${k}.v`);
    const index = new DispatchIndex(fields.map((f) => findAnchors(ir(`${f}: hit or ${f}: h*`))));
    const inside = index as unknown as { memoEntries: number; seenOnceEntries: number };
    for (let i = 0; i < 30_000; i++) {
      const event: Record<string, string[]> = {};
      // Two recurring values and one unique one per field: the memo stays on (it hits two times in three).
      for (const f of fields) event[f] = ['same', i % 5 === 0 ? 'hit' : 'other', `h${i}`];
      expect(index.candidates(event)).toEqual(fields.map((_, k) => k));
    }
    expect(inside.memoEntries).toBeLessThan(30 * 10);
    expect(inside.seenOnceEntries).toBeLessThanOrEqual(16_384 + fields.length);
    expect(inside.seenOnceEntries).toBeGreaterThan(0);
  });
  it('keys values by type: the number 22 and the text "22" are probed apart', () => {
    const index = new DispatchIndex([findAnchor(ir('destination.port: 22')), findAnchor(ir('x.y: "22"'))]);
    expect(index.candidates({ destination: { port: 22 } })).toEqual([0]);
    expect(index.candidates({ destination: { port: '22' } })).toEqual([0]);
    expect(index.candidates({ x: { y: 22 } })).toEqual([1]);
    expect(index.candidates({ x: { y: '22' } })).toEqual([1]);
    expect(index.candidates({ destination: { port: 22.5 } })).toEqual([0]);
  });
});

describe('the dispatch index on hostile events', () => {
  it('survives 10,000-deep arrays and objects without a stack overflow', () => {
    const index = new DispatchIndex([findAnchor(ir('event.action: A'))]);
    let deepArray: unknown = 'A';
    for (let i = 0; i < 10_000; i++) deepArray = [deepArray];
    let deepObject: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deepObject = { x: deepObject };
    expect(index.candidates({ event: { action: deepArray } })).toEqual([]);
    expect(index.candidates({ event: { action: 'A' }, deep: deepObject })).toEqual([0]);
  });
});
