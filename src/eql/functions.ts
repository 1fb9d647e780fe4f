/** Argument kinds the checker knows; `any` accepts every type. */
export type EqlArgKind = 'string' | 'number' | 'ip' | 'boolean' | 'any';

/** The signature of one Elasticsearch EQL function. */
export interface EqlFunctionSignature {
  /** The name as documented (lookup is case-insensitive). */
  name: string;
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Kinds of the leading arguments; later arguments repeat the last kind. */
  args: EqlArgKind[];
  returns: 'string' | 'number' | 'boolean';
  /** Has a `name~(…)` case-insensitive form. */
  insensitive: boolean;
}

const SIGNATURES: EqlFunctionSignature[] = [
  { name: 'add', minArgs: 2, maxArgs: 2, args: ['number', 'number'], returns: 'number', insensitive: false },
  { name: 'between', minArgs: 3, maxArgs: 4, args: ['string', 'string', 'string', 'boolean'], returns: 'string', insensitive: true },
  { name: 'cidrMatch', minArgs: 2, maxArgs: Infinity, args: ['ip', 'string'], returns: 'boolean', insensitive: false },
  { name: 'concat', minArgs: 1, maxArgs: Infinity, args: ['any'], returns: 'string', insensitive: false },
  { name: 'divide', minArgs: 2, maxArgs: 2, args: ['number', 'number'], returns: 'number', insensitive: false },
  { name: 'endsWith', minArgs: 2, maxArgs: 2, args: ['string', 'string'], returns: 'boolean', insensitive: true },
  { name: 'indexOf', minArgs: 2, maxArgs: 3, args: ['string', 'string', 'number'], returns: 'number', insensitive: true },
  { name: 'length', minArgs: 1, maxArgs: 1, args: ['string'], returns: 'number', insensitive: false },
  { name: 'modulo', minArgs: 2, maxArgs: 2, args: ['number', 'number'], returns: 'number', insensitive: false },
  { name: 'multiply', minArgs: 2, maxArgs: 2, args: ['number', 'number'], returns: 'number', insensitive: false },
  { name: 'number', minArgs: 1, maxArgs: 2, args: ['string', 'number'], returns: 'number', insensitive: false },
  { name: 'startsWith', minArgs: 2, maxArgs: 2, args: ['string', 'string'], returns: 'boolean', insensitive: true },
  { name: 'string', minArgs: 1, maxArgs: 1, args: ['any'], returns: 'string', insensitive: false },
  { name: 'stringContains', minArgs: 2, maxArgs: 2, args: ['string', 'string'], returns: 'boolean', insensitive: true },
  { name: 'substring', minArgs: 2, maxArgs: 3, args: ['string', 'number', 'number'], returns: 'string', insensitive: false },
  { name: 'subtract', minArgs: 2, maxArgs: 2, args: ['number', 'number'], returns: 'number', insensitive: false },
];

const BY_NAME = new Map(SIGNATURES.map((s) => [s.name.toLowerCase(), s]));

/** Functions of the endgame dialect that Elasticsearch EQL does not have, with what to write instead. */
export const ENDGAME_ONLY_FUNCTIONS: Readonly<Record<string, string>> = {
  arraycontains: 'compare the field directly (`field == "x"`; multi-valued fields match any value)',
  arraycount: 'no Elasticsearch equivalent',
  arraysearch: 'compare the array field directly; a condition on any element holds when one element matches',
  match: 'use `field regex "…"`',
  matchlite: 'use `field regex "…"`',
  safe: 'no Elasticsearch equivalent; missing values are already null',
  wildcard: 'use `field : "pattern*"` (or `like` for case-sensitive matching)',
};

/** The signature of an Elasticsearch EQL function by (case-insensitive) name. */
export function lookupFunction(name: string): EqlFunctionSignature | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** All Elasticsearch EQL function signatures. */
export function allFunctions(): readonly EqlFunctionSignature[] {
  return SIGNATURES;
}
