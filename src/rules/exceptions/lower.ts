/**
 * Exception items → IR, following the Elasticsearch query Kibana's exception filter builder produces for each
 * entry type: `match` is a `match_phrase`, `match_any` an OR of them, `wildcard` a `wildcard` query (whole value,
 * case-sensitive), `exists` an `exists` query, `nested` a `nested` query on the parent path, and `list` a `terms`
 * look-up of a value list (ranges for `ip_range` lists, `match` with operator `and` for `text` lists). `excluded`
 * wraps the entry in `must_not`, so an event without the field satisfies it. Entries of an item are AND-ed, items
 * OR-ed; an item with `os_types` also needs `host.os.type` (or Endpoint's `host.os.name.caseless`) to be one of them.
 *
 * `match` and `exists` are lowered through the KQL lowering of a quoted value (`field: "value"`, `field: *`),
 * which is exactly `match_phrase` / `exists` under the field's mapping, so both languages share one notion of
 * "equal" per field type.
 */
import type { Severity } from '../../diagnostics/diagnostic.js';
import type { FieldSchema } from '../../fields/index.js';
import { simplifyPredicate } from '../../ir/simplify.js';
import type { IrPredicate } from '../../ir/types.js';
import type { KqlLiteral, KqlNode } from '../../kql/ast.js';
import { lowerKql } from '../../kql/lower.js';
import { parseIp } from '../../runtime/primitives/ip.js';
import { analyzeText } from '../../runtime/primitives/text.js';
import type { DocPath } from '../yaml-document.js';
import type { ExceptionEntry, ExceptionItem } from './types.js';

/** What lowering reports to and reads from: the field schema, located findings, value lists. */
export interface ExceptionLowerContext {
  schema: FieldSchema;
  /** Reports a finding at a path relative to the item list being lowered. */
  report(path: DocPath, severity: Severity, code: string, message: string, hint?: string): void;
  /** The values of a value list (already checked against its type), or undefined when it cannot be read (reported). */
  valueList(id: string, type: string, path: DocPath): string[] | undefined;
  /** The field items with an `expire_time` are compared against (the rule's time field). */
  timeField: string;
}

const FALSE: IrPredicate = { kind: 'const', value: false };
const NO_LOC = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const literal = (value: string, quoted: boolean): KqlLiteral => ({ type: 'literal', value, quoted, loc: NO_LOC });

/** Lowers a small KQL tree; its diagnostics are moved to `path` (they have no place of their own). */
function viaKql(ctx: ExceptionLowerContext, node: KqlNode, path: DocPath): IrPredicate {
  const lowered = lowerKql(node, { schema: ctx.schema });
  for (const d of lowered.diagnostics) {
    const code = d.severity === 'error' ? 'exception/type-mismatch' : 'exception/entry';
    ctx.report(path, d.severity, code, d.message, d.hint);
  }
  return lowered.ok ? lowered.ir.predicate : FALSE;
}

const isNode = (field: string, value: string): KqlNode => ({ type: 'is', field: literal(field, false), value: literal(value, true), loc: NO_LOC });
const existsNode = (field: string): KqlNode => ({ type: 'is', field: literal(field, false), value: { type: 'wildcard', segments: ['', ''], loc: NO_LOC }, loc: NO_LOC });
const orNode = (children: KqlNode[]): KqlNode => (children.length === 1 ? children[0] : { type: 'or', children, loc: NO_LOC });

const negateIf = (excluded: boolean, p: IrPredicate): IrPredicate => (excluded ? { kind: 'not', arg: p } : p);

function familyOf(ctx: ExceptionLowerContext, field: string): string {
  return ctx.schema.lookup(field)?.family ?? 'keyword';
}

/**
 * Elastic Endpoint's mappings give many keyword fields a `.caseless` multi-field (lower-case normalizer), which
 * exception entries use to match without regard to case; events never hold it (multi-fields are not in
 * `_source`), so it reads as its parent field compared case-insensitively.
 */
export const CASELESS_SUFFIX = '.caseless';
const caselessParent = (field: string): string | undefined => (field.endsWith(CASELESS_SUFFIX) && field.length > CASELESS_SUFFIX.length ? field.slice(0, -CASELESS_SUFFIX.length) : undefined);

function lowerCaseless(entry: ExceptionEntry, parent: string, ctx: ExceptionLowerContext, path: DocPath): IrPredicate | undefined {
  switch (entry.type) {
    case 'match':
      return { kind: 'term', field: parent, type: 'keyword', value: entry.value, caseInsensitive: true };
    case 'match_any':
      return { kind: 'terms', field: parent, type: 'keyword', values: [...new Set(entry.value)], caseInsensitive: true };
    case 'wildcard':
      return { kind: 'wildcard', field: parent, pattern: entry.value, caseInsensitive: true };
    case 'exists':
      return { kind: 'exists', field: parent };
    case 'list': {
      const values = ctx.valueList(entry.list.id, entry.list.type, [...path, 'list', 'id']);
      return values === undefined || values.length === 0 ? FALSE : { kind: 'terms', field: parent, type: 'keyword', values: [...new Set(values)], caseInsensitive: true };
    }
    default:
      return undefined;
  }
}

