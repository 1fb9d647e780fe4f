import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import schema from '../../src/rules/rule.schema.json' with { type: 'json' };

// The options the rule loader uses (plus nothing else): every strict check on, no coercion, all errors.
const AJV_OPTIONS = { allErrors: true, coerceTypes: false, strict: true, allowUnionTypes: true } as const;

type Json = Record<string, unknown>;
type SchemaNode = Record<string, unknown>;

const ruleSchema = schema as unknown as SchemaNode;
let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction => (compiled ??= new Ajv(AJV_OPTIONS).compile(ruleSchema));

/** Loads YAML the way rule files are loaded (core schema: dates such as 2026/11/23 stay strings). */
const yaml = (text: string): Json => load(text, { schema: CORE_SCHEMA }) as Json;

function errorsOf(rule: unknown): ErrorObject[] {
  const validate = validator();
  return validate(rule) ? [] : [...(validate.errors ?? [])];
}

const KQL_RULE = `# yaml-language-server: $schema=../src/rules/rule.schema.json
name: AWS Bedrock Provisioned Throughput Deleted
rule_id: 9d3c1e2a-4b5f-4c6d-8e7f-0a1b2c3d4e5f
type: query
language: kuery
index: [logs-aws.cloudtrail-*]
query: |
  data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com"
    and event.action: "DeleteProvisionedModelThroughput" and event.outcome: "success"
filters: []
description: Reserved Bedrock model capacity was released.
risk_score: 47
severity: medium
severity_mapping:
  - { field: cloud.account.id, operator: equals, value: "111122223333", severity: high }
risk_score_mapping:
  - { field: event.risk_score, operator: equals, value: "" }
author: [Detection Engineering]
license: Apache-2.0
from: now-9m
to: now
interval: 5m
max_signals: 100
enabled: false
version: 3
timestamp_override: event.ingested
timestamp_override_fallback_disabled: false
rule_name_override: event.action
alert_suppression:
  group_by: [aws.cloudtrail.user_identity.arn]
  duration: { value: 30, unit: m }
  missing_fields_strategy: suppress
exceptions_list:
  - { id: endpoint_list, list_id: endpoint_list, type: endpoint, namespace_type: agnostic }
investigation_fields:
  field_names: ["@timestamp", user.name, source.ip]
timeline_id: 91832785-286d-4ebe-b884-1a208d111a70
timeline_title: Generic Process Timeline
tags: ["Domain: Cloud", "Data Source: Amazon Bedrock", "Tactic: Impact"]
references: [https://docs.aws.amazon.com/bedrock/latest/userguide/prov-throughput.html]
false_positives: [Planned capacity changes by the platform team.]
note: |
  ## Triage and analysis
setup: Requires the AWS CloudTrail integration.
meta: { from: 4m }
related_integrations:
  - { package: aws, version: ^4.0.0, integration: cloudtrail }
required_fields:
  - { name: event.action, type: keyword, ecs: true }
threat:
  - framework: MITRE ATT&CK
    tactic: { id: TA0040, name: Impact, reference: "https://attack.mitre.org/tactics/TA0040/" }
    technique:
      - id: T1496
        name: Resource Hijacking
        reference: https://attack.mitre.org/techniques/T1496/
        subtechnique:
          - { id: T1496.004, name: Cloud Service Hijacking, reference: "https://attack.mitre.org/techniques/T1496/004/" }
  - framework: MITRE ATLAS
    tactic: { id: AML.TA0011, name: Impact, reference: "https://atlas.mitre.org/tactics/AML.TA0011/" }
metadata:
  creation_date: 2026/11/23
  updated_date: 2026/11/24
  maturity: production
  integration: [aws]
  min_stack_version: 8.14.0
  min_stack_comments: alert suppression for query rules
  bypass_bbr_timing: false
  query_schema_validation: true
  comments: written for the docs
fields:
  custom.team: keyword
  custom.cost: scaled_float
tests:
  - name: throughput deleted
    description: the CloudTrail sample with the delete action
    expect: match
    event:
      base: events/bedrock-converse.json
      fields: { event.action: DeleteProvisionedModelThroughput, custom.cost: 1.5, user.name: null }
      remove: [aws.cloudtrail.flattened]
  - name: near miss - inline event, failed call
    expect: no-match
    event:
      event: { event: { provider: bedrock.amazonaws.com, action: DeleteProvisionedModelThroughput, outcome: failure } }
  - name: two events from an NDJSON file
    expect: { alerts: 2 }
    events:
      - base: events/cloudtrail-other-services.ndjson#3
      - { base: events/cloudtrail-other-services.ndjson#4, fields: { event.outcome: success } }
`;

