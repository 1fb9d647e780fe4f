import { ecsTable } from '../../fields/ecs.js';
import type { FieldSchema } from '../../fields/types.js';
import type { FieldRef } from '../../rules/query-fields.js';

/** One entry of Kibana's `required_fields`. */
export interface RequiredField {
  name: string;
  type: string;
  ecs: boolean;
}

/** One entry of Kibana's `related_integrations`. */
export interface RelatedIntegration {
  package: string;
  version: string;
  integration?: string;
}

/** What a package's version range is when the project does not say (any version). */
export const UNKNOWN_PACKAGE_VERSION = '*';

/**
 * The fields a query reads, with their types, sorted by name, as detection-rules computes `required_fields`:
 * an ECS field takes its ECS type and `ecs: true`; another field takes its type from the rule's schema
 * (integration packs, project and rule fields) or `unknown`. Field-name patterns (`host.*`) name no one field
 * and are left out.
 */
export function requiredFields(refs: readonly FieldRef[], schema: FieldSchema | undefined, alsoRead: readonly string[] = []): RequiredField[] {
  const ecs = ecsTable().types;
  const names = [...new Set([...refs.filter((r) => !r.pattern).map((r) => r.name), ...alsoRead])].sort();
  return names.map((name) => {
    const ecsType = ecs.get(name);
    if (ecsType !== undefined) return { name, type: ecsType, ecs: true };
    const info = schema?.lookup(name);
    return { name, type: info && !info.implicit ? info.type : 'unknown', ecs: false };
  });
}

const DATASET_FIELDS = new Set(['event.dataset', 'data_stream.dataset']);
/** `package.data_stream`, both parts lower-case identifiers (what Fleet allows). */
const DATASET = /^([a-z0-9_]+)\.([a-z0-9_]+)$/;
/** An index pattern of one data stream: `logs-aws.cloudtrail-*`. */
const INDEX_DATASET = /^(?:logs|metrics|traces)-([a-z0-9_]+)\.([a-z0-9_]+)-/;

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * The Fleet packages a rule's data comes from, for `related_integrations`: one entry per `package.dataset`
 * the query pins with `event.dataset` / `data_stream.dataset` (detection-rules' rule), else per data-stream
 * index pattern; then the `metadata.integration` packages no dataset covered. Versions come from the
 * project's `integrations` setting, else `*` (and the package is listed in `unversioned`).
 */
export function relatedIntegrations(
  refs: readonly FieldRef[],
  index: readonly string[] | undefined,
  metadataIntegration: string | readonly string[] | undefined,
  versions: Readonly<Record<string, string>>,
): { entries: RelatedIntegration[]; unversioned: string[] } {
  const pairs: [string, string][] = [];
  for (const ref of refs) {
    if (!DATASET_FIELDS.has(ref.name)) continue;
    for (const value of ref.values ?? (ref.value !== undefined ? [unquote(ref.value)] : [])) {
      const m = DATASET.exec(value);
      if (m) pairs.push([m[1], m[2]]);
    }
  }
  if (pairs.length === 0) {
    for (const pattern of index ?? []) {
      const m = INDEX_DATASET.exec(pattern);
      if (m) pairs.push([m[1], m[2]]);
    }
  }
  const packages = typeof metadataIntegration === 'string' ? [metadataIntegration] : [...(metadataIntegration ?? [])];
  const seen = new Set<string>();
  const entries: RelatedIntegration[] = [];
  const unversioned = new Set<string>();
  const versionOf = (pkg: string): string => {
    const v = versions[pkg];
    if (v === undefined) unversioned.add(pkg);
    return v ?? UNKNOWN_PACKAGE_VERSION;
  };
  for (const [pkg, integration] of pairs.sort((a, b) => a.join('.').localeCompare(b.join('.')))) {
    const key = `${pkg}.${integration}`;
    if (seen.has(key)) continue;
    seen.add(key);
    seen.add(pkg);
    entries.push({ package: pkg, version: versionOf(pkg), integration });
  }
  for (const pkg of packages) {
    if (seen.has(pkg)) continue;
    seen.add(pkg);
    entries.push({ package: pkg, version: versionOf(pkg) });
  }
  return { entries, unversioned: [...unversioned].sort() };
}

/**
 * The fields an aggregating rule reads besides its query's: `threshold.field` and `threshold.cardinality`
 * fields, or `new_terms_fields` (a rule cannot run without them, so Kibana's `required_fields` lists them).
 */
export function aggregationFields(rule: { type?: string; threshold?: unknown; new_terms_fields?: unknown }): string[] {
  const names: unknown[] = [];
  if (rule.type === 'threshold' && rule.threshold !== null && typeof rule.threshold === 'object') {
    const t = rule.threshold as { field?: unknown; cardinality?: unknown };
    names.push(...[t.field ?? []].flat());
    if (Array.isArray(t.cardinality)) for (const c of t.cardinality) if (c !== null && typeof c === 'object') names.push((c as { field?: unknown }).field);
  }
  if (rule.type === 'new_terms' && Array.isArray(rule.new_terms_fields)) names.push(...rule.new_terms_fields);
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}
