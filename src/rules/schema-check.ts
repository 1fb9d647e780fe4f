import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { closestNames } from '../fields/suggest.js';
import ruleSchema from './rule.schema.json' with { type: 'json' };
import type { DocPath, YamlDocument } from './yaml-document.js';

/** The JSON schema of a rule file (draft-07), as shipped for editors. */
export const ruleJsonSchema: Record<string, unknown> = ruleSchema;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, coerceTypes: false, strict: true, allowUnionTypes: true, verbose: true }).compile(ruleJsonSchema);
  return compiled;
}

/** Checks a loaded rule document against the rule schema; every error is located at the offending key or value. */
export function checkRuleSchema(doc: YamlDocument): Diagnostic[] {
  const validate = validator();
  if (validate(doc.value)) return [];
  const errors = relevantErrors(validate.errors ?? []);
  const misspelt = misspeltRequired(errors);
  const kept = errors.filter((e) => ![...misspelt.values()].includes(e));
  return mergeAlternatives(kept.map((e) => schemaDiagnostic(doc, e, misspelt.has(e) ? String((misspelt.get(e)!.params as { missingProperty: unknown }).missingProperty) : undefined)));
}

/**
 * A misspelt required key (`descripton:`) fails twice: an unknown key, and the required one missing. Pairs
 * each unknown key with the missing required key of the same mapping it most likely spells, so the two are
 * reported as one "did you mean".
 */
function misspeltRequired(errors: readonly ErrorObject[]): Map<ErrorObject, ErrorObject> {
  const pairs = new Map<ErrorObject, ErrorObject>();
  const used = new Set<ErrorObject>();
  for (const unknown of errors) {
    if (unknown.keyword !== 'additionalProperties') continue;
    const key = String((unknown.params as { additionalProperty: unknown }).additionalProperty);
    const missing = errors.filter((e) => e.keyword === 'required' && e.instancePath === unknown.instancePath && !used.has(e));
    const names = missing.map((e) => String((e.params as { missingProperty: unknown }).missingProperty));
    const [closest] = closestNames(key, names, 1);
    const match = missing.find((e) => String((e.params as { missingProperty: unknown }).missingProperty) === closest);
    if (match) {
      pairs.set(unknown, match);
      used.add(match);
    }
  }
  return pairs;
}

/** Checks another kind of document (e.g. an exception list file) against its schema, reporting under `code`. */
export function checkDocumentSchema(doc: YamlDocument, validate: ValidateFunction, code: string, whole: string): Diagnostic[] {
  if (validate(doc.value)) return [];
  return mergeAlternatives(relevantErrors(validate.errors ?? []).map((e) => schemaDiagnostic(doc, e, undefined, code, whole)));
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'if', 'not']);

/**
 * Ajv reports every failed branch of a `oneOf`/`anyOf` and then the combinator itself. Keep what says
 * something about the document: branch errors, unless a branch only failed for lack of a key that selects
 * another branch (then the combinator's own error is clearer), and one error per place and keyword.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const selectorOnly = (combinator: ErrorObject): boolean => {
    const inside = errors.filter((o) => o !== combinator && o.schemaPath.startsWith(`${combinator.schemaPath}/`));
    return inside.length > 0 && inside.every((o) => o.keyword === 'required' && o.instancePath === combinator.instancePath);
  };
  const kept = errors.filter((e) => {
    // `if`/`then` selects a form by a discriminating key (an exception entry's `type`); the `then` errors say what is wrong.
    if (e.keyword === 'if') return false;
    if (COMBINATORS.has(e.keyword)) {
      if (selectorOnly(e)) return true;
      return !errors.some((o) => o !== e && o.schemaPath.startsWith(`${e.schemaPath}/`));
    }
    const owner = errors.find((c) => COMBINATORS.has(c.keyword) && e.schemaPath.startsWith(`${c.schemaPath}/`) && c.instancePath === e.instancePath.slice(0, c.instancePath.length));
    if (!owner) return true;
    if (selectorOnly(owner)) return false;
    // A branch that failed deeper inside the value is the form the author meant; drop "wrong type" from the others.
    const shallow = e.instancePath === owner.instancePath && ['enum', 'type', 'const'].includes(e.keyword);
    const deeper = errors.some((o) => o.schemaPath.startsWith(`${owner.schemaPath}/`) && o.instancePath.length > owner.instancePath.length);
    return !(shallow && deeper);
  });
  return kept.filter((e) => {
    const id = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Merges "must be one of …" and "must be <type>" reported on one value by two branches of a oneOf. */
function mergeAlternatives(diagnostics: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const prior = out.find((o) => o.line === d.line && o.column === d.column && o.endColumn === d.endColumn && /must be /.test(o.message) && /must be /.test(d.message));
    if (prior) {
      const alternative = d.message.replace(/^.*? must be (.*?)(, not .*)?\.$/, '$1');
      prior.message = prior.message.replace(/(, not [^,]*)?\.$/, `, or ${alternative}$1.`);
      continue;
    }
    out.push(d);
  }
  return out;
}

