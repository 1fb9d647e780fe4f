/** ruleforge's compiler-side API. The embedding runtime is `ruleforge/runtime`. */
export { compileQuery, type CompileQueryOptions, type CompileQueryResult } from './compile-query.js';
export { parseKql, parseKqlLiteral, type KqlParseResult } from './kql/parse.js';
export { printKql, printKqlValue } from './kql/print.js';
export { lowerKql, type KqlLowerOptions, type KqlLowerResult } from './kql/lower.js';
export type * from './kql/ast.js';
export type * from './ir/types.js';
export { IR_VERSION } from './ir/types.js';
export * from './diagnostics/index.js';
export { createFieldSchema, fieldsFromMapping, familyOf } from './fields/index.js';
export type { FieldSchema, FieldInfo, FieldFamily, ExtraFields, FieldSchemaOptions } from './fields/index.js';
export { parseEql, type EqlParseResult } from './eql/parse.js';
export type * from './eql/ast.js';
export { allFunctions as eqlFunctions, lookupFunction as lookupEqlFunction, type EqlFunctionSignature } from './eql/functions.js';