/** One entry; `prefix` is the nested parent (`parent.`) whose fields are relative inside a nested query. */
function lowerEntry(ctx: ExceptionLowerContext, entry: ExceptionEntry, path: DocPath, prefix: string): IrPredicate {
  const caseless = entry.type !== 'nested' ? caselessParent(entry.field) : undefined;
  if (caseless !== undefined && entry.type !== 'nested') {
    const lowered = lowerCaseless(entry, caseless, ctx, path);
    if (lowered) return negateIf(entry.operator === 'excluded', lowered);
  }
  switch (entry.type) {
    case 'match':
      return negateIf(entry.operator === 'excluded', lowerInNested(ctx, prefix, isNode(entry.field, entry.value), [...path, 'value']));
    case 'match_any': {
      // Each value on its own, so a value that cannot apply is reported where it is written.
      const values = entry.value.map((v, i) => lowerInNested(ctx, prefix, isNode(entry.field, v), [...path, 'value', i]));
      return negateIf(entry.operator === 'excluded', simplifyPredicate(values.length === 1 ? values[0] : { kind: 'or', args: values }));
    }
    case 'exists':
      return negateIf(entry.operator === 'excluded', lowerInNested(ctx, prefix, existsNode(entry.field), [...path, 'field']));
    case 'wildcard':
      return negateIf(entry.operator === 'excluded', lowerWildcard(ctx, prefix + entry.field, entry.field, entry.value, path));
    case 'list':
      return negateIf(entry.operator === 'excluded', lowerList(ctx, entry.field, entry.list.id, entry.list.type, path));
    case 'nested': {
      const inner = entry.entries.map((e, i) => lowerEntry(ctx, e, [...path, 'entries', i], `${prefix}${entry.field}.`));
      return { kind: 'nested', path: entry.field, query: inner.length === 1 ? inner[0] : { kind: 'and', args: inner } };
    }
  }
}

/** KQL lowering sees fields relative to a nested parent only inside `parent: {...}`: wrap, lower, unwrap. */
function lowerInNested(ctx: ExceptionLowerContext, prefix: string, node: KqlNode, path: DocPath): IrPredicate {
  if (prefix === '') return viaKql(ctx, node, path);
  const parent = prefix.slice(0, -1);
  const lowered = viaKql(ctx, { type: 'nested', path: literal(parent, false), child: node, loc: NO_LOC }, path);
  return lowered.kind === 'nested' ? lowered.query : lowered;
}

/** Elasticsearch's `wildcard` query: the whole keyword value (case-sensitive), or one token of a text field. */
function lowerWildcard(ctx: ExceptionLowerContext, fullName: string, field: string, pattern: string, path: DocPath): IrPredicate {
  const family = familyOf(ctx, fullName);
  if (family === 'text') return { kind: 'match', field, mode: 'wildcard', query: pattern };
  // Kibana offers `matches` only on keyword, text and wildcard fields (wildcard and constant_keyword are keyword-like).
  if (family === 'keyword') return { kind: 'wildcard', field, pattern };
  ctx.report([...path, 'value'], 'error', 'exception/type-mismatch', `A wildcard entry needs a keyword, wildcard or text field; \`${fullName}\` is a ${ctx.schema.lookup(fullName)?.type ?? family} field.`, 'Use a `match` or `match_any` entry for exact values.');
  return FALSE;
}

/** A value list as Kibana's list filter builds it for the list's type. */
function lowerList(ctx: ExceptionLowerContext, field: string, id: string, type: string, path: DocPath): IrPredicate {
  const values = ctx.valueList(id, type, [...path, 'list', 'id']);
  if (values === undefined) return FALSE;
  const family = familyOf(ctx, field);
  if (values.length === 0) return FALSE;
  if (type === 'ip_range') {
    if (family !== 'ip' && ctx.schema.lookup(field)) {
      ctx.report([...path, 'field'], 'error', 'exception/type-mismatch', `An ip_range value list needs an ip field; \`${field}\` is a ${ctx.schema.lookup(field)?.type} field.`);
      return FALSE;
    }
    const args: IrPredicate[] = values.map((v) => {
      const dash = v.indexOf('-');
      return dash > 0 ? { kind: 'range', field, type: 'ip', gte: v.slice(0, dash).trim(), lte: v.slice(dash + 1).trim() } : { kind: 'term', field, type: 'ip', value: v };
    });
    return args.length === 1 ? args[0] : { kind: 'or', args };
  }
  if (type === 'text') {
    // `match` with operator `and`: every token of the value occurs in the field (in any order).
    const args: IrPredicate[] = values.map((v) => {
      const tokens = analyzeText(v);
      const all: IrPredicate[] = tokens.map((t) => ({ kind: 'match', field, mode: 'any', query: t }));
      return all.length === 0 ? FALSE : all.length === 1 ? all[0] : { kind: 'and', args: all };
    });
    return args.length === 1 ? args[0] : { kind: 'or', args };
  }
  // A `terms` query: one set look-up on keyword fields, typed equality (numbers, addresses, dates) otherwise.
  if (family === 'keyword') return { kind: 'terms', field, type: 'keyword', values: [...new Set(values)] };
  return viaKql(ctx, orNode(values.map((v) => isNode(field, v))), [...path, 'list', 'id']);
}