/** `/threat/0/tactic` → ['threat', 0, 'tactic'] (array positions as numbers, as the document has them). */
function pathOf(doc: YamlDocument, pointer: string): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let node: unknown = doc.value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step: string | number = Array.isArray(node) ? Number(seg) : seg;
    out.push(step);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

const describePath = (path: DocPath, whole = 'the rule'): string => (path.length === 0 ? whole : `\`${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}\``);

/** The schema's documented properties at a path (for "did you mean" on unknown keys). */
function knownKeys(parentSchema: unknown): string[] {
  if (parentSchema && typeof parentSchema === 'object' && 'properties' in parentSchema) {
    return Object.keys((parentSchema as { properties: Record<string, unknown> }).properties);
  }
  return [];
}

/** Whether a (sub)schema declares `key` among its properties: tells which definition a combinator error is in. */
const hasProperty = (schema: unknown, key: string): boolean => knownKeys(schema).includes(key);

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list', null: 'null' };
const typeWord = (t: string): string => TYPE_WORDS[t] ?? t;

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? (Number.isInteger(v) ? 'an integer' : 'a number') : `a ${typeof v}`);

function valueAt(doc: YamlDocument, path: DocPath): unknown {
  let node: unknown = doc.value;
  for (const p of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[p] : undefined;
  return node;
}

function schemaDiagnostic(doc: YamlDocument, e: ErrorObject, misspeltOf?: string, code = 'rule/schema', whole = 'the rule'): Diagnostic {
  const path = pathOf(doc, e.instancePath);
  const where = describePath(path, whole);
  const span = doc.nearestSpan(path);
  const params = e.params as Record<string, unknown>;
  const at = (start: number, end: number, message: string, hint?: string): Diagnostic =>
    doc.diagnostic(start, end, { code, message, ...(hint ? { hint } : {}) });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keySpan = doc.span([...path, key]);
      if (misspeltOf !== undefined) {
        return at(keySpan?.keyStart ?? span.start, keySpan?.keyEnd ?? span.end, `Unknown field \`${key}\` in ${where}, and the required field \`${misspeltOf}\` is missing: did you mean \`${misspeltOf}\`?`, `Rename \`${key}\` to \`${misspeltOf}\`.`);
      }
      const suggestions = closestNames(key, knownKeys(e.parentSchema), 1);
      const hint = suggestions.length > 0 ? `Did you mean \`${suggestions[0]}\`?` : path.length === 0 ? 'See docs/rule-format.md for the fields a rule may have.' : undefined;
      return at(keySpan?.keyStart ?? span.start, keySpan?.keyEnd ?? span.end, `Unknown field \`${key}\` in ${where}.`, hint);
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const start = span.keyStart ?? span.start;
      const end = span.keyEnd ?? Math.min(span.end, start + 1);
      return at(start, end, `${path.length === 0 ? whole.replace(/^the/, 'The') : where} is missing the required field \`${missing}\`.`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const actual = valueAt(doc, path);
      const folded = typeof actual === 'string' ? (params.allowedValues as unknown[]).find((v) => typeof v === 'string' && v.toLowerCase() === actual.toLowerCase()) : undefined;
      return at(span.start, span.end, `${where} must be one of ${allowed.join(', ')}.`, folded !== undefined ? `Values are case-sensitive: write ${JSON.stringify(folded)}.` : undefined);
    }
    case 'const':
      return at(span.start, span.end, `${where} must be ${JSON.stringify(params.allowedValue)}.`);
    case 'type':
      return at(span.start, span.end, `${where} must be ${String(params.type).split(',').map(typeWord).join(' or ')}, not ${typeName(valueAt(doc, path))}.`);
    case 'oneOf':
    case 'anyOf':
      if (hasProperty(e.parentSchema, 'expect')) {
        const hasEvent = (valueAt(doc, path) as Record<string, unknown> | undefined)?.event !== undefined;
        return at(span.keyStart ?? span.start, span.keyEnd ?? span.end, `${where} needs ${hasEvent ? 'either `event:` or `events:`, not both' : 'its events: `event:` (one) or `events:` (a list)'}.`);
      }
      if (hasProperty(e.parentSchema, 'base')) return at(span.start, span.end, `${where} needs \`base\`, \`fields\` or \`event\`.`);
      return at(span.start, span.end, `${where} does not have any of the accepted forms.`);
    case 'pattern':
      return at(span.start, span.end, `${where} does not have the expected form (${String(params.pattern)}).`, patternHint(String(params.pattern)));
    case 'minLength':
      return at(span.start, span.end, `${where} must not be empty.`);
    default:
      return at(span.start, span.end, `${where} ${e.message ?? 'is invalid'}.`);
  }
}

function patternHint(pattern: string): string | undefined {
  if (pattern.includes('now')) return 'Write date math relative to now, e.g. `now-6m`.';
  if (pattern.includes('[smhd]')) return 'Write a number and a unit, e.g. `5m`, `1h`.';
  if (pattern.includes('{4}/')) return 'Write dates as YYYY/MM/DD.';
  if (pattern.includes('\\d+\\.\\d+')) return 'Write a version as MAJOR.MINOR.PATCH, e.g. `8.14.0`.';
  return undefined;
}
