import { ruleJsonSchema } from '../rules/schema-check.js';

/** A JSON schema node, as far as walking the rule schema needs it. */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
}

const ROOT = ruleJsonSchema as SchemaNode & { definitions?: Record<string, SchemaNode> };

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let i = 0; current?.$ref && i < 16; i++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    current = ROOT.definitions?.[name];
  }
  return current;
}

/** The node and the branches of its combinators (oneOf/anyOf/allOf), resolved. */
function variants(node: SchemaNode | undefined): SchemaNode[] {
  const n = resolve(node);
  if (!n) return [];
  return [n, ...[...(n.oneOf ?? []), ...(n.anyOf ?? []), ...(n.allOf ?? [])].flatMap(variants)];
}

/** The schema of the value at `path` in a rule document (a key's schema, a list's items), or undefined. */
export function schemaAt(path: readonly (string | number)[]): SchemaNode[] {
  let nodes: SchemaNode[] = [ROOT];
  for (const step of path) {
    const next: SchemaNode[] = [];
    for (const v of nodes.flatMap(variants)) {
      if (typeof step === 'number') {
        if (v.items) next.push(v.items);
      } else if (v.properties?.[step]) next.push(v.properties[step]);
      else if (typeof v.additionalProperties === 'object') next.push(v.additionalProperties);
    }
    nodes = next;
    if (nodes.length === 0) return [];
  }
  return nodes.flatMap(variants);
}

/** The documented keys of the mapping at `path`, in schema order, with their schema. */
export function keysAt(path: readonly (string | number)[]): [string, SchemaNode][] {
  const seen = new Map<string, SchemaNode>();
  for (const v of schemaAt(path)) for (const [k, s] of Object.entries(v.properties ?? {})) if (!seen.has(k)) seen.set(k, s);
  return [...seen];
}

/** A key's schema merged over its variants: description, enum values, type. */
export function describeKey(path: readonly (string | number)[]): { description?: string; values: unknown[]; types: string[] } {
  const nodes = schemaAt(path);
  const description = nodes.find((n) => n.description)?.description;
  const values = [...new Set(nodes.flatMap((n) => [...(n.enum ?? []), ...(n.const !== undefined ? [n.const] : [])]))];
  const types = [...new Set(nodes.flatMap((n) => (Array.isArray(n.type) ? n.type : n.type ? [n.type] : [])))];
  return { ...(description ? { description } : {}), values, types };
}