const EQL_RULE = `name: AWS Bedrock Models Listed Then Invoked With a Long-Term Key
rule_id: 8cab48bb-2031-42c4-823c-b137a7582d0c
type: eql
language: eql
index: [logs-aws.cloudtrail-*]
query: |
  sequence by aws.cloudtrail.user_identity.access_key_id with maxspan=15m
    [any where event.action == "ListFoundationModels"]
    [any where event.action : ("InvokeModel", "Converse")]
description: A long-term key lists the foundation models, then invokes one.
risk_score: 73
severity: high
author: [ruleforge]
from: now-30m
interval: 10m
event_category_override: event.type
tiebreaker_field: event.sequence
timestamp_field: "@timestamp"
building_block_type: default
tests:
  - name: list then invoke
    expect:
      alerts: 1
      join_keys: [[AKIAIOSFODNN7EXAMPLE]]
    events:
      - base: events/bedrock-converse.json
        fields: { "@timestamp": "2026-06-05T10:00:00Z", event.action: ListFoundationModels, aws.cloudtrail.user_identity.access_key_id: AKIAIOSFODNN7EXAMPLE }
      - base: events/bedrock-converse.json
        fields: { "@timestamp": "2026-06-05T10:05:00Z", aws.cloudtrail.user_identity.access_key_id: AKIAIOSFODNN7EXAMPLE }
  - name: join keys of any JSON scalar type
    expect: { alerts: 2, join_keys: [[a, 1, true], [b, 2.5, null]] }
    events: [{ fields: { a: 1 } }, { fields: { a: 2 } }]
  - name: nothing
    expect: { alerts: 0 }
    events: [{ event: {} }]
`;

const base = (): Json => ({
  name: 'n',
  rule_id: 'r',
  type: 'query',
  description: 'd',
  risk_score: 21,
  severity: 'low',
  author: ['a'],
});