/** The values of a value-list file checked against Kibana's list type; returns the message for a bad value. */
export function checkListValue(type: string, value: string): string | undefined {
  if (type === 'ip') return parseIp(value) || /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(value) ? undefined : `"${value}" is not an IP address.`;
  if (type === 'ip_range') {
    const dash = value.indexOf('-');
    if (dash > 0) return parseIp(value.slice(0, dash).trim()) && parseIp(value.slice(dash + 1).trim()) ? undefined : `"${value}" is not an IP range (\`a-b\`).`;
    const slash = value.indexOf('/');
    return parseIp(slash > 0 ? value.slice(0, slash) : value) && (slash < 0 || /^\d{1,3}$/.test(value.slice(slash + 1))) ? undefined : `"${value}" is not a CIDR block or IP range.`;
  }
  if (/^(long|integer|short|byte)$/.test(type)) return /^-?\d+$/.test(value) ? undefined : `"${value}" is not an integer.`;
  if (/^(double|float|half_float)$/.test(type)) return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : `"${value}" is not a number.`;
  if (type === 'date' || type === 'date_nanos') return /^-?\d+$/.test(value) || !Number.isNaN(Date.parse(value)) ? undefined : `"${value}" is not a date.`;
  if (type === 'boolean') return value === 'true' || value === 'false' ? undefined : `"${value}" is not true or false.`;
  return undefined;
}

/** One item: its entries AND-ed, with its OS condition and its expiry. */
export function lowerItem(ctx: ExceptionLowerContext, item: ExceptionItem, path: DocPath): IrPredicate {
  const args = item.entries.map((e, i) => lowerEntry(ctx, e, [...path, 'entries', i], ''));
  if (item.os_types && item.os_types.length > 0) {
    // host.os.type, or (Elastic Endpoint) host.os.name.caseless: the OS name, compared without case.
    const os: IrPredicate[] = item.os_types.flatMap((t): IrPredicate[] => [viaKql(ctx, isNode('host.os.type', t), [...path, 'os_types']), { kind: 'term', field: 'host.os.name', type: 'keyword', value: t, caseInsensitive: true }]);
    args.unshift({ kind: 'or', args: os });
  }
  if (item.expire_time !== undefined) {
    // Kibana stops applying an expired item; in event time, it applies to events before its expiry.
    if (Number.isNaN(Date.parse(item.expire_time))) ctx.report([...path, 'expire_time'], 'error', 'exception/entry', `expire_time "${item.expire_time}" is not an ISO 8601 date.`);
    else args.push({ kind: 'range', field: ctx.timeField, type: 'date', lt: new Date(Date.parse(item.expire_time)).toISOString() });
  }
  return { kind: 'and', args };
}

/** Items OR-ed: the predicate of "this event is excepted" (undefined for no items), and each item's own. */
export function lowerItems(ctx: ExceptionLowerContext, items: readonly { item: ExceptionItem; path: DocPath; lower?: ExceptionLowerContext }[]): { predicate: IrPredicate; each: IrPredicate[] } | undefined {
  if (items.length === 0) return undefined;
  const each = items.map(({ item, path, lower }) => simplifyPredicate(lowerItem(lower ?? ctx, item, path)));
  return { predicate: simplifyPredicate({ kind: 'or', args: each }), each };
}

/** Diagnostic-free helper for tests and tools: the fields an entry list names, nested paths joined. */
export function entryFields(entries: readonly ExceptionEntry[], prefix = ''): { field: string; index: number[] }[] {
  const out: { field: string; index: number[] }[] = [];
  entries.forEach((e, i) => {
    if (e.type === 'nested') {
      for (const inner of entryFields(e.entries, `${prefix}${e.field}.`)) out.push({ field: inner.field, index: [i, ...inner.index] });
    } else out.push({ field: prefix + e.field, index: [i] });
  });
  return out;
}

