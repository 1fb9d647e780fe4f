/**
 * The intermediate representation: the one contract between the compiler (KQL/EQL front ends) and the
 * runtime. Plain JSON, versioned by IR_VERSION; the JSON schema beside this file describes it.
 *
 * Field semantics are decided by the compiler (from the field schema) and written into each node, so the
 * runtime needs no schema: a `term` on a keyword field and a `term` on a number field are different nodes.
 */
/**
 * 2: regular expressions carry the Lucene pattern (`pattern`), matched by the runtime's own automaton.
 * 3: value type `date_nanos` (nanosecond instants); sample and sequence keys may carry `keyType`.
 */
export const IR_VERSION = 3;

/** A dotted field path as written in the query (`event.action`); resolved against nested, dotted or mixed events. */
export type FieldPath = string;

/** How source values of a field are read and compared. */
export type ValueType =
  /** exact string (numbers and booleans compare by their text, as Elasticsearch indexes them) */
  | 'keyword'
  /** numbers; `integer` truncates source values toward zero as Elasticsearch's integer types do */
  | 'number'
  | 'integer'
  /** instants: ISO 8601 strings or epoch milliseconds */
  | 'date'
  /** instants at nanosecond precision (Elasticsearch `date_nanos`): ISO with up to 9 fraction digits, or epoch ms with a fraction */
  | 'date_nanos'
  | 'boolean'
  | 'ip'
  /** Elasticsearch `version` fields: semantic-version order (pre-releases before their release) */
  | 'version';

export type IrPredicate =
  | IrConst
  | IrAnd
  | IrOr
  | IrNot
  | IrExists
  | IrTerm
  | IrTerms
  | IrRange
  | IrWildcard
  | IrMatch
  | IrNested
  | IrFreeText
  | IrRegex
  | IrExpr;

export interface IrConst {
  kind: 'const';
  value: boolean;
}

export interface IrAnd {
  kind: 'and';
  args: IrPredicate[];
}

export interface IrOr {
  kind: 'or';
  args: IrPredicate[];
}

/** Plain complement: `not` of a comparison holds where the field is missing (Elasticsearch `must_not`). */
export interface IrNot {
  kind: 'not';
  arg: IrPredicate;
}

/** The field has at least one non-null value (`""`, `0`, `false` count; `null`, `[]`, `[null]` do not). */
export interface IrExists {
  kind: 'exists';
  field: FieldPath;
}

/**
 * Equality with one value under `type`. For `ip`, `value` may be a CIDR block. For `date`, `value` is a date
 * or date-math string matched as the range from its rounded-down to its rounded-up instant, as Elasticsearch does.
 */
export interface IrTerm {
  kind: 'term';
  field: FieldPath;
  type: ValueType;
  value: string | number | boolean;
  caseInsensitive?: boolean;
}

/** Equality with any of several values (a set, hashed when the runtime links the rule). */
export interface IrTerms {
  kind: 'terms';
  field: FieldPath;
  type: ValueType;
  values: (string | number | boolean)[];
  caseInsensitive?: boolean;
}

/** Bounds under `type`; date bounds may be date math (`now-1d/d`), resolved against the caller's `now`. */
export interface IrRange {
  kind: 'range';
  field: FieldPath;
  type: ValueType;
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
}

/** Whole-value match of the keyword text against a Lucene wildcard pattern (`*`, `?`, `\` escapes). */
export interface IrWildcard {
  kind: 'wildcard';
  field: FieldPath;
  pattern: string;
  caseInsensitive?: boolean;
}

/**
 * Analyzed text (Elasticsearch `standard` analyzer). `mode: 'any'`: some query token equals some token of the
 * value (`match`); `'phrase'`: the query tokens appear consecutively (`match_phrase`); `'wildcard'`: the
 * lower-cased pattern matches one token of the value.
 */
export interface IrMatch {
  kind: 'match';
  field: FieldPath;
  mode: 'any' | 'phrase' | 'wildcard';
  query: string;
}

/** One object of the array of objects at `path` satisfies `query`, whose field paths are relative to it. */
export interface IrNested {
  kind: 'nested';
  path: FieldPath;
  query: IrPredicate;
}

/**
 * Free text (a KQL value with no field): some leaf of the event matches. String leaves compare exactly, or
 * analyzed when their path is one of `textFields`; number and boolean leaves compare leniently by value.
 * `fieldPattern` (a Lucene wildcard over dotted paths) limits the leaves searched, for `host.*: value`;
 * mode `exists` (with a pattern) holds when some leaf under a matching path is non-null.
 */