describe('src/rules/rule.schema.json', () => {
  it('compiles with Ajv in strict mode (strictRequired and strictTypes included)', () => {
    expect(() => new Ajv(AJV_OPTIONS).compile(ruleSchema)).not.toThrow();
    expect(() => new Ajv({ ...AJV_OPTIONS, strictRequired: true, strictTypes: true, strictTuples: true }).compile(ruleSchema)).not.toThrow();
  });

  it('is a draft-07 schema with an id, a title and a closed top level', () => {
    expect(ruleSchema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://ruleforge.dev/schemas/rule.schema.json',
      title: expect.any(String),
      description: expect.any(String),
      type: 'object',
      additionalProperties: false,
    });
    expect([...(ruleSchema.required as string[])].sort()).toEqual(['author', 'description', 'name', 'risk_score', 'rule_id', 'severity', 'type']);
  });

  it('describes every property (editors show the descriptions) and uses no `format`', () => {
    const undocumented: string[] = [];
    const formats: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const obj = node as SchemaNode;
      if ('format' in obj && typeof obj.format === 'string') formats.push(path);
      const props = obj.properties;
      if (props && typeof props === 'object' && !Array.isArray(props)) {
        for (const [key, sub] of Object.entries(props as Record<string, unknown>)) {
          // `{ required: [x], properties: { x: true } }` branches only name a key for strictRequired.
          if (sub === true) continue;
          const description = (sub as SchemaNode).description;
          if (typeof description !== 'string' || !/\w/.test(description)) undocumented.push(`${path}/properties/${key}`);
        }
      }
      for (const [key, sub] of Object.entries(obj)) walk(sub, `${path}/${key}`);
    };
    walk(ruleSchema, '#');
    expect(undocumented).toEqual([]);
    expect(formats).toEqual([]);
  });

  it('keeps the shapes src/rules/schema-check.ts relies on for its messages', () => {
    const defs = ruleSchema.definitions as Record<string, SchemaNode>;
    // "needs either `event:` or `events:`": a oneOf next to the `expect` property.
    expect(defs.example.oneOf).toHaveLength(2);
    expect(Object.keys(defs.example.properties as object)).toEqual(expect.arrayContaining(['name', 'expect', 'event', 'events']));
    // "needs `base`, `fields` or `event`": an anyOf next to the `base` property.
    expect(defs.eventSpec.anyOf).toHaveLength(3);
    expect(Object.keys(defs.eventSpec.properties as object)).toEqual(['base', 'fields', 'remove', 'event']);
    // Pattern hints are chosen by substrings of the patterns.
    const props = ruleSchema.properties as Record<string, SchemaNode>;
    const meta = (props.metadata.properties as Record<string, SchemaNode>);
    expect(props.from.pattern).toContain('now');
    expect(props.interval.pattern).toContain('[smhd]');
    expect(meta.creation_date.pattern).toContain('{4}/');
    expect(meta.min_stack_version.pattern).toContain('\\d+\\.\\d+');
  });

  it('accepts a complete KQL rule and an EQL sequence rule, with tests', () => {
    expect(errorsOf(yaml(KQL_RULE))).toEqual([]);
    expect(errorsOf(yaml(EQL_RULE))).toEqual([]);
  });

  it('accepts the minimal rule and the other rule types', () => {
    expect(errorsOf(base())).toEqual([]);
    const rules: Json[] = [
      { ...base(), type: 'saved_query', saved_id: 'my-saved-query' },
      { ...base(), type: 'esql', language: 'esql', query: 'FROM logs-* METADATA _id, _version, _index | WHERE event.action == "x" | KEEP event.action' },
      { ...base(), type: 'new_terms', query: 'event.provider: "bedrock.amazonaws.com"', new_terms_fields: ['user.name', 'source.ip'], history_window_start: 'now-7d' },
      { ...base(), type: 'threshold', query: 'event.action: "InvokeModel"', threshold: { field: ['user.name'], value: 25, cardinality: [{ field: 'source.ip', value: 3 }] }, alert_suppression: { duration: { value: 1, unit: 'h' } } },
      { ...base(), type: 'threshold', query: '*', threshold: { field: 'user.name', value: 1 } },
      { ...base(), type: 'threshold', query: '*', threshold: { field: [], value: 1 } },
      {
        ...base(),
        type: 'threat_match',
        query: 'source.ip: *',
        index: ['logs-*'],
        threat_index: ['logs-ti_*'],
        threat_query: '@timestamp >= "now-30d/d" and event.category: "threat"',
        threat_language: 'kuery',
        threat_mapping: [{ entries: [{ field: 'source.ip', type: 'mapping', value: 'threat.indicator.ip' }, { field: 'host.name', type: 'mapping', value: 'threat.indicator.domain', negate: true }] }],
        threat_indicator_path: 'threat.indicator',
        threat_filters: [{ meta: { negate: false }, query: { match_phrase: { 'event.type': 'indicator' } } }],
        concurrent_searches: 1,
        items_per_search: 9000,
      },
      { ...base(), type: 'machine_learning', anomaly_threshold: 75, machine_learning_job_id: 'bedrock_rare_model' },
      { ...base(), type: 'machine_learning', anomaly_threshold: 0, machine_learning_job_id: ['a', 'b'], metadata: { integration: 'aws', maturity: 'deprecated', deprecation_date: '2026/12/01', deprecated_reason: 'replaced' } },
      { ...base(), data_view_id: 'security-solution-default', from: 'now', to: 'now/d', interval: '1h' },
      { ...base(), from: 'now-2H/d', interval: '30s', tests: [{ name: 'both base and inline event', expect: 'match', event: { base: 'e.json', event: { a: 1 } } }] },
    ];
    for (const rule of rules) expect(errorsOf(rule), String(rule.type)).toEqual([]);
  });

  // Each typical mistake fails at the expected place with the expected keyword, and nowhere else.
  const tests = (example: Json): Json => ({ ...base(), tests: [example] });
  // `within`: where all errors must lie (default: `path`); wider when a oneOf's other branch also reports.
  const mistakes: { what: string; rule: Json; path: string; keyword: string; params?: Json; within?: string }[] = [
    { what: 'missing name', rule: (({ name: _n, ...r }) => r)(base()), path: '', keyword: 'required', params: { missingProperty: 'name' } },
    { what: 'risk_score 101', rule: { ...base(), risk_score: 101 }, path: '/risk_score', keyword: 'maximum' },
    { what: 'risk_score as a string', rule: { ...base(), risk_score: '47' }, path: '/risk_score', keyword: 'type' },
    { what: 'severity "Medium"', rule: { ...base(), severity: 'Medium' }, path: '/severity', keyword: 'enum' },
    { what: 'unknown top-level key', rule: { ...base(), descripton: 'x' }, path: '', keyword: 'additionalProperties', params: { additionalProperty: 'descripton' } },
    { what: 'Kibana server field', rule: { ...base(), immutable: false }, path: '', keyword: 'additionalProperties', params: { additionalProperty: 'immutable' } },
    { what: 'empty author list', rule: { ...base(), author: [] }, path: '/author', keyword: 'minItems' },
    { what: 'empty rule_id', rule: { ...base(), rule_id: '' }, path: '/rule_id', keyword: 'minLength' },
    { what: 'event and events both', rule: tests({ name: 'a', expect: 'match', event: { fields: { a: 1 } }, events: [{ fields: { a: 1 } }] }), path: '/tests/0', keyword: 'oneOf', params: { passingSchemas: [0, 1] } },
    { what: 'neither event nor events', rule: tests({ name: 'a', expect: 'match' }), path: '/tests/0', keyword: 'oneOf' },
    { what: 'expect "matches"', rule: tests({ name: 'a', expect: 'matches', event: { fields: {} } }), path: '/tests/0/expect', keyword: 'enum' },
    { what: 'expect object without alerts', rule: tests({ name: 'a', expect: { join_keys: [] }, event: { fields: {} } }), path: '/tests/0/expect', keyword: 'required' },
    { what: 'negative alert count', rule: tests({ name: 'a', expect: { alerts: -1 }, event: { fields: {} } }), path: '/tests/0/expect/alerts', keyword: 'minimum', within: '/tests/0/expect' },
    { what: 'join_keys not a list of lists', rule: tests({ name: 'a', expect: { alerts: 1, join_keys: ['k'] }, event: { fields: {} } }), path: '/tests/0/expect/join_keys/0', keyword: 'type', within: '/tests/0/expect' },
    { what: 'join key value an object', rule: tests({ name: 'a', expect: { alerts: 1, join_keys: [[{ k: 1 }]] }, event: { fields: {} } }), path: '/tests/0/expect/join_keys/0/0', keyword: 'type', within: '/tests/0/expect' },
    { what: 'event spec with only remove', rule: tests({ name: 'a', expect: 'match', event: { remove: ['x'] } }), path: '/tests/0/event', keyword: 'anyOf' },
    { what: 'unknown key in an event spec', rule: tests({ name: 'a', expect: 'match', events: [{ base: 'e.json', field: { a: 1 } }] }), path: '/tests/0/events/0', keyword: 'additionalProperties', params: { additionalProperty: 'field' } },
    { what: 'example without a name', rule: tests({ expect: 'match', event: { fields: {} } }), path: '/tests/0', keyword: 'required', params: { missingProperty: 'name' } },
    { what: 'empty tests list', rule: { ...base(), tests: [] }, path: '/tests', keyword: 'minItems' },
    { what: 'threat framework typo', rule: { ...base(), threat: [{ framework: 'MITRE ATTACK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' } }] }, path: '/threat/0/framework', keyword: 'enum' },
    { what: 'threat tactic without reference', rule: { ...base(), threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact' } }] }, path: '/threat/0/tactic', keyword: 'required', params: { missingProperty: 'reference' } },
    { what: 'metadata date with dashes', rule: { ...base(), metadata: { creation_date: '2026-11-23' } }, path: '/metadata/creation_date', keyword: 'pattern' },
    { what: 'metadata min_stack_version 8.14', rule: { ...base(), metadata: { min_stack_version: '8.14' } }, path: '/metadata/min_stack_version', keyword: 'pattern' },
    { what: 'unknown metadata key', rule: { ...base(), metadata: { made_up: true } }, path: '/metadata', keyword: 'additionalProperties' },
    { what: 'interval "5 minutes"', rule: { ...base(), interval: '5 minutes' }, path: '/interval', keyword: 'pattern' },
    { what: 'from "yesterday"', rule: { ...base(), from: 'yesterday' }, path: '/from', keyword: 'pattern' },
    { what: 'new_terms_fields of 4', rule: { ...base(), new_terms_fields: ['a', 'b', 'c', 'd'] }, path: '/new_terms_fields', keyword: 'maxItems' },
    { what: 'investigation_fields empty', rule: { ...base(), investigation_fields: { field_names: [] } }, path: '/investigation_fields/field_names', keyword: 'minItems' },
    { what: 'building_block_type "yes"', rule: { ...base(), building_block_type: 'yes' }, path: '/building_block_type', keyword: 'const' },
    { what: 'fields with type "strng"', rule: { ...base(), fields: { 'a.b': 'strng' } }, path: '/fields/a.b', keyword: 'enum' },
    { what: 'threshold grouping on 6 fields', rule: { ...base(), threshold: { field: ['a', 'b', 'c', 'd', 'e', 'f'], value: 1 } }, path: '/threshold/field', keyword: 'maxItems' },
    { what: 'machine_learning_job_id a number', rule: { ...base(), machine_learning_job_id: 5 }, path: '/machine_learning_job_id', keyword: 'type' },
    { what: 'alert_suppression over 4 fields', rule: { ...base(), alert_suppression: { group_by: ['a', 'b', 'c', 'd'] } }, path: '/alert_suppression/group_by', keyword: 'maxItems' },
    { what: 'duplicate tags', rule: { ...base(), tags: ['Domain: Cloud', 'Domain: Cloud'] }, path: '/tags', keyword: 'uniqueItems' },
  ];

  it.each(mistakes)('rejects $what at "$path" ($keyword)', ({ rule, path, keyword, params, within = path }) => {
    const errors = errorsOf(rule);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toContainEqual(expect.objectContaining({ instancePath: path, keyword, ...(params ? { params: expect.objectContaining(params) } : {}) }));
    // Nothing is reported outside the mistake (at its place or below it).
    for (const e of errors) expect(e.instancePath === within || e.instancePath.startsWith(`${within}/`), `${e.instancePath} ${e.keyword}`).toBe(true);
  });
});
