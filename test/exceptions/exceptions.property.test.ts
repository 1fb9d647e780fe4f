import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { checkRuleText } from '../../src/rules/validate.js';
import { createEngine } from '../../src/runtime/index.js';
import { dump } from 'js-yaml';
import { kqlRule } from '../helpers/rule-files.js';

type Entry =
  | { field: string; type: 'match'; operator: 'included' | 'excluded'; value: string }
  | { field: string; type: 'match_any'; operator: 'included' | 'excluded'; value: string[] }
  | { field: string; type: 'exists'; operator: 'included' | 'excluded' };
interface Item { name: string; entries: Entry[]; os_types?: ('linux' | 'windows')[] }

const FIELDS = ['user.name', 'host.name', 'process.name'];
const VALUES = ['a', 'b', 'c'];

const entry: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({ field: fc.constantFrom(...FIELDS), type: fc.constant('match' as const), operator: fc.constantFrom('included' as const, 'excluded' as const), value: fc.constantFrom(...VALUES) }),
  fc.record({ field: fc.constantFrom(...FIELDS), type: fc.constant('match_any' as const), operator: fc.constantFrom('included' as const, 'excluded' as const), value: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }) }),
  fc.record({ field: fc.constantFrom(...FIELDS), type: fc.constant('exists' as const), operator: fc.constantFrom('included' as const, 'excluded' as const) }),
);
const item: fc.Arbitrary<Item> = fc.record({ name: fc.constant('item'), entries: fc.array(entry, { minLength: 1, maxLength: 3 }), os_types: fc.option(fc.uniqueArray(fc.constantFrom('linux' as const, 'windows' as const), { minLength: 1 }), { nil: undefined }) }, { requiredKeys: ['name', 'entries'] });

/** A field's value: missing, one value, or several. */
const fieldValue = fc.oneof(fc.constant(undefined), fc.constantFrom(...VALUES), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }));
const eventArb = fc.record({ user: fieldValue, host: fieldValue, process: fieldValue, os: fc.option(fc.constantFrom('linux', 'windows', 'macos'), { nil: undefined }) });

type Ev = { user?: string | string[]; host?: string | string[]; process?: string | string[]; os?: string };
const valuesOf = (e: Ev, field: string): string[] => {
  const v = field === 'user.name' ? e.user : field === 'host.name' ? e.host : e.process;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** Kibana's exception semantics, written directly: entries AND-ed, items OR-ed, excluded = must_not. */
function excepted(items: readonly Item[], e: Ev): boolean {
  return items.some((it) => {
    if (it.os_types && !it.os_types.includes(e.os as 'linux')) return false;
    return it.entries.every((en) => {
      const vs = valuesOf(e, en.field);
      const holds = en.type === 'exists' ? vs.length > 0 : en.type === 'match' ? vs.includes(en.value) : vs.some((v) => en.value.includes(v));
      return en.operator === 'excluded' ? !holds : holds;
    });
  });
}

const toEvent = (e: Ev) => {
  const out: Record<string, unknown> = { '@timestamp': '2026-01-01T00:00:00Z', event: { provider: 'bedrock.amazonaws.com', action: 'DeleteProvisionedModelThroughput' } };
  if (e.user !== undefined) out.user = { name: e.user };
  if (e.host !== undefined || e.os !== undefined) out.host = { ...(e.host !== undefined ? { name: e.host } : {}), ...(e.os !== undefined ? { os: { type: e.os } } : {}) };
  if (e.process !== undefined) out.process = { name: e.process };
  return out;
};

describe('exceptions: property', () => {
  it('a rule alerts exactly when its query matches and no exception item does (for all items and events)', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), fc.array(eventArb, { minLength: 1, maxLength: 8 }), (items, events) => {
        const checked = checkRuleText(dump(kqlRule({ index: ['logs-*'], exceptions: items }), { lineWidth: -1 }), '/tmp/ruleforge-property-rule.yaml');
        const compiled = compileCheckedRule(checked);
        if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
        for (const useIndex of [true, false]) {
          const engine = createEngine([compiled.file.artifact], { now: 0, useIndex });
          for (const e of events) expect(engine.process(toEvent(e)).length === 1).toBe(!excepted(items, e));
        }
      }),
      { numRuns: 150 },
    );
  });
});
