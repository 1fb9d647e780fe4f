export type { ExtraFields, FieldFamily, FieldInfo, FieldPack, FieldSchema, FieldSchemaOptions, FieldSource } from './types.js';
export { ECS_VERSION } from './ecs.js';
export { familyOf } from './family.js';
export { aliasesFromMapping, dateFormatsByIndex, fieldsFromMapping, nullValuesFromMapping } from './mapping.js';
export { BUNDLED_PACKS, createFieldSchema } from './schema.js';
