import type { SourceRange } from '../../diagnostics/diagnostic.js';
import type { KqlRangeOperator } from '../../kql/ast.js';
import { DslConversionError } from './errors.js';
import type { DataViewField, DslJson, DslQuery } from './types.js';
import type { PlainValue } from './value.js';

// Script queries run the field's own script, so their text has to be what Kibana generates, character for
// character: dashboards and saved searches compare and de-duplicate queries by their JSON.

/** NaN and infinities have no JSON form; JSON.stringify writes them as null, so the object says so too. */
const jsonNumber = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** A phrase value coerced the way a scripted boolean or number field needs it. */
function phraseParam(field: DataViewField, value: PlainValue, loc: SourceRange): DslJson {
  if (field.type === 'boolean' && typeof value !== 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new DslConversionError(
      'dsl/script-value',
      `The scripted boolean field ${field.name} can only be compared with true or false, not ${String(value)}.`,
      loc,
    );
  }
  if (field.type === 'number') return jsonNumber(Number(value));
  return value;
}

/** `{script: {source, lang, params: {value}}}`: a script query testing a scripted field for one value. */
export function phraseScript(field: DataViewField, value: PlainValue, loc: SourceRange): DslQuery {
  const source =
    field.lang === 'painless'
      ? 'boolean compare(Supplier s, def v) {if(s.get() instanceof List){List list = s.get(); for(def k : list){if(k==v){return true;}}return false;}else{return s.get() == v;}}' +
        `compare(() -> { ${field.script} }, params.value);`
      : `(${field.script}) == value`;
  const script: DslQuery = { source };
  if (field.lang !== undefined) script.lang = field.lang;
  script.params = { value: phraseParam(field, value, loc) };
  return { script: { script } };
}

const OPERATOR_TEXT: Record<KqlRangeOperator, string> = { gt: '>', gte: '>=', lte: '<=', lt: '<' };

/** Painless helpers for each operator; date fields compare instants. */
function comparator(op: KqlRangeOperator, date: boolean): string {
  if (!date) return `boolean ${op}(Supplier s, def v) {return s.get() ${OPERATOR_TEXT[op]} v}`;
  const test = {
    gt: 's.get().toInstant().isAfter(Instant.parse(v))',
    gte: '!s.get().toInstant().isBefore(Instant.parse(v))',
    lte: '!s.get().toInstant().isAfter(Instant.parse(v))',
    lt: 's.get().toInstant().isBefore(Instant.parse(v))',
  }[op];
  return `boolean ${op}(Supplier s, def v) {return ${test}}`;
}

/** `{script: {source, params: {op: value}, lang}}`: a script query bounding a scripted field. */
export function rangeScript(field: DataViewField, op: KqlRangeOperator, value: PlainValue): DslQuery {
  const param: DslJson = field.type === 'number' && typeof value === 'string' ? jsonNumber(parseFloat(value)) : value;
  const source =
    field.lang === 'painless'
      ? `${comparator(op, field.type === 'date')}${op}(() -> { ${field.script} }, params.${op})`
      : `(${field.script})${OPERATOR_TEXT[op]}${op}`;
  const script: DslQuery = { source, params: { [op]: param } };
  if (field.lang !== undefined) script.lang = field.lang;
  return { script: { script } };
}
