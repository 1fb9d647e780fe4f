import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasesFromMapping, createFieldSchema, fieldsFromMapping } from '../../src/fields/index.js';
import { hasShared, noteSkipped, SHARED_DIR } from '../helpers/shared.js';

/** The shape of an integration data stream's mapping, trimmed: multi-fields, flattened, nested, typed objects. */
const properties = {
  '@timestamp': { type: 'date' },
  message: { type: 'match_only_text' },
  data_stream: {
    properties: {
      dataset: { type: 'constant_keyword', value: 'aws.cloudtrail' },
      namespace: { type: 'constant_keyword' },
    },
  },
  event: {
    properties: {
      action: { type: 'keyword', ignore_above: 1024 },
      category: { type: 'keyword', ignore_above: 1024 },
      ingested: { type: 'date', format: 'strict_date_time_no_millis||strict_date_optional_time||epoch_millis' },
      original: { type: 'keyword', index: false, doc_values: false },
      risk_score: { type: 'float' },
    },
  },
  process: {
    properties: {
      pid: { type: 'long' },
      command_line: { type: 'wildcard', fields: { text: { type: 'match_only_text' } } },
    },
  },
  source: { properties: { ip: { type: 'ip' }, geo: { properties: { location: { type: 'geo_point' } } } } },
  labels: { type: 'object' },
  threat: {
    properties: {
      enrichments: {
        type: 'nested',
        properties: { indicator: { properties: { ip: { type: 'ip' }, type: { type: 'keyword' } } }, matched: { properties: { atomic: { type: 'keyword' } } } },
      },
    },
  },
  aws: {
    properties: {
      cloudtrail: {
        properties: {
          read_only: { type: 'boolean' },
          request_parameters: { type: 'keyword', ignore_above: 8191, fields: { text: { type: 'text' } } },
          flattened: { properties: { request_parameters: { type: 'flattened' } } },
        },
      },
    },
  },
  'host.name': { type: 'keyword' },
  cached: { enabled: false },
};

const flat = {
  '@timestamp': 'date',
  message: 'match_only_text',
  data_stream: 'object',
  'data_stream.dataset': 'constant_keyword',
  'data_stream.namespace': 'constant_keyword',
  event: 'object',
  'event.action': 'keyword',
  'event.category': 'keyword',
  'event.ingested': 'date',
  'event.original': 'keyword',
  'event.risk_score': 'float',
  process: 'object',
  'process.pid': 'long',
  'process.command_line': 'wildcard',
  'process.command_line.text': 'match_only_text',
  source: 'object',
  'source.ip': 'ip',
  'source.geo': 'object',
  'source.geo.location': 'geo_point',
  labels: 'object',
  threat: 'object',
  'threat.enrichments': 'nested',
  'threat.enrichments.indicator': 'object',
  'threat.enrichments.indicator.ip': 'ip',
  'threat.enrichments.indicator.type': 'keyword',
  'threat.enrichments.matched': 'object',
  'threat.enrichments.matched.atomic': 'keyword',
  aws: 'object',
  'aws.cloudtrail': 'object',
  'aws.cloudtrail.read_only': 'boolean',
  'aws.cloudtrail.request_parameters': 'keyword',
  'aws.cloudtrail.request_parameters.text': 'text',
  'aws.cloudtrail.flattened': 'object',
  'aws.cloudtrail.flattened.request_parameters': 'flattened',
  'host.name': 'keyword',
  cached: 'object',
};

describe('fieldsFromMapping', () => {
  it('reads GET _mapping responses, mappings objects and bare properties', () => {
    expect(fieldsFromMapping({ 'logs-aws.cloudtrail-default': { mappings: { properties } } })).toEqual(flat);
    expect(fieldsFromMapping({ mappings: { properties } })).toEqual(flat);
    expect(fieldsFromMapping({ properties })).toEqual(flat);
  });

  it('merges the indices of a GET _mapping response, later ones winning', () => {
    const response = {
      '.ds-logs-a-2024.01.01-000001': { mappings: { properties: { a: { type: 'keyword' }, shared: { type: 'keyword' } } } },
      '.ds-logs-b-2024.01.01-000001': { mappings: { properties: { b: { type: 'long' }, shared: { type: 'text' } } } },
    };
    expect(fieldsFromMapping(response)).toEqual({ a: 'keyword', b: 'long', shared: 'text' });
  });

  it('reads pre-7.0 mappings keyed by a type name', () => {
    expect(fieldsFromMapping({ 'old-index': { mappings: { _doc: { properties: { x: { type: 'integer' } } } } } })).toEqual({ x: 'integer' });
  });

  it('adds runtime fields, which shadow mapped ones', () => {
    const mapping = { mappings: { runtime: { 'event.day': { type: 'keyword', script: { source: 'emit(...)' } }, x: { type: 'long' } }, properties: { x: { type: 'keyword' } } } };
    expect(fieldsFromMapping(mapping)).toEqual({ 'event.day': 'keyword', x: 'long' });
  });

  it('types an alias as the field it points to', () => {
    const mapping = { properties: { event_type: { type: 'keyword' }, event: { properties: { category: { type: 'alias', path: 'event_type' }, dangling: { type: 'alias', path: 'nowhere' } } } } };
    expect(fieldsFromMapping(mapping)).toEqual({ event_type: 'keyword', event: 'object', 'event.category': 'keyword', 'event.dangling': 'alias' });
    expect(aliasesFromMapping(mapping)).toEqual({ 'event.category': 'event_type', 'event.dangling': 'nowhere' });
  });

  it('ignores what is not a mapping', () => {
    for (const junk of ['nonsense', null, undefined, 42, [], {}, { mappings: 'x' }, { properties: { a: 'keyword', b: null } }]) expect(fieldsFromMapping(junk)).toEqual({});
  });

  it('feeds a schema as extra fields', () => {
    const schema = createFieldSchema({ extraFields: fieldsFromMapping({ mappings: { properties: { app: { properties: { score: { type: 'scaled_float', scaling_factor: 100 }, payload: { type: 'flattened' } } } } } }) });
    expect(schema.lookup('app.score')).toMatchObject({ family: 'number', source: 'extra' });
    expect(schema.lookup('app.payload.any.key')).toMatchObject({ family: 'keyword', flattenedParent: 'app.payload' });
    expect(schema.lookup('app')).toMatchObject({ family: 'object', source: 'extra' });
  });
});

const shared = hasShared();
noteSkipped('fieldsFromMapping on Elasticsearch EQL spec mappings');

describe.skipIf(!shared)('fieldsFromMapping on the Elasticsearch EQL spec mappings (shared corpus)', () => {
  const dir = join(SHARED_DIR, 'corpus', 'eql-es', 'data');
  const files = shared ? readdirSync(dir).filter((f) => f.endsWith('.mapping')) : [];
  // Some spec mappings start with `#` comment lines, which Elasticsearch's test loader drops.
  const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8').replace(/^\s*#.*$/gm, ''));

  it('reads every mapping, resolving event.category aliases', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const fields = fieldsFromMapping(read(file));
      expect(Object.keys(fields).length, file).toBeGreaterThan(0);
      for (const type of Object.values(fields)) expect(typeof type).toBe('string');
    }
    const sample1 = fieldsFromMapping(read('sample1.mapping'));
    expect(sample1).toMatchObject({ ip: 'ip', version: 'version', event_type: 'keyword', event: 'object', 'event.category': 'keyword', uptime: 'long', bool: 'boolean' });
  });
});
