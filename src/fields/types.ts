/** Groups of Elasticsearch field types that share query semantics. */
export type FieldFamily = 'keyword' | 'text' | 'number' | 'date' | 'boolean' | 'ip' | 'flattened' | 'nested' | 'object' | 'version' | 'geo' | 'other';

/** What the schema knows about one field. */
export interface FieldInfo {
  /** The full dotted name asked for. */
  name: string;
  /** The Elasticsearch mapping type, e.g. `keyword`, `match_only_text`, `long`, `flattened`. */
  type: string;
  family: FieldFamily;
  source: 'ecs' | 'pack' | 'extra';
  /** Set when the name is a sub-key of a `flattened` field; such sub-keys are keywords. */
  flattenedParent?: string;
}

/** Field types for validation and for choosing query semantics. */
export interface FieldSchema {
  /** Type of a field, or undefined when no schema knows it (callers default unknown fields to keyword). */
  lookup(name: string): FieldInfo | undefined;
  /** All known concrete field names. */
  names(): readonly string[];
  /** Up to `max` known field names closest to `name`, best first ("did you mean"). */
  suggest(name: string, max?: number): string[];
}

/** Field name → Elasticsearch type. */
export type ExtraFields = Record<string, string>;

/** Which field sources a schema combines; later sources override earlier ones (ECS < packs < extra). */
export interface FieldSchemaOptions {
  /** Include ECS (default true). */
  ecs?: boolean;
  /** Bundled integration packs by dataset (default `['aws.cloudtrail']`). */
  packs?: string[];
  extraFields?: ExtraFields;
}
