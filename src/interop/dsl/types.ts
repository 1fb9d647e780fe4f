/** A JSON value as it appears in an Elasticsearch query body. */
export type DslJson = string | number | boolean | null | DslJson[] | { [key: string]: DslJson };

/** One Elasticsearch query clause, e.g. `{ "match": { "host.name": "a" } }`. */
export type DslQuery = { [key: string]: DslJson };

/**
 * A field of a Kibana data view (index pattern), as Kibana's field list describes it. Only the parts that change
 * the generated DSL are read: the type (`date` and scripted `number`/`boolean` matter), the mapping types
 * (a field counts as keyword only when `esTypes` is exactly `["keyword"]`), scripts, and the nested path.
 */
export interface DataViewField {
  name: string;
  type: string;
  esTypes?: string[];
  scripted?: boolean;
  script?: string;
  lang?: string;
  subType?: { nested?: { path: string }; multi?: { parent: string } };
}

/** Options of the KQL → query DSL conversion; they mirror Kibana's `KueryQueryOptions` and data view argument. */
export interface KqlToDslOptions {
  /**
   * The data view's fields. Absent = no data view, which is what Kibana's detection engine effectively
   * uses: field names are sent as written, and no keyword, date, scripted or nested handling applies.
   */
  fields?: readonly DataViewField[];
  /** Kibana's `caseInsensitive`: when set (true or false), wildcard and term queries carry `case_insensitive`. */
  caseInsensitive?: boolean;
  /** Kibana's `dateFormatTZ` setting: the `time_zone` of date range queries; `Browser` means this machine's zone. */
  dateFormatTZ?: string;
  /** Kibana's `filtersInMustClause`: `and` becomes `bool.must` instead of `bool.filter` (scoring queries). */
  filtersInMustClause?: boolean;
  /** Kibana's `nestedIgnoreUnmapped`: when set (true or false), nested queries carry `ignore_unmapped`. */
  nestedIgnoreUnmapped?: boolean;
  /** Convert the query as if it sat inside `path: { ... }` (Kibana's nested context). */
  nestedPath?: string;
}

/**
 * The nested group a node is converted in. Kibana keeps the path exactly as the query wrote it (a typed
 * literal such as `true` or `null` is possible) and distinguishes "inside a group" from "the path is truthy".
 */
export interface NestedContext {
  path: string | boolean | null;
}

/** What every node converter receives besides its node. */
export interface ConvertEnv {
  options: KqlToDslOptions;
  /** The enclosing nested group, if any. */
  nested: NestedContext | undefined;
}
