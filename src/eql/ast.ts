import type { SourceRange } from '../diagnostics/diagnostic.js';

/**
 * The EQL syntax tree as grammar/eql.peggy builds it (Elasticsearch's dialect). Constructs Elasticsearch
 * rejects parse into `EqlUnsupported` nodes so the parse step can explain them.
 */
export type EqlQuery = (EqlEventQuery | EqlSequence | EqlSample | EqlUnsupportedQuery) & { pipes: EqlPipe[] };

export interface EqlCategory {
  /** The category name; null for `any`. */
  name: string | null;
  quoted?: boolean;
  loc: SourceRange;
}

/** `category where condition`. */
export interface EqlEventQuery {
  type: 'event';
  category: EqlCategory;
  condition: EqlExpr;
  loc: SourceRange;
}

/** `with maxspan=15m`; `ms` is null when the unit is not one Elasticsearch knows. */
export interface EqlTimeSpan {
  value: number;
  text: string;
  unit: string;
  fractional: boolean;
  ms: number | null;
  loc: SourceRange;
}

/** One bracketed stage of a sequence or sample: `[filter] by keys with runs=N`, or `![filter]` (missing event). */
export interface EqlStage {
  type: 'stage';
  filter: EqlEventQuery;
  by: EqlExpr[];
  runs: number | null;
  missing: boolean;
  fork: EqlUnsupported | null;
  loc: SourceRange;
}

export interface EqlSequence {
  type: 'sequence';
  by: EqlExpr[];
  maxspan: EqlTimeSpan | null;
  /** `sequence with maxspan=… by …`: Elasticsearch wants `by` first. */
  byAfterWith: boolean;
  stages: EqlStage[];
  until: EqlStage | null;
  loc: SourceRange;
}

export interface EqlSample {
  type: 'sample';
  by: EqlExpr[];
  stages: EqlStage[];
  loc: SourceRange;
}

export interface EqlUnsupportedQuery {
  type: 'unsupported';
  construct: string;
  loc: SourceRange;
}

/** `| name args`; arguments are kept as text. */
export interface EqlPipe {
  type: 'pipe';
  name: string;
  args: string;
  loc: SourceRange;
}

export type EqlExpr =
  | { type: 'logical'; op: 'and' | 'or'; left: EqlExpr; right: EqlExpr; loc: SourceRange }
  | { type: 'not'; operand: EqlExpr; loc: SourceRange }
  | { type: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '='; left: EqlExpr; right: EqlExpr; loc: SourceRange }
  | { type: 'arithmetic'; op: '+' | '-' | '*' | '/' | '%'; left: EqlExpr; right: EqlExpr; loc: SourceRange }
  | { type: 'negate'; op: '+' | '-'; operand: EqlExpr; loc: SourceRange }
  | { type: 'in'; subject: EqlExpr; values: EqlExpr[]; caseInsensitive: boolean; negated: boolean; loc: SourceRange }
  | { type: 'pattern'; op: ':' | 'like' | 'like~' | 'regex' | 'regex~'; subject: EqlExpr; patterns: EqlExpr[]; loc: SourceRange }
  | { type: 'call'; name: string; caseInsensitive: boolean; args: EqlExpr[]; loc: SourceRange }
  | EqlField
  | EqlLiteral
  | EqlUnsupported;

/** A field reference; `path` segments are names or array indices (`a.b[0].c`). */
export interface EqlField {
  type: 'field';
  path: (string | number)[];
  optional: boolean;
  loc: SourceRange;
}

export interface EqlLiteral {
  type: 'literal';
  value: string | number | boolean | null;
  /** For numbers: written without a fraction or exponent. */
  integer?: boolean;
  /** For strings: written as `"""raw"""`. */
  raw?: boolean;
  loc: SourceRange;
}

/** A construct Elasticsearch EQL does not support (joins, lineage, fork, endgame strings). */
export interface EqlUnsupported {
  type: 'unsupported';
  construct: string;
  text?: string;
  loc: SourceRange;
}

/** The dotted name of a field reference (`a.b[0]` → `a.b.0`). */
export function fieldName(f: EqlField): string {
  return f.path.join('.');
}
