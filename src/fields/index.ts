export type { ExtraFields, FieldFamily, FieldInfo, FieldSchema, FieldSchemaOptions } from './types.js';
export { familyOf } from './family.js';
export { fieldsFromMapping } from './mapping.js';
export { BUNDLED_PACKS, createFieldSchema } from './schema.js';
