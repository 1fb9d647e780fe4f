import { describe, expect, it } from 'vitest';
import { dsl, dslWithFields, failures, json, should } from './helpers.js';

describe('range → DSL', () => {
  it('one range clause per field, always in a bool should, the bound as written', () => {
    expect(json(dslWithFields('bytes > 1000'))).toBe(json(should({ range: { bytes: { gt: '1000' } } })));
    expect(json(dsl('bytes > 1000'))).toBe(json(should({ range: { bytes: { gt: '1000' } } })));
  });

  it('maps each operator', () => {
    expect(json(dsl('a < 1'))).toBe(json(should({ range: { a: { lt: '1' } } })));
    expect(json(dsl('a <= 1'))).toBe(json(should({ range: { a: { lte: '1' } } })));
    expect(json(dsl('a >= 1'))).toBe(json(should({ range: { a: { gte: '1' } } })));
    expect(json(dsl('a>1'))).toBe(json(should({ range: { a: { gt: '1' } } })));
  });

  it('quoted, typed and wildcard bounds keep Kibana’s values', () => {
    expect(json(dsl('a > "x y"'))).toBe(json(should({ range: { a: { gt: 'x y' } } })));
    expect(json(dsl('a > true'))).toBe(json(should({ range: { a: { gt: true } } })));
    expect(json(dsl('a > 10*'))).toBe(json(should({ range: { a: { gt: '10*' } } })));
  });

  it('a wildcard field name expands against the data view', () => {
    expect(json(dslWithFields('byt* > 1000'))).toBe(json(should({ range: { bytes: { gt: '1000' } } })));
  });

  it('date fields get the configured time zone, except for epoch millis', () => {
    expect(json(dslWithFields('@timestamp > "2018-01-03T19:04:17"'))).toBe(json(should({ range: { '@timestamp': { gt: '2018-01-03T19:04:17' } } })));
    expect(json(dslWithFields('@timestamp > "2018-01-03T19:04:17"', { dateFormatTZ: 'America/Phoenix' }))).toBe(
      json(should({ range: { '@timestamp': { gt: '2018-01-03T19:04:17', time_zone: 'America/Phoenix' } } })),
    );
    expect(json(dslWithFields('@timestamp > 1776338120239', { dateFormatTZ: 'America/Phoenix' }))).toBe(
      json(should({ range: { '@timestamp': { gt: '1776338120239' } } })),
    );
    expect(json(dslWithFields('@timestamp >= now-1d', { dateFormatTZ: 'UTC' }))).toBe(json(should({ range: { '@timestamp': { gte: 'now-1d', time_zone: 'UTC' } } })));
    // Without a data view nothing is known to be a date.
    expect(json(dsl('@timestamp > "2018-01-03"', { dateFormatTZ: 'UTC' }))).toBe(json(should({ range: { '@timestamp': { gt: '2018-01-03' } } })));
  });

  it('scripted fields become script queries (expression and painless, number and date)', () => {
    expect(json(dslWithFields('script number > 1000'))).toBe(
      json(should({ script: { script: { source: '(1234)>gt', params: { gt: 1000 }, lang: 'expression' } } })),
    );
    expect(json(dslWithFields('script date <= "2020-01-01T00:00:00Z"'))).toBe(
      json(
        should({
          script: {
            script: {
              source: 'boolean lte(Supplier s, def v) {return !s.get().toInstant().isAfter(Instant.parse(v))}lte(() -> { 1234 }, params.lte)',
              params: { lte: '2020-01-01T00:00:00Z' },
              lang: 'painless',
            },
          },
        }),
      ),
    );
    const fields = [{ name: 'n', type: 'number', scripted: true, script: 'doc.x.value', lang: 'painless' }];
    expect(json(dsl('n < 5.5', { fields }))).toBe(
      json(should({ script: { script: { source: 'boolean lt(Supplier s, def v) {return s.get() < v}lt(() -> { doc.x.value }, params.lt)', params: { lt: 5.5 }, lang: 'painless' } } })),
    );
  });

  it('a nested context prefixes the field; a wildcard name reaching a nested field gets a nested query', () => {
    expect(json(dslWithFields('bytes > 1000', { nestedPath: 'nestedField' }))).toBe(json(should({ range: { 'nestedField.bytes': { gt: '1000' } } })));
    const inner = { range: { 'nestedField.nestedChild.doublyNestedChild': { lt: '8000' } } };
    expect(json(dslWithFields('*doublyNested* < 8000'))).toBe(json(should({ nested: { path: 'nestedField.nestedChild', query: inner, score_mode: 'none' } })));
    expect(json(dslWithFields('*doublyNested* < 8000', { nestedIgnoreUnmapped: false }))).toBe(
      json(should({ nested: { path: 'nestedField.nestedChild', query: inner, score_mode: 'none', ignore_unmapped: false } })),
    );
  });

  it('a nested field outside its group is an error', () => {
    expect(failures('nestedField.child > 1', { fields: nestedFieldOnly() })[0].code).toBe('dsl/nested-field');
  });

  it('a field literally named null is a range on "null", not free text', () => {
    expect(json(dsl('null > 5'))).toBe(json(should({ range: { null: { gt: '5' } } })));
  });
});

function nestedFieldOnly() {
  return [{ name: 'nestedField.child', type: 'string', subType: { nested: { path: 'nestedField' } } }];
}
