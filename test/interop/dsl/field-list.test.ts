import { describe, expect, it } from 'vitest';
import { readFieldList } from '../../../src/interop/dsl/field-list.js';
import { STUB_FIELDS } from './helpers.js';

describe('readFieldList', () => {
  it('reads an array of field specs, keeping order and only the properties the conversion uses', () => {
    const r = readFieldList([{ name: 'a', type: 'string', searchable: true, esTypes: ['keyword'] }, { name: 'b', type: 'date' }]);
    expect(r).toEqual({ ok: true, fields: [{ name: 'a', type: 'string', esTypes: ['keyword'] }, { name: 'b', type: 'date' }] });
  });

  it('reads {fields: [...]} (Kibana’s fields-for-wildcard shape) and the stub data view file shape', () => {
    const r = readFieldList({ source: 'x', fields: STUB_FIELDS });
    expect(r.ok && r.fields).toEqual(STUB_FIELDS);
  });

  it('reads the data views API shape: fields keyed by name, under data_view', () => {
    const r = readFieldList({ data_view: { title: 'logs-*', fields: { 'host.name': { type: 'string', esTypes: ['keyword'] } } } });
    expect(r).toEqual({ ok: true, fields: [{ name: 'host.name', type: 'string', esTypes: ['keyword'] }] });
  });

  it('reads scripted and nested fields', () => {
    const r = readFieldList([
      { name: 's', type: 'number', scripted: true, script: '1', lang: 'painless' },
      { name: 'n.c', type: 'string', subType: { nested: { path: 'n' } } },
    ]);
    expect(r.ok && r.fields[1].subType).toEqual({ nested: { path: 'n' } });
  });

  it('says what is wrong and where', () => {
    expect(readFieldList('x')).toMatchObject({ ok: false, error: /array of fields/ });
    expect(readFieldList({ title: 'x' })).toMatchObject({ ok: false, error: /"fields"/ });
    expect(readFieldList([{ type: 'string' }])).toMatchObject({ ok: false, error: /fields\[0\]: "name"/ });
    expect(readFieldList([{ name: 'a' }])).toMatchObject({ ok: false, error: /\(a\): "type"/ });
    expect(readFieldList([{ name: 'a', type: 'string', esTypes: 'keyword' }])).toMatchObject({ ok: false, error: /esTypes/ });
    expect(readFieldList([{ name: 'a', type: 'string', scripted: true }])).toMatchObject({ ok: false, error: /script/ });
    expect(readFieldList([{ name: 'a', type: 'string', subType: { nested: 'p' } }])).toMatchObject({ ok: false, error: /subType\.nested/ });
  });
});
