import { describe, expect, it } from 'vitest';
import { createFieldSchema, familyOf, fieldsFromMapping } from '../../src/fields/index.js';

describe('the field schema', () => {
  const schema = createFieldSchema();
  it('knows ECS types', () => {
    expect(schema.lookup('event.action')).toMatchObject({ type: 'keyword', family: 'keyword', source: 'ecs' });
    expect(schema.lookup('message')).toMatchObject({ type: 'match_only_text', family: 'text' });
    expect(schema.lookup('@timestamp')?.family).toBe('date');
    expect(schema.lookup('source.ip')?.family).toBe('ip');
    expect(schema.lookup('process.command_line')?.type).toBe('wildcard');
    expect(schema.lookup('process.command_line.text')?.family).toBe('text');
    expect(schema.lookup('http.response.status_code')?.family).toBe('number');
  });
  it('knows the bundled AWS CloudTrail fields', () => {
    expect(schema.lookup('aws.cloudtrail.read_only')).toMatchObject({ type: 'boolean', source: 'pack' });
    expect(schema.lookup('data_stream.dataset')).toMatchObject({ type: 'constant_keyword', family: 'keyword' });
    expect(schema.lookup('aws.cloudtrail.flattened.request_parameters')?.family).toBe('flattened');
    expect(schema.lookup('aws.cloudtrail.flattened.request_parameters.modelId')).toMatchObject({
      type: 'keyword',
      family: 'keyword',
      flattenedParent: 'aws.cloudtrail.flattened.request_parameters',
    });
  });
  it('leaves unknown fields to the caller', () => {
    expect(schema.lookup('no.such.field')).toBeUndefined();
  });
  it('lets extra fields override', () => {
    const custom = createFieldSchema({ extraFields: { 'event.action': 'text', 'app.score': 'long' } });
    expect(custom.lookup('event.action')).toMatchObject({ family: 'text', source: 'extra' });
    expect(custom.lookup('app.score')?.family).toBe('number');
    expect(createFieldSchema({ ecs: false, packs: [] }).lookup('event.action')).toBeUndefined();
  });
  it('suggests close names', () => {
    expect(schema.suggest('evnt.action')[0]).toBe('event.action');
    expect(schema.suggest('aws.cloudtrail.user_identity.acess_key_id')[0]).toBe('aws.cloudtrail.user_identity.access_key_id');
  });
  it('maps every type to a family', () => {
    expect(familyOf('scaled_float')).toBe('number');
    expect(familyOf('constant_keyword')).toBe('keyword');
    expect(familyOf('something_new')).toBe('other');
  });
});

describe('fieldsFromMapping', () => {
  const properties = {
    '@timestamp': { type: 'date' },
    host: { properties: { name: { type: 'keyword', fields: { text: { type: 'text' } } }, ip: { type: 'ip' } } },
    deltas: { type: 'nested', properties: { action: { type: 'keyword' } } },
  };
  const flat = { '@timestamp': 'date', host: 'object', 'host.name': 'keyword', 'host.name.text': 'text', 'host.ip': 'ip', deltas: 'nested', 'deltas.action': 'keyword' };
  it('reads GET _mapping responses, mappings objects and bare properties', () => {
    expect(fieldsFromMapping({ 'logs-1': { mappings: { properties } } })).toEqual(flat);
    expect(fieldsFromMapping({ mappings: { properties } })).toEqual(flat);
    expect(fieldsFromMapping({ properties })).toEqual(flat);
    expect(fieldsFromMapping('nonsense')).toEqual({});
  });
});
