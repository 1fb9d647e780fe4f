import { describe, expect, it } from 'vitest';
import { createFieldSchema, familyOf, type FieldPack } from '../../src/fields/index.js';

describe('the field schema', () => {
  const schema = createFieldSchema();

  it('knows ECS types', () => {
    expect(schema.lookup('event.action')).toEqual({ name: 'event.action', type: 'keyword', family: 'keyword', source: 'ecs' });
    expect(schema.lookup('message')).toMatchObject({ type: 'match_only_text', family: 'text', source: 'ecs' });
    expect(schema.lookup('@timestamp')?.family).toBe('date');
    expect(schema.lookup('source.ip')).toMatchObject({ type: 'ip', family: 'ip' });
    expect(schema.lookup('event.category')).toMatchObject({ type: 'keyword', family: 'keyword', array: true });
    expect(schema.lookup('process.command_line')?.type).toBe('wildcard');
    expect(schema.lookup('process.command_line')?.family).toBe('keyword');
    expect(schema.lookup('process.command_line.text')).toMatchObject({ type: 'match_only_text', family: 'text' });
    expect(schema.lookup('http.response.status_code')).toMatchObject({ type: 'long', family: 'number' });
    expect(schema.lookup('process.pid')?.family).toBe('number');
    expect(schema.lookup('threat.enrichments')).toMatchObject({ type: 'nested', family: 'nested' });
    expect(schema.lookup('process.env_vars')?.array).toBe(true);
  });

  it('flags fields Elasticsearch cannot search', () => {
    expect(schema.lookup('event.original')).toMatchObject({ type: 'keyword', indexed: false });
    expect(schema.lookup('event.action')?.indexed).toBeUndefined();
  });

  it('knows the bundled AWS CloudTrail fields', () => {
    expect(schema.lookup('aws.cloudtrail.read_only')).toMatchObject({ type: 'boolean', family: 'boolean', source: 'pack' });
    expect(schema.lookup('aws.cloudtrail.user_identity.session_context.creation_date')?.family).toBe('date');
    expect(schema.lookup('aws.cloudtrail.request_parameters')).toMatchObject({ type: 'keyword', family: 'keyword' });
    expect(schema.lookup('aws.cloudtrail.request_parameters.text')).toMatchObject({ type: 'text', family: 'text' });
    expect(schema.lookup('data_stream.dataset')).toMatchObject({ type: 'constant_keyword', family: 'keyword' });
    expect(schema.lookup('event.dataset')).toMatchObject({ type: 'constant_keyword', constantValue: 'aws.cloudtrail' });
    expect(schema.lookup('event.module')).toMatchObject({ type: 'constant_keyword', constantValue: 'aws' });
    expect(schema.lookup('aws.cloudtrail.flattened.request_parameters')).toMatchObject({ type: 'flattened', family: 'flattened' });
    expect(schema.lookup('related.entity')).toMatchObject({ type: 'keyword', source: 'pack' });
  });

  it('types any sub-key of a flattened field as keyword', () => {
    expect(schema.lookup('aws.cloudtrail.flattened.request_parameters.modelId')).toEqual({
      name: 'aws.cloudtrail.flattened.request_parameters.modelId',
      type: 'keyword',
      family: 'keyword',
      source: 'pack',
      flattenedParent: 'aws.cloudtrail.flattened.request_parameters',
    });
    expect(schema.lookup('aws.cloudtrail.flattened.digest.log_files.s3Bucket')?.flattenedParent).toBe('aws.cloudtrail.flattened.digest');
    expect(schema.lookup('aws.s3.metadata.content-type')?.flattenedParent).toBe('aws.s3.metadata');
    // ECS has flattened fields too.
    expect(schema.lookup('log.syslog.structured_data.origin.ip')).toMatchObject({ type: 'keyword', source: 'ecs', flattenedParent: 'log.syslog.structured_data' });
    expect(schema.lookup('file.pe.imports.name')?.flattenedParent).toBe('file.pe.imports');
  });

  it('types sub-keys of objects with an object_type', () => {
    expect(schema.lookup('labels.env')).toMatchObject({ type: 'keyword', family: 'keyword', source: 'ecs', objectParent: 'labels' });
    expect(schema.lookup('container.labels.app')).toMatchObject({ type: 'keyword', objectParent: 'container.labels' });
  });

  it('reports object paths, explicit and implied', () => {
    expect(schema.lookup('dns.answers')).toMatchObject({ type: 'object', family: 'object', source: 'ecs' });
    expect(schema.lookup('dns.answers')?.implicit).toBeUndefined();
    expect(schema.lookup('host')).toMatchObject({ type: 'object', family: 'object', implicit: true });
    expect(schema.lookup('aws.cloudtrail')).toMatchObject({ family: 'object', source: 'pack', implicit: true });
    expect(schema.lookup('aws.cloudtrail.flattened')).toMatchObject({ family: 'object', implicit: true });
  });

  it('leaves unknown fields to the caller', () => {
    expect(schema.lookup('no.such.field')).toBeUndefined();
    expect(schema.lookup('')).toBeUndefined();
    // Below a mapped leaf (that is not a multi-field) nothing exists.
    expect(schema.lookup('event.action.keyword')).toBeUndefined();
    expect(schema.lookup('aws.cloudtrail.request_parameters.modelId')).toBeUndefined();
    // Below an object without an object_type, only mapped names exist.
    expect(schema.lookup('dns.answers.nope')).toBeUndefined();
    expect(schema.lookup('constructor')).toBeUndefined();
    expect(schema.lookup('__proto__')).toBeUndefined();
  });

  it('lets extra fields override packs and ECS', () => {
    const custom = createFieldSchema({ extraFields: { 'event.action': 'text', 'app.score': 'long', 'aws.cloudtrail.read_only': 'keyword' } });
    expect(custom.lookup('event.action')).toMatchObject({ type: 'text', family: 'text', source: 'extra' });
    expect(custom.lookup('app.score')).toMatchObject({ family: 'number', source: 'extra' });
    expect(custom.lookup('app')).toMatchObject({ family: 'object', source: 'extra', implicit: true });
    expect(custom.lookup('aws.cloudtrail.read_only')).toMatchObject({ type: 'keyword', source: 'extra' });
    expect(custom.lookup('source.ip')?.source).toBe('ecs');
    expect(custom.names()).toContain('app.score');
    // The base schema is untouched.
    expect(schema.lookup('event.action')?.type).toBe('keyword');
    expect(schema.lookup('app.score')).toBeUndefined();
  });

  it('lets an extra field stop a flattened parent from applying', () => {
    const custom = createFieldSchema({ extraFields: { 'aws.cloudtrail.flattened.request_parameters': 'keyword' } });
    expect(custom.lookup('aws.cloudtrail.flattened.request_parameters.modelId')).toBeUndefined();
    const flattened = createFieldSchema({ extraFields: { 'app.payload': 'flattened' } });
    expect(flattened.lookup('app.payload.a.b')).toMatchObject({ type: 'keyword', source: 'extra', flattenedParent: 'app.payload' });
  });

  it('selects sources', () => {
    const none = createFieldSchema({ ecs: false, packs: [] });
    expect(none.lookup('event.action')).toBeUndefined();
    expect(none.names()).toEqual([]);
    const ecsOnly = createFieldSchema({ packs: [] });
    expect(ecsOnly.lookup('aws.cloudtrail.read_only')).toBeUndefined();
    // ECS maps data_stream.* as constant_keyword too, but only the pack knows event.dataset's value.
    expect(ecsOnly.lookup('data_stream.dataset')).toMatchObject({ type: 'constant_keyword', source: 'ecs' });
    expect(ecsOnly.lookup('event.dataset')).toMatchObject({ type: 'keyword', source: 'ecs' });
    expect(() => createFieldSchema({ packs: ['no.such'] })).toThrow(/unknown field pack "no.such"; bundled: aws.cloudtrail/);
  });

  it('accepts pack objects, later packs overriding earlier ones', () => {
    const pack: FieldPack = { package: 'demo', dataset: 'demo.log', fields: { 'demo.count': 'integer', 'aws.cloudtrail.read_only': 'keyword' } };
    const custom = createFieldSchema({ packs: ['aws.cloudtrail', pack] });
    expect(custom.lookup('demo.count')).toMatchObject({ family: 'number', source: 'pack' });
    expect(custom.lookup('aws.cloudtrail.read_only')?.type).toBe('keyword');
    expect(createFieldSchema({ packs: [pack, 'aws.cloudtrail'] }).lookup('aws.cloudtrail.read_only')?.type).toBe('boolean');
  });

  it('is cheap to create: schemas are shared', () => {
    expect(createFieldSchema()).toBe(schema);
    expect(createFieldSchema({ ecs: true, packs: ['aws.cloudtrail'], extraFields: {} })).toBe(schema);
    const a = createFieldSchema({ extraFields: { 'x.y': 'long' } });
    expect(createFieldSchema({ extraFields: { 'x.y': 'long' } })).toBe(a);
    expect(createFieldSchema({ extraFields: { 'x.y': 'keyword' } })).not.toBe(a);
    const start = performance.now();
    for (let i = 0; i < 200; i++) createFieldSchema({ extraFields: { [`f${i}`]: 'long' } }).lookup('event.action');
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('lists concrete names, sorted, without implied objects', () => {
    const names = schema.names();
    expect(names).toContain('event.action');
    expect(names).toContain('process.command_line.text');
    expect(names).toContain('aws.cloudtrail.flattened.request_parameters');
    expect(names).toContain('dns.answers');
    expect(names).not.toContain('host');
    expect(names).not.toContain('aws.cloudtrail');
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect(schema.names()).toBe(names);
  });
});

describe('familyOf', () => {
  it('maps Elasticsearch types to families', () => {
    const cases: Record<string, string> = {
      keyword: 'keyword', constant_keyword: 'keyword', wildcard: 'keyword',
      text: 'text', match_only_text: 'text',
      long: 'number', integer: 'number', short: 'number', byte: 'number', double: 'number', float: 'number',
      half_float: 'number', scaled_float: 'number', unsigned_long: 'number',
      date: 'date', date_nanos: 'date', boolean: 'boolean', ip: 'ip',
      flattened: 'flattened', nested: 'nested', object: 'object', version: 'version',
      geo_point: 'geo', geo_shape: 'geo',
      binary: 'other', alias: 'other', something_new: 'other', constructor: 'other', toString: 'other',
    };
    for (const [type, family] of Object.entries(cases)) expect(familyOf(type), type).toBe(family);
  });
});
