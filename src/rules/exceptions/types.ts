/** Kibana's exception list model as ruleforge's YAML files hold it (field names as Kibana's API has them). */

export type ExceptionOperator = 'included' | 'excluded';

/** Kibana's value list types (`list.type` of a `list` entry). */
export type ValueListType = 'keyword' | 'ip' | 'ip_range' | 'text' | 'long' | 'integer' | 'short' | 'byte' | 'double' | 'float' | 'half_float' | 'date' | 'date_nanos' | 'boolean' | string;

export type ExceptionEntry =
  | { type: 'match'; field: string; operator: ExceptionOperator; value: string }
  | { type: 'match_any'; field: string; operator: ExceptionOperator; value: string[] }
  | { type: 'wildcard'; field: string; operator: ExceptionOperator; value: string }
  | { type: 'exists'; field: string; operator: ExceptionOperator }
  | { type: 'list'; field: string; operator: ExceptionOperator; list: { id: string; type: ValueListType } }
  | { type: 'nested'; field: string; entries: ExceptionEntry[] };

/** One exception item: all its entries must hold (and, with os_types, the event's OS must be one of them). */
export interface ExceptionItem {
  item_id?: string;
  name: string;
  description?: string;
  os_types?: ('linux' | 'macos' | 'windows')[];
  tags?: string[];
  comments?: { comment: string }[];
  expire_time?: string;
  entries: ExceptionEntry[];
}

/** Kibana's list types. */
export type ExceptionListType = 'detection' | 'rule_default' | 'endpoint' | string;

/** A shared exception list file (`exceptions/*.yaml`). */
export interface ExceptionListFile {
  list_id: string;
  id?: string;
  name: string;
  description?: string;
  type: ExceptionListType;
  namespace_type?: 'single' | 'agnostic';
  os_types?: ('linux' | 'macos' | 'windows')[];
  tags?: string[];
  items: ExceptionItem[];
}

/** A rule's reference to a shared list (`exceptions_list` entries). */
export interface ExceptionListRef {
  id: string;
  list_id: string;
  type: ExceptionListType;
  namespace_type: 'single' | 'agnostic';
}
