import { describe, expect, it } from 'vitest';
import { ecsTable } from '../../src/fields/ecs.js';
import { BUNDLED_PACKS, createFieldSchema, familyOf } from '../../src/fields/index.js';
import { hasShared, noteSkipped, readSharedJsonLines } from '../helpers/shared.js';

const pack = BUNDLED_PACKS['aws.cloudtrail'];

describe('the bundled aws.cloudtrail field pack', () => {
  it('says what it is and where it comes from', () => {
    expect(pack).toMatchObject({ package: 'aws', dataset: 'aws.cloudtrail' });
    expect(pack.version).toMatch(/\S/);
    expect(pack.source).toMatch(/elastic\/integrations packages\/aws\/data_stream\/cloudtrail\/fields/);
  });

  it('maps every field to a type ruleforge has semantics for', () => {
    for (const [name, type] of Object.entries(pack.fields)) expect(familyOf(type), `${name}: ${type}`).not.toBe('other');
    for (const [name, valueType] of Object.entries(pack.objectTypes ?? {})) {
      expect(pack.fields[name]).toBe('object');
      expect(familyOf(valueType)).not.toBe('other');
    }
    for (const name of Object.keys(pack.values ?? {})) expect(pack.fields[name]).toBe('constant_keyword');
  });

  it('holds the package fields of the data stream', () => {
    const cloudtrail = Object.keys(pack.fields).filter((n) => n.startsWith('aws.cloudtrail.'));
    // 39 fields in fields.yml, 4 of them with a `.text` multi-field.
    expect(cloudtrail).toHaveLength(43);
    expect(cloudtrail.filter((n) => n.endsWith('.text'))).toEqual([
      'aws.cloudtrail.request_parameters.text',
      'aws.cloudtrail.response_elements.text',
      'aws.cloudtrail.additional_eventdata.text',
      'aws.cloudtrail.service_event_details.text',
    ]);
    const flattened = Object.entries(pack.fields).filter(([, t]) => t === 'flattened').map(([n]) => n);
    expect(flattened.sort()).toEqual([
      'aws.cloudtrail.flattened.additional_eventdata',
      'aws.cloudtrail.flattened.digest',
      'aws.cloudtrail.flattened.insight_details',
      'aws.cloudtrail.flattened.request_parameters',
      'aws.cloudtrail.flattened.response_elements',
      'aws.cloudtrail.flattened.service_event_details',
      'aws.s3.metadata',
    ]);
    const constants = Object.entries(pack.fields).filter(([, t]) => t === 'constant_keyword').map(([n]) => n);
    expect(constants.sort()).toEqual(['data_stream.dataset', 'data_stream.namespace', 'data_stream.type', 'event.dataset', 'event.module']);
    expect(pack.values).toEqual({ 'event.module': 'aws', 'event.dataset': 'aws.cloudtrail' });
    // mfa_authenticated holds the strings "true"/"false", and management_event likewise: keyword, not boolean.
    expect(pack.fields['aws.cloudtrail.user_identity.session_context.mfa_authenticated']).toBe('keyword');
    expect(pack.fields['aws.cloudtrail.management_event']).toBe('keyword');
    expect(pack.fields['aws.cloudtrail.session_credential_from_console']).toBe('keyword');
  });

  it('names only real ECS fields as taken from ECS', () => {
    const ecs = ecsTable();
    for (const name of pack.ecsFields ?? []) expect(ecs.types.has(name), name).toBe(true);
    expect(pack.ecsFields).toContain('event.action');
  });

  it('describes the data stream on its own when ECS is left out', () => {
    const schema = createFieldSchema({ ecs: false });
    expect(schema.lookup('aws.cloudtrail.read_only')).toMatchObject({ type: 'boolean', source: 'pack' });
    expect(schema.lookup('event.action')).toMatchObject({ type: 'keyword', source: 'pack' });
    expect(schema.lookup('user_agent.original.text')).toMatchObject({ type: 'match_only_text', family: 'text', source: 'pack' });
    expect(schema.lookup('event.original')).toMatchObject({ indexed: false });
    expect(schema.lookup('tags')).toMatchObject({ type: 'keyword', array: true });
    expect(schema.lookup('container.labels.app')).toMatchObject({ type: 'keyword', objectParent: 'container.labels' });
    // Fields the package does not map are unknown without ECS.
    expect(schema.lookup('process.pid')).toBeUndefined();
  });

  it('keeps ECS as the source of the fields the package takes from ECS', () => {
    const schema = createFieldSchema();
    expect(schema.lookup('event.action')?.source).toBe('ecs');
    expect(schema.lookup('user_agent.original.text')?.source).toBe('ecs');
    // agent.yml maps host.* itself; ECS still says host.ip is an array.
    expect(schema.lookup('host.ip')).toMatchObject({ type: 'ip', source: 'pack', array: true });
  });
});

interface Leaf {
  path: string;
  value: unknown;
}

function leaves(value: unknown, path: string, out: Leaf[]): Leaf[] {
  if (Array.isArray(value)) for (const v of value) leaves(v, path, out);
  else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push({ path, value });
    for (const [k, v] of entries) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.push({ path, value });
  return out;
}

const shared = hasShared();
noteSkipped('field pack vs. real CloudTrail events');

describe.skipIf(!shared)('the field pack against real CloudTrail events (shared corpus)', () => {
  const events = shared
    ? [...readSharedJsonLines<unknown>('corpus/events/cloudtrail_bedrock.ndjson'), ...readSharedJsonLines<unknown>('corpus/events/cloudtrail_other.ndjson')]
    : [];
  const schema = createFieldSchema();
  const all = events.flatMap((e) => leaves(e, '', []));

  it('knows every field the pipeline writes, but a few the package leaves unmapped', () => {
    const unknown = [...new Set(all.filter((l) => schema.lookup(l.path) === undefined).map((l) => l.path))].sort();
    // ec2_role_delivery and entity.actor/targets are written by the pipeline but mapped by no fields YAML
    // (dynamic mapping); lat/lon are the halves of the geo_point source.geo.location.
    expect(unknown).toEqual([
      'aws.cloudtrail.user_identity.session_context.ec2_role_delivery',
      'entity.actor',
      'entity.targets',
      'source.geo.location.lat',
      'source.geo.location.lon',
    ]);
  });

  it('agrees with the JSON types of the values', () => {
    for (const { path, value } of all) {
      const info = schema.lookup(path);
      if (info?.family === 'boolean') expect(typeof value, path).toBe('boolean');
      if (info?.family === 'number') expect(typeof value, path).toBe('number');
      // Flattened leaves may be any JSON scalar; Elasticsearch indexes them all as keywords.
      if (info?.flattenedParent === undefined && ['keyword', 'text', 'ip', 'date'].includes(info?.family ?? '')) expect(typeof value, path).toBe('string');
    }
  });
});
