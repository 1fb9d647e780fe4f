/**
 * The runtime generates JavaScript from rules (codegen.ts). Every string a rule carries (field names, values,
 * wildcard patterns, EQL categories, join keys, rule names, ids, descriptions, constant field names) is a
 * chance to break out of a string literal. These tests plant payloads in each of them, through the compiler
 * (YAML) and as hand-made IR, and check that the generated functions still compile, nothing runs, and the
 * rules match exactly the events holding those strings as data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IrPredicate } from '../../src/ir/types.js';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { checkRuleText } from '../../src/rules/validate.js';
import { generateMatcher } from '../../src/runtime/match/codegen.js';
import { createEngine, linkPredicate, type RuleArtifact } from '../../src/runtime/index.js';

const PAYLOADS = [
  '"]); globalThis.pwned=1; //',
  "'); globalThis.pwned=1; //",
  '`${globalThis.pwned=1}`',
  '${globalThis.pwned=1}',
  'a\u2028globalThis.pwned=1\u2029b',
  '</script><script>globalThis.pwned=1</script>',
  '*/ globalThis.pwned=1; /*',
  '\\',
  '\\"); globalThis.pwned=1; //',
  '\n;globalThis.pwned=1;\n',
  '\ud800"); globalThis.pwned=1; //',
  '__proto__',
  'constructor',
  // Well-formed once spliced between double (or single) quotes: these would run, not just break the source.
  '" + (globalThis.pwned = 1) + "',
  "' + (globalThis.pwned = 1) + '",
] as const;

const pwned = (): unknown => (globalThis as Record<string, unknown>).pwned;

/** Links `p` through the generator (asserting it produced a function) and through plain closures. */
function both(p: IrPredicate): [(e: unknown) => boolean, (e: unknown) => boolean] {
  const generated = generateMatcher(p, (leaf) => linkPredicate(leaf, { codegen: false }));
  // Undefined would mean `new Function` threw, i.e. the source was broken by a rule string.
  expect(generated, JSON.stringify(p)).toBeTypeOf('function');
  return [generated!, linkPredicate(p, { codegen: false })];
}

