import type { SourceRange } from '../../diagnostics/diagnostic.js';
import type { KqlValue } from '../../kql/ast.js';
import { DslConversionError } from './errors.js';
import type { DataViewField, NestedContext } from './types.js';

/**
 * A field name as Kibana handles it: a literal keeps its typed value (`true:x` names the field `true`, and
 * `null:x` is free text), a wildcard name keeps the positions of its unescaped `*`.
 */
export type FieldName =
  | { kind: 'literal'; value: string | boolean | null }
  | { kind: 'wildcard'; segments: string[] };

/** The name written in the query; the free-text "no field" is the literal null, as in Kibana's tree. */
export function fieldNameOf(field: KqlValue | null): FieldName {
  if (field === null) return { kind: 'literal', value: null };
  if (field.type === 'wildcard') return { kind: 'wildcard', segments: [...field.segments] };
  return { kind: 'literal', value: field.value };
}

/** True for the lone `*` (all fields). */
export function isAllFields(name: FieldName): boolean {
  return name.kind === 'wildcard' && name.segments.length === 2 && name.segments[0] === '' && name.segments[1] === '';
}

/** The name as sent to Elasticsearch when no data view field matches it (wildcards keep their `*`). */
export function fieldNameText(name: FieldName): string {
  return name.kind === 'wildcard' ? name.segments.join('*') : String(name.value);
}

/** Whether a data view field name matches a wildcard name: `*` is any run of characters, case-sensitive. */
function wildcardMatches(segments: readonly string[], candidate: string): boolean {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (!candidate.startsWith(first)) return false;
  let at = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const found = candidate.indexOf(segments[i], at);
    if (found < 0) return false;
    at = found + segments[i].length;
  }
  return candidate.length - at >= last.length && candidate.endsWith(last);
}

/** The data view fields a name denotes: the one with that exact name, or every field a wildcard name matches. */
export function matchingFields(name: FieldName, fields: readonly DataViewField[]): DataViewField[] {
  if (name.kind === 'wildcard') return fields.filter((f) => wildcardMatches(name.segments, f.name));
  const found = fields.find((f) => f.name === name.value);
  return found ? [found] : [];
}

/** The nested path a data view field lives under, if any. */
export function nestedPathOf(field: DataViewField): string | undefined {
  const path = field.subType?.nested?.path;
  return path ? path : undefined;
}

/**
 * The full name of a field written inside a nested group (`path.name`), checked against the data view: a
 * plain name must sit in exactly the nested group its field is mapped under. Wildcard names outside any
 * group are not checked, because the converters wrap each nested match in its own nested query.
 */
export function fullFieldName(
  name: FieldName,
  fields: readonly DataViewField[] | undefined,
  nested: NestedContext | undefined,
  loc: SourceRange,
): FieldName {
  const path = nested?.path;
  let full: FieldName = name;
  // Kibana prefixes only when the path is truthy, stringifying typed literals (`true:{ a:1 }` → `true.a`).
  if (path) {
    full =
      name.kind === 'wildcard'
        ? { kind: 'wildcard', segments: [`${String(path)}.${name.segments[0]}`, ...name.segments.slice(1)] }
        : { kind: 'literal', value: `${String(path)}.${String(name.value)}` };
  }
  if (fields === undefined || (full.kind === 'wildcard' && !path)) return full;
  const problems: string[] = [];
  for (const field of matchingFields(full, fields)) {
    const mappedPath = nestedPathOf(field);
    if (path && !mappedPath) {
      problems.push(`Field ${field.name} is not mapped as nested, yet the query puts it inside the nested group "${String(path)}".`);
    } else if (mappedPath && !path) {
      problems.push(`Field ${field.name} is mapped under the nested path ${mappedPath}; query it inside a nested group: ${mappedPath}: { ... }.`);
    } else if (mappedPath !== path) {
      problems.push(`Field ${field.name} is queried in the nested group "${String(path)}", but its nested path is ${String(mappedPath)}.`);
    }
  }
  if (problems.length > 0) throw new DslConversionError('dsl/nested-field', problems.join('\n'), loc);
  return full;
}

/**
 * The fields a clause is built for: those of the data view the name denotes or, when there are none (or no
 * data view), a stand-in with the name as written, so views lacking the field simply match nothing.
 */
export function resolveFields(name: FieldName, fields: readonly DataViewField[] | undefined): { fields: DataViewField[]; found: boolean } {
  const matched = fields ? matchingFields(name, fields) : [];
  if (matched.length > 0) return { fields: matched, found: true };
  return { fields: [{ name: fieldNameText(name), type: '' }], found: false };
}