export interface IrFreeText {
  kind: 'freeText';
  query: string;
  mode: 'exact' | 'phrase' | 'wildcard' | 'exists';
  textFields: FieldPath[];
  fieldPattern?: string;
}

/**
 * Whole-value match of the keyword text against a Lucene regular expression (Elasticsearch's `regexp` syntax
 * with all its optional operators), which the runtime compiles to an automaton: matching is linear in the value.
 */
export interface IrRegex {
  kind: 'regex';
  field: FieldPath;
  /** The Lucene pattern as written in the rule; the compiler has checked that it compiles. */
  pattern: string;
  /** ASCII letters of literal characters match either case (Lucene's ASCII_CASE_INSENSITIVE, as `regex~`). */
  caseInsensitive?: boolean;
}

/**
 * An EQL value expression evaluated with three-valued logic (true, false or null); the node holds when the
 * result is exactly `expect`. Negations of EQL conditions compile to `expect: false`, so a comparison on a
 * missing field (null) satisfies neither the condition nor its negation, as in Elasticsearch.
 */
export interface IrExpr {
  kind: 'expr';
  expr: IrValue;
  expect: boolean;
}

/** A value expression (EQL): fields read their first value; null propagates as Elasticsearch defines. */
export type IrValue =
  | { v: 'literal'; value: string | number | boolean | null }
  | { v: 'field'; field: FieldPath; indexed?: (string | number)[] }
  /**
   * `float` (arithmetic functions): an argument is floating (a decimal literal, a floating field), so the result
   * is a double; (`string`) the argument is floating, so a number is written as a Java double (`2.0`);
   * `int32`: both are Java ints, so a result outside 32 bits is an overflow (null).
   */
  | { v: 'call'; fn: string; caseInsensitive?: boolean; args: IrValue[]; float?: boolean; int32?: boolean }
  /** `float`: an operand is floating, so `/` does not truncate as integer division does; `int32`: as for `call`. */
  | { v: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: IrValue; right: IrValue; float?: boolean; int32?: boolean }
  | { v: 'neg'; operand: IrValue }
  | { v: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: IrValue; right: IrValue }
  | { v: 'in'; subject: IrValue; values: IrValue[]; caseInsensitive?: boolean }
  /** `patterns` are Lucene wildcards (mode `wildcard`) or Lucene regular expressions (mode `regex`). */
  | { v: 'pattern'; subject: IrValue; mode: 'wildcard' | 'regex'; patterns: string[]; caseInsensitive?: boolean }
  | { v: 'and' | 'or'; args: IrValue[] }
  | { v: 'not'; operand: IrValue };

/** One stage of a sequence: the events it accepts and the join key values it reads from them. */
export interface IrStage {
  predicate: IrPredicate;
  keys: IrValue[];
  /** Per key: may be null (an `?optional` field); otherwise events with a null key are skipped. */
  optionalKeys: boolean[];
  /** A missing-event stage `![…]`: the sequence holds only if no such event completes it within maxspan. */
  missing?: boolean;
  /**
   * Per key: `date` / `date_nanos` for a date field, whose values join by instant (a sample's key is the epoch
   * ms, a sequence's the ISO 8601 text, as Elasticsearch returns them); null otherwise.
   */
  keyTypes?: ('date' | 'date_nanos' | null)[];
}

/**
 * An EQL sequence: stages matched in order (time, then tiebreaker, then arrival) by events sharing the
 * join key values; `maxspanMs` bounds first to last event (inclusive); an `until` event for a key drops
 * that key's pending partial sequences. `runs` are already expanded into repeated stages.
 */
export interface IrSequence {
  stages: IrStage[];
  until?: IrStage;
  maxspanMs?: number;
}

/**
 * An EQL sample: for each join key value present in every stage, one event per stage (events in any order);
 * samples come out ordered by their key values.
 */
export interface IrSample {
  stages: IrStage[];
}

/** A compiled query: what the runtime links into a matcher. */
export interface IrQuery {
  irVersion: typeof IR_VERSION;
  language: 'kuery' | 'eql';
  /** Event queries: the condition. Sequences and samples: any stage's condition, until included (a pre-filter). */
  predicate: IrPredicate;
  sequence?: IrSequence;
  sample?: IrSample;
  /** Every field path the predicate reads (for explain, dispatch and validation). */
  fields: FieldPath[];
}