/** Every predicate shape that codegen (or linking) turns a rule string into, with `s` in each string slot. */
function predicates(s: string): { p: IrPredicate; hit: Record<string, unknown>; miss: Record<string, unknown> }[] {
  // Field names are split on dots; one without dots keeps the payload whole as a key.
  const field = s.includes('.') ? `x.${s}` : s;
  const at = (v: unknown): Record<string, unknown> => ({ [field]: v });
  const wild = s.replaceAll('\\', '\\\\').replaceAll('*', '\\*').replaceAll('?', '\\?');
  return [
    { p: { kind: 'term', field, type: 'keyword', value: s }, hit: at(s), miss: at(`${s}x`) },
    { p: { kind: 'term', field: 'plain.field', type: 'keyword', value: s }, hit: { plain: { field: s } }, miss: { plain: { field: 'other' } } },
    { p: { kind: 'term', field: 'plain.field', type: 'keyword', value: s, caseInsensitive: true }, hit: { plain: { field: s.toUpperCase() } }, miss: { plain: { field: 'other' } } },
    { p: { kind: 'terms', field, type: 'keyword', values: [s, 'b'] }, hit: at([s]), miss: at(['c']) },
    { p: { kind: 'terms', field: 'a.b', type: 'keyword', values: [s, '1', '2', '3', '4', '5'] }, hit: { a: { b: s } }, miss: { a: { b: '6' } } },
    { p: { kind: 'terms', field: 'a.b', type: 'keyword', values: [s, '1', '2', '3', '4', '5'], caseInsensitive: true }, hit: { a: { b: s } }, miss: { a: { b: '6' } } },
    { p: { kind: 'wildcard', field, pattern: `*${wild}` }, hit: at(`pre${s}`), miss: at(`${s}post`) },
    {
      p: { kind: 'or', args: [{ kind: 'wildcard', field: 'w', pattern: `${wild}*`, caseInsensitive: true }, { kind: 'wildcard', field: 'w', pattern: `*${wild}`, caseInsensitive: true }] },
      hit: { w: `${s}tail` },
      miss: { w: 'nothing' },
    },
    { p: { kind: 'exists', field }, hit: at(1), miss: { other: 1 } },
    { p: { kind: 'not', arg: { kind: 'exists', field } }, hit: { other: 1 }, miss: at(1) },
    { p: { kind: 'range', field: 'r', type: 'keyword', gte: s, lte: s }, hit: { r: s }, miss: { r: `${s}x` } },
    { p: { kind: 'freeText', query: s, mode: 'exact', textFields: [] }, hit: { deep: { inside: s } }, miss: { deep: { inside: 'x' } } },
    { p: { kind: 'freeText', query: s, mode: 'exact', textFields: [], fieldPattern: `*${wild}` }, hit: at(s), miss: { other: s } },
    { p: { kind: 'nested', path: field, query: { kind: 'term', field: 'k', type: 'keyword', value: s } }, hit: at([{ k: s }]), miss: at([{ k: 'x' }]) },
    {
      p: { kind: 'expr', expect: true, expr: { v: 'compare', op: '==', left: { v: 'field', field }, right: { v: 'literal', value: s } } },
      hit: at(s),
      miss: at('x'),
    },
    {
      p: { kind: 'expr', expect: true, expr: { v: 'call', fn: 'stringContains', args: [{ v: 'field', field }, { v: 'literal', value: s }] } },
      hit: at(`<${s}>`),
      miss: at('x'),
    },
    {
      p: { kind: 'expr', expect: true, expr: { v: 'pattern', mode: 'wildcard', subject: { v: 'field', field }, patterns: [`*${wild}*`] } },
      hit: at(`<${s}>`),
      miss: at('x'),
    },
  ];
}

describe('rule strings in generated matchers', () => {
  afterEach(() => {
    expect(pwned()).toBeUndefined();
  });

  for (const [i, s] of PAYLOADS.entries()) {
    it(`payload ${i} (${JSON.stringify(s)}) stays data in every position`, () => {
      for (const { p, hit, miss } of predicates(s)) {
        const [generated, closure] = both(p);
        const label = `${JSON.stringify(p)} on ${JSON.stringify(hit)}`;
        expect(generated(hit), label).toBe(true);
        expect(closure(hit), label).toBe(true);
        expect(generated(miss), label).toBe(false);
        expect(closure(miss), label).toBe(false);
        // The generator's nested spelling of a dotted field, too.
        expect(generated({}), label).toBe(p.kind === 'not');
      }
      expect(pwned()).toBeUndefined();
    });
  }

  it('an IR naming a function after an Object member calls nothing', () => {
    for (const fn of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']) {
      const p: IrPredicate = { kind: 'expr', expect: true, expr: { v: 'call', fn, args: [{ v: 'literal', value: 'globalThis.pwned=1' }] } };
      const [generated, closure] = both(p);
      expect(generated({}), fn).toBe(false);
      expect(closure({}), fn).toBe(false);
    }
  });
});

