import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import type { IrPredicate } from '../../ir/types.js';
import { exceptionListsFor, exceptionsDirFor, listKey, readValueList, type LoadedExceptionList } from '../exceptions/list-files.js';
import { CASELESS_SUFFIX, entryFields, lowerItems, type ExceptionLowerContext } from '../exceptions/lower.js';
import type { ExceptionItem, ExceptionListFile, ExceptionListRef } from '../exceptions/types.js';
import type { DocPath, YamlDocument } from '../yaml-document.js';
import { reportAt, stringField, type CheckContext } from './context.js';

/** A shared list a rule uses, resolved to its file. */
export interface ResolvedExceptionList {
  ref: ExceptionListRef;
  file: string;
  list: ExceptionListFile;
}

/** What the exceptions of a rule come to: findings, the "excepted" predicate, and the lists used. */
export interface ExceptionCheck {
  diagnostics: Diagnostic[];
  /** Holds for events any exception item matches; undefined when the rule has no items. */
  predicate?: IrPredicate;
  /** Each item's name, list and predicate (for explain). */
  items?: { name: string; list_id?: string; predicate: IrPredicate }[];
  lists: ResolvedExceptionList[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Endpoint lists are evaluated by Elastic Endpoint too, which knows neither `excluded` nor value lists. */
const isEndpointList = (type: string | undefined): boolean => type !== undefined && type.startsWith('endpoint');

/**
 * The rule's exceptions: its inline `exceptions` items and the shared lists `exceptions_list` names (files under
 * the nearest `exceptions/`), lowered to one predicate. Reports `exception/unknown-list`, `exception/unknown-field`,
 * `exception/type-mismatch`, `exception/entry` and `exception/value-list`, located in the file that holds the entry.
 */
export function checkExceptions(ctx: CheckContext, ruleFile: string): ExceptionCheck {
  const out: ExceptionCheck = { diagnostics: [], lists: [] };
  const timeField = stringField(ctx.draft, 'timestamp_override') ?? '@timestamp';
  const exceptionsDir = exceptionsDirFor(ruleFile);
  const items: { item: ExceptionItem; path: DocPath; lower: ExceptionLowerContext; listId?: string }[] = [];

  /** A lowering context whose findings land in `doc` under `base`. */
  const contextFor = (doc: YamlDocument, base: DocPath, endpoint: boolean): ExceptionLowerContext => {
    const at = { ...ctx, doc };
    return {
      schema: ctx.schema,
      timeField,
      report: (path, severity, code, message, hint) => out.diagnostics.push(reportAt(at, [...base, ...path], { severity, code, message, ...(hint ? { hint } : {}) })),
      valueList: (id, type, path) => {
        if (endpoint) {
          out.diagnostics.push(reportAt(at, [...base, ...path], { code: 'exception/entry', message: 'Endpoint exception lists cannot use value lists (`list` entries).' }));
          return undefined;
        }
        const read = readValueList(exceptionsDir, id, type);
        if (read.ok) return read.values;
        out.diagnostics.push(reportAt(at, [...base, ...path], { code: 'exception/value-list', message: read.message }), ...read.diagnostics);
        return undefined;
      },
    };
  };

  /** Field and entry checks that do not need lowering: unknown fields, `excluded` on endpoint lists. */
  const checkItem = (doc: YamlDocument, item: ExceptionItem, path: DocPath, endpoint: boolean): void => {
    const at = { ...ctx, doc };
    for (const { field, index } of entryFields(item.entries)) {
      const entryPath: DocPath = [...path, 'entries', ...index.flatMap((i, k) => (k === 0 ? [i] : ['entries', i]))];
      // `x.caseless` (Endpoint's case-insensitive multi-field) is known when `x` is.
      const known = ctx.schema.lookup(field) ?? (field.endsWith(CASELESS_SUFFIX) ? ctx.schema.lookup(field.slice(0, -CASELESS_SUFFIX.length)) : undefined);
      if (!known) {
        const suggestions = ctx.schema.suggest(field, 3);
        const severity: Severity = ctx.fieldsComplete ? 'error' : 'warning';
        const hint = [suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : undefined, ctx.fieldsComplete ? undefined : ctx.coverageNote].filter(Boolean).join(' ');
        out.diagnostics.push(reportAt(at, [...entryPath, 'field'], { severity, code: 'exception/unknown-field', message: `Unknown field \`${field}\` in an exception entry.`, ...(hint ? { hint } : {}) }));
      }
    }
    if (endpoint) {
      item.entries.forEach((e, i) => {
        if ('operator' in e && e.operator === 'excluded') out.diagnostics.push(reportAt(at, [...path, 'entries', i, 'operator'], { code: 'exception/entry', message: 'Endpoint exception lists cannot use `excluded`: Elastic Endpoint applies only `included` entries.' }));
      });
    }
  };

  const inline = ctx.draft.exceptions;
  if (Array.isArray(inline)) {
    const lower = contextFor(ctx.doc, ['exceptions'], false);
    inline.forEach((item, i) => {
      if (!wellFormedItem(item)) return; // the rule schema reports it
      checkItem(ctx.doc, item, ['exceptions', i], false);
      items.push({ item, path: [i], lower });
    });
  }

  const refs = ctx.draft.exceptions_list;
  if (Array.isArray(refs)) {
    const index = exceptionListsFor(ruleFile);
    const reported = new Set<LoadedExceptionList>();
    refs.forEach((ref, i) => {
      if (!isObject(ref) || typeof ref.list_id !== 'string') return;
      const key = listKey(typeof ref.namespace_type === 'string' ? ref.namespace_type : undefined, ref.list_id);
      const loaded = index.lists.get(key);
      if (!loaded) {
        const known = [...index.lists.values()].flatMap((l) => (l.list ? [`${l.list.list_id} (${l.list.namespace_type ?? 'single'})`] : []));
        out.diagnostics.push(
          // Kibana runs a rule whose list does not exist as if the list were empty (Elastic's own rules name
          // `endpoint_list`, which exists only where Endpoint is set up): so does ruleforge, with a warning.
          reportAt(ctx, ['exceptions_list', i, 'list_id'], {
            severity: 'warning',
            code: 'exception/unknown-list',
            message: `No exception list "${ref.list_id}" (namespace ${String(ref.namespace_type ?? 'single')}) in ${index.dir ?? 'an `exceptions/` directory above this rule'}: the rule runs without its items, as Kibana does with a missing list.`,
            hint: known.length > 0 ? `Lists found: ${known.join(', ')}.` : 'Put the list in `exceptions/<name>.yaml` (see docs/rule-format.md), or import it from a Kibana export.',
          }),
        );
        return;
      }
      if (!reported.has(loaded)) {
        reported.add(loaded);
        out.diagnostics.push(...loaded.diagnostics);
      }
      if (!loaded.list) return;
      out.lists.push({ ref: ref as unknown as ExceptionListRef, file: loaded.file, list: loaded.list });
      const endpoint = isEndpointList(loaded.list.type);
      const lower = contextFor(loaded.doc, ['items'], endpoint);
      loaded.list.items.forEach((item, k) => {
        checkItem(loaded.doc, item, ['items', k], endpoint);
        items.push({ item, path: [k], lower, listId: loaded.list!.list_id });
      });
    });
  }

  const before = out.diagnostics.length;
  const lowered = lowerItems(contextFor(ctx.doc, [], false), items);
  // An entry that failed to lower stands for "matches nothing": never run a rule with half its exceptions.
  if (lowered && !out.diagnostics.slice(before).some((d) => d.severity === 'error')) {
    out.predicate = lowered.predicate;
    out.items = items.map((x, i) => ({ name: x.item.name, ...(x.listId !== undefined ? { list_id: x.listId } : {}), predicate: lowered.each[i] }));
  }
  out.diagnostics = dedupe(out.diagnostics);
  return out;
}

/** Items the rule schema accepted in shape (the check runs even when the schema failed elsewhere). */
function wellFormedItem(item: unknown): item is ExceptionItem {
  if (!isObject(item) || !Array.isArray(item.entries) || item.entries.length === 0) return false;
  const entryOk = (e: unknown, nested: boolean): boolean => {
    if (!isObject(e) || typeof e.field !== 'string' || e.field === '') return false;
    switch (e.type) {
      case 'match':
      case 'wildcard':
        return typeof e.value === 'string' && (e.operator === 'included' || e.operator === 'excluded');
      case 'match_any':
        return Array.isArray(e.value) && e.value.length > 0 && e.value.every((v) => typeof v === 'string') && (e.operator === 'included' || e.operator === 'excluded');
      case 'exists':
        return e.operator === 'included' || e.operator === 'excluded';
      case 'list':
        return !nested && isObject(e.list) && typeof e.list.id === 'string' && typeof e.list.type === 'string' && (e.operator === 'included' || e.operator === 'excluded');
      case 'nested':
        return !nested && Array.isArray(e.entries) && e.entries.length > 0 && e.entries.every((x) => entryOk(x, true));
      default:
        return false;
    }
  };
  return item.entries.every((e) => entryOk(e, false)) && (item.os_types === undefined || Array.isArray(item.os_types)) && (item.expire_time === undefined || typeof item.expire_time === 'string');
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
