/** Groups of Elasticsearch field types that share query semantics. */
export type FieldFamily = 'keyword' | 'text' | 'number' | 'date' | 'boolean' | 'ip' | 'flattened' | 'nested' | 'object' | 'version' | 'geo' | 'other';

/** Where a field's type came from. */
export type FieldSource = 'ecs' | 'pack' | 'extra';

/** What the schema knows about one field. */
export interface FieldInfo {
  /** The full dotted name asked for. */
  name: string;
  /** The Elasticsearch mapping type, e.g. `keyword`, `match_only_text`, `long`, `flattened`. */
  type: string;
  family: FieldFamily;
  source: FieldSource;
  /** Set when the name is a sub-key of a `flattened` field; such sub-keys are keywords. */
  flattenedParent?: string;
  /** Set when the name is a sub-key of an `object` field whose sub-keys all share a type (`labels.env`). */
  objectParent?: string;
  /** Set when the name is not mapped itself but is a prefix of mapped names (`host` for `host.name`). */
  implicit?: true;
  /** ECS declares the field an array by convention (`normalize: ['array']`), e.g. `event.category`, `tags`. */
  array?: true;
  /** The field is mapped with `index: false` (e.g. `event.original`): stored, but Elasticsearch cannot search it. */
  indexed?: false;
  /** The value a `constant_keyword` field has in every document of the data stream (e.g. `event.module: aws`). */
  constantValue?: string;
}

/** Field types for validation and for choosing query semantics. */
export interface FieldSchema {
  /** Type of a field, or undefined when no schema knows it (callers default unknown fields to keyword). */
  lookup(name: string): FieldInfo | undefined;
  /** All known concrete field names (for wildcard field names like `host.*` and for "did you mean"). */
  names(): readonly string[];
  /** Up to `max` known field names closest to `name` (edit distance / shared prefix), best first. */
  suggest(name: string, max?: number): string[];
}

/** Field name → Elasticsearch type. */
export type ExtraFields = Record<string, string>;

/**
 * An integration's fields for one data stream, as bundled in `src/fields/packs/*.json`: the types the package
 * defines, plus the names it takes from ECS unchanged (`external: ecs` in its fields YAML).
 */
export interface FieldPack {
  /** Integration package, e.g. `aws`. */
  package: string;
  /** Data stream dataset, e.g. `aws.cloudtrail`; packs are selected by it. */
  dataset: string;
  version?: string;
  /** Where the data was transcribed from. */
  source?: string;
  /** Field name → Elasticsearch type, as the package maps it. */
  fields: Record<string, string>;
  /** `object` fields whose sub-keys all share one type (`object_type` in the YAML). */
  objectTypes?: Record<string, string>;
  /** Declared values of `constant_keyword` fields. */
  values?: Record<string, string>;
  /** Names the package maps exactly as ECS does; typed from the ECS table when ECS itself is left out. */
  ecsFields?: string[];
}

/** Which field sources a schema combines; later sources override earlier ones (ECS < packs < extra). */
export interface FieldSchemaOptions {
  /** Include ECS (default true). */
  ecs?: boolean;
  /**
   * Integration packs: bundled ones by dataset, or pack objects (default `['aws.cloudtrail']`).
   * A later pack overrides an earlier one.
   */
  packs?: (string | FieldPack)[];
  /** Caller-supplied types (e.g. from `fieldsFromMapping`); they override everything else. */
  extraFields?: ExtraFields;
}