const q = (s: string) => JSON.stringify(s);
/** A KQL field name with every special character escaped (spaces are avoided in the payloads used). */
const kqlField = (s: string) => s.replace(/[\\():<>"*{}]/g, (c) => `\\${c}`);

function compileYaml(text: string): RuleArtifact {
  const checked = checkRuleText(text, 'injection.yaml');
  const outcome = compileCheckedRule(checked);
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return outcome.file.artifact;
}

function yamlRule(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\nrisk_score: 47\nseverity: medium\nauthor: [${q('"]); globalThis.pwned=1; //')}]\nlicense: ${q('`${globalThis.pwned=1}`')}\ntags: [${q('</script>')}, ${q('*/ globalThis.pwned=1; /*')}]\n`;
}

describe('rules compiled from YAML with payloads in every string', () => {
  afterEach(() => {
    expect(pwned()).toBeUndefined();
  });

  // A field name KQL can spell unquoted (no spaces); its dots make it a path.
  const FIELD = '"]);globalThis.pwned=1;//';
  const VALUE = '"]); globalThis.pwned=1; // `${globalThis.pwned=1}` </script> */ \\ \u2028';
  const CATEGORY = "'); globalThis.pwned=1; //";
  const KEY = '`${globalThis.pwned=1}`';
  // EQL wildcards cannot escape `*`, so the pattern takes the payload up to its first star.

  const kql = compileYaml(
    yamlRule({
      name: q(`KQL ${VALUE}`),
      rule_id: q('"]); globalThis.pwned=1; //'),
      type: 'query',
      language: 'kuery',
      description: q(`*/ globalThis.pwned=1; /* ${VALUE}`),
      query: q(`${kqlField(FIELD)}: ${q(VALUE)} and w: *${kqlField('");globalThis.pwned=1;//')}*`),
    }),
  );
  const eql = compileYaml(
    yamlRule({
      name: q(`EQL ${VALUE}`),
      rule_id: q('`${globalThis.pwned=1}`'),
      type: 'eql',
      language: 'eql',
      description: q(VALUE),
      query: q(`sequence by k [${q(CATEGORY)} where v == ${q(VALUE)}] [any where v : ${q(`*${VALUE.slice(0, VALUE.indexOf('*'))}*`)}]`),
    }),
  );

  it('compiles into generated matchers that treat every string as data', () => {
    for (const artifact of [kql, eql]) {
      expect(generateMatcher(artifact.ir.predicate, (leaf) => linkPredicate(leaf, { codegen: false })), artifact.rule.name).toBeTypeOf('function');
      for (const stage of artifact.ir.sequence?.stages ?? []) expect(generateMatcher(stage.predicate, (leaf) => linkPredicate(leaf, { codegen: false }))).toBeTypeOf('function');
    }
  });

  it('raises alerts for exactly the events holding the strings, with the rule strings intact', () => {
    const constants = { [`${FIELD}.const`]: VALUE, '__proto__.x': VALUE };
    const engine = createEngine([kql, eql], { constants });
    const kqlHit = { [FIELD]: VALUE, w: 'a");globalThis.pwned=1;//b' };
    const kqlMiss = { [FIELD]: `${VALUE} `, w: 'a");globalThis.pwned=1;//b' };
    const seq = [
      { '@timestamp': 1, event: { category: CATEGORY }, k: KEY, v: VALUE },
      { '@timestamp': 2, event: { category: 'other' }, k: KEY, v: `prefix${VALUE}` },
    ];
    const wrongCategory = { '@timestamp': 3, event: { category: 'process' }, k: 'other', v: VALUE };
    const alerts = [kqlHit, kqlMiss, wrongCategory, ...seq].flatMap((e) => engine.process(e));
    alerts.push(...engine.flush());
    expect(alerts.map((a) => a['kibana.alert.rule.name'])).toEqual([`KQL ${VALUE}`, `EQL ${VALUE}`]);
    expect(alerts[0]['kibana.alert.rule.rule_id']).toBe('"]); globalThis.pwned=1; //');
    expect(alerts[0]['kibana.alert.rule.description']).toBe(`*/ globalThis.pwned=1; /* ${VALUE}`);
    expect(alerts[1]['kibana.alert.group.join_keys']).toEqual([KEY]);
    expect(alerts[0].events[0]).toMatchObject({ [FIELD]: VALUE });
    // The alerts survive a JSON round trip unchanged (what `ruleforge run` prints).
    expect(JSON.parse(JSON.stringify(alerts))).toEqual(JSON.parse(JSON.stringify(alerts)));
    expect(Object.getPrototypeOf(alerts[0].events[0])).toBe(Object.prototype);
  });
});
