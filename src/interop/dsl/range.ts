import type { KqlRange } from '../../kql/ast.js';
import { fieldNameOf, fullFieldName, resolveFields } from './field-name.js';
import { wrapIfNested } from './nested.js';
import { rangeScript } from './scripts.js';
import { timeZoneFor } from './time-zone.js';
import type { ConvertEnv, DslQuery } from './types.js';
import { plainValue } from './value.js';

/**
 * `field < value` and friends: one range clause per field the name denotes, in a bool should (always
 * wrapped). The bound is sent as written — numerals stay strings and Elasticsearch parses them per field type.
 */
export function rangeToDsl(node: KqlRange, env: ConvertEnv): DslQuery {
  const { options } = env;
  const name = fullFieldName(fieldNameOf(node.field), options.fields, env.nested, node.field.loc);
  const { fields } = resolveFields(name, options.fields);
  const value = plainValue(node.value);
  const op = node.operator;
  const clauses = fields.map((field): DslQuery => {
    if (field.scripted) return rangeScript(field, op, value);
    const bounds: DslQuery = { [op]: value };
    if (field.type === 'date') {
      const zone = timeZoneFor(value, options.dateFormatTZ);
      if (zone !== undefined) bounds.time_zone = zone;
    }
    return wrapIfNested({ range: { [field.name]: bounds } }, field, name, env);
  });
  return { bool: { should: clauses, minimum_should_match: 1 } };
}
