import type { KqlIs } from '../../kql/ast.js';
import { DslConversionError } from './errors.js';
import { existsQuery } from './exists.js';
import { fieldNameOf, fieldNameText, fullFieldName, isAllFields, resolveFields, type FieldName } from './field-name.js';
import { wrapIfNested } from './nested.js';
import { phraseScript } from './scripts.js';
import { timeZoneFor } from './time-zone.js';
import type { ConvertEnv, DataViewField, DslJson, DslQuery } from './types.js';
import { isLoneStar, plainValue, wildcardQueryText, type PlainValue } from './value.js';

/** A field is keyword (exact term queries) only when its one and only mapping type is keyword. */
const isKeyword = (field: DataViewField): boolean => field.esTypes?.length === 1 && field.esTypes[0] === 'keyword';

/**
 * `field: value`. `*:*` matches everything; free text becomes multi_match (or query_string for a wildcard)
 * over the default fields; otherwise one clause per field the name denotes, in a bool should — always
 * wrapped, even for a single field.
 */
export function isToDsl(node: KqlIs, env: ConvertEnv): DslQuery {
  const { options } = env;
  const written = fieldNameOf(node.field);
  const exists = isLoneStar(node.value);
  if (exists && isAllFields(written)) return { match_all: {} };

  const loc = node.field?.loc ?? node.loc;
  const name = fullFieldName(written, options.fields, env.nested, loc);
  const value = plainValue(node.value);
  if (name.kind === 'literal' && name.value === null) {
    if (node.value.type === 'wildcard') return { query_string: { query: wildcardQueryText(node.value) } };
    const quoted = node.value.type === 'literal' && node.value.quoted;
    return { multi_match: { type: quoted ? 'phrase' : 'best_fields', query: value, lenient: true } };
  }

  const { fields, found } = resolveFields(name, options.fields);
  // Where a name is a value rather than a key, Kibana sends the written literal as typed (`true: *` → true).
  const nameValue = (field: DataViewField): DslJson => (!found && name.kind === 'literal' ? name.value : field.name);

  // Kibana builds the clauses with a reduce whose callback yields nothing for an exists test on a scripted
  // field: the clauses gathered so far are dropped, and any later field makes Kibana fail. Mirror both.
  let clauses: DslQuery[] | undefined = [];
  for (const field of fields) {
    if (field.scripted && exists) {
      clauses = undefined;
      continue;
    }
    if (clauses === undefined) {
      throw new DslConversionError(
        'dsl/kibana-failure',
        `Kibana cannot convert this query: ${fieldNameText(name)} matches a scripted field, which has no exists test, followed by other fields.`,
        loc,
        'Name the fields without a wildcard that covers scripted fields.',
      );
    }
    clauses.push(fieldClause(node, field, nameValue(field), name, value, exists, env));
  }
  return { bool: { should: clauses ?? [], minimum_should_match: 1 } };
}

/** The clause for one resolved field; the first rule that applies wins. */
function fieldClause(
  node: KqlIs,
  field: DataViewField,
  nameValue: DslJson,
  name: FieldName,
  value: PlainValue,
  exists: boolean,
  env: ConvertEnv,
): DslQuery {
  const { options } = env;
  if (field.scripted) return phraseScript(field, value, node.value.loc);
  const wrap = (q: DslQuery): DslQuery => wrapIfNested(q, field, name, env);
  if (exists) return wrap(existsQuery(nameValue));
  if (node.value.type === 'wildcard') {
    const text = wildcardQueryText(node.value);
    if (isKeyword(field)) {
      const body: DslQuery = { value: text };
      if (typeof options.caseInsensitive === 'boolean') body.case_insensitive = options.caseInsensitive;
      return wrap({ wildcard: { [field.name]: body } });
    }
    return wrap({ query_string: { fields: [nameValue], query: text } });
  }
  if (field.type === 'date') {
    // match queries take no time zone, so an exact date becomes the range [value, value].
    const bounds: DslQuery = { gte: value, lte: value };
    const zone = timeZoneFor(value, options.dateFormatTZ);
    if (zone !== undefined) bounds.time_zone = zone;
    return wrap({ range: { [field.name]: bounds } });
  }
  if (isKeyword(field)) {
    const body: DslQuery = { value };
    if (typeof options.caseInsensitive === 'boolean') body.case_insensitive = options.caseInsensitive;
    return wrap({ term: { [field.name]: body } });
  }
  const quoted = node.value.type === 'literal' && node.value.quoted;
  return wrap({ [quoted ? 'match_phrase' : 'match']: { [field.name]: value } });
}
