import { describe, expect, it } from 'vitest';
import { dsl, dslWithFields, failures, json, should, STUB_FIELDS } from './helpers.js';

describe('is → DSL: match everything and free text', () => {
  it('an empty or blank query, and *:*, match everything (no bool wrapper)', () => {
    for (const q of ['', '   ', '*:*', ' * : * ']) {
      expect(json(dsl(q))).toBe('{"match_all":{}}');
      expect(json(dslWithFields(q))).toBe('{"match_all":{}}');
    }
  });

  it('free text is a lenient multi_match over the default fields; quoting makes it a phrase', () => {
    expect(json(dslWithFields('200'))).toBe('{"multi_match":{"type":"best_fields","query":"200","lenient":true}}');
    expect(json(dsl('"Accepted password"'))).toBe('{"multi_match":{"type":"phrase","query":"Accepted password","lenient":true}}');
  });

  it('free text keeps typed literals typed', () => {
    expect(json(dsl('true'))).toBe('{"multi_match":{"type":"best_fields","query":true,"lenient":true}}');
    expect(json(dsl('null'))).toBe('{"multi_match":{"type":"best_fields","query":null,"lenient":true}}');
    expect(json(dsl('"true"'))).toBe('{"multi_match":{"type":"phrase","query":"true","lenient":true}}');
  });

  it('free text with a wildcard is a query_string with the reserved characters escaped', () => {
    expect(json(dsl('jpg*'))).toBe('{"query_string":{"query":"jpg*"}}');
    expect(json(dsl('*'))).toBe('{"query_string":{"query":"*"}}');
    expect(json(dsl('a/b-c*'))).toBe('{"query_string":{"query":"a\\\\/b\\\\-c*"}}');
  });

  it('a field literally named null is free text, as in Kibana', () => {
    expect(json(dsl('null: foo'))).toBe(json(dsl('foo')));
  });
});

describe('is → DSL: one field', () => {
  it('match for an unquoted value, match_phrase for a quoted one, with or without a data view', () => {
    expect(json(dslWithFields('extension:jpg'))).toBe(json(should({ match: { extension: 'jpg' } })));
    expect(json(dsl('extension:jpg'))).toBe(json(should({ match: { extension: 'jpg' } })));
    expect(json(dslWithFields('extension:"jpg"'))).toBe(json(should({ match_phrase: { extension: 'jpg' } })));
  });

  it('numerals stay strings and booleans stay booleans', () => {
    expect(json(dsl('bytes: 070'))).toBe(json(should({ match: { bytes: '070' } })));
    expect(json(dsl('ssl: false'))).toBe(json(should({ match: { ssl: false } })));
  });

  it('a field the data view lacks is sent as written', () => {
    expect(json(dslWithFields('response:200'))).toBe(json(should({ match: { response: '200' } })));
  });

  it('field: * is an exists query', () => {
    expect(json(dslWithFields('extension:*'))).toBe(json(should({ exists: { field: 'extension' } })));
    expect(json(dsl('extension: *'))).toBe(json(should({ exists: { field: 'extension' } })));
  });

  it('a typed literal field name stays typed where the name is a value', () => {
    expect(json(dsl('true: *'))).toBe(json(should({ exists: { field: true } })));
    expect(json(dsl('true: x'))).toBe(json(should({ match: { true: 'x' } })));
  });

  it('a wildcard value on a non-keyword field is a query_string on that field', () => {
    expect(json(dslWithFields('extension:jpg*'))).toBe(json(should({ query_string: { fields: ['extension'], query: 'jpg*' } })));
    expect(json(dsl('process.args:foo/bar*'))).toBe(json(should({ query_string: { fields: ['process.args'], query: 'foo\\/bar*' } })));
  });

  it('an escaped star stays literal next to a real wildcard; whitespace is not escaped', () => {
    expect(json(dsl('a:b\\*c*'))).toBe(json(should({ query_string: { fields: ['a'], query: 'b\\*c*' } })));
    expect(json(dsl('field: *S3 Browser*'))).toBe(json(should({ query_string: { fields: ['field'], query: '*S3 Browser*' } })));
  });

  it('two stars are not the exists form', () => {
    expect(json(dsl('a: **'))).toBe(json(should({ query_string: { fields: ['a'], query: '**' } })));
  });

  it('a wildcard value on a keyword field is a wildcard query, backslashes re-escaped', () => {
    expect(json(dslWithFields('machine.os.keyword:win*'))).toBe(json(should({ wildcard: { 'machine.os.keyword': { value: 'win*' } } })));
    expect(json(dslWithFields('machine.os.keyword:*\\\\*'))).toBe(json(should({ wildcard: { 'machine.os.keyword': { value: '*\\\\*' } } })));
  });

  it('case_insensitive is written whenever the option is set, false included', () => {
    expect(json(dslWithFields('machine.os.keyword:win*', { caseInsensitive: true }))).toBe(
      json(should({ wildcard: { 'machine.os.keyword': { value: 'win*', case_insensitive: true } } })),
    );
    expect(json(dslWithFields('machine.os.keyword:win*', { caseInsensitive: false }))).toBe(
      json(should({ wildcard: { 'machine.os.keyword': { value: 'win*', case_insensitive: false } } })),
    );
    // Only keyword fields take it: a query_string has no such parameter.
    expect(json(dslWithFields('extension:jpg*', { caseInsensitive: true }))).toBe(json(should({ query_string: { fields: ['extension'], query: 'jpg*' } })));
  });

  it('a concrete value on a keyword field is a term query, quoted or not', () => {
    expect(json(dslWithFields('machine.os.keyword:Win 7'))).toBe(json(should({ term: { 'machine.os.keyword': { value: 'Win 7' } } })));
    expect(json(dslWithFields('machine.os.keyword:"Win 7"', { caseInsensitive: true }))).toBe(
      json(should({ term: { 'machine.os.keyword': { value: 'Win 7', case_insensitive: true } } })),
    );
  });

  it('a field is keyword only when keyword is its one mapping type', () => {
    const fields = [{ name: 'k', type: 'string', esTypes: ['keyword', 'text'] }];
    expect(json(dsl('k: v', { fields }))).toBe(json(should({ match: { k: 'v' } })));
  });

  it('an exact date is the range [value, value], with the configured time zone unless it is epoch millis', () => {
    expect(json(dslWithFields('@timestamp:"2018-04-03T19:04:17"'))).toBe(
      json(should({ range: { '@timestamp': { gte: '2018-04-03T19:04:17', lte: '2018-04-03T19:04:17' } } })),
    );
    expect(json(dslWithFields('@timestamp:"2018-04-03T19:04:17"', { dateFormatTZ: 'America/Phoenix' }))).toBe(
      json(should({ range: { '@timestamp': { gte: '2018-04-03T19:04:17', lte: '2018-04-03T19:04:17', time_zone: 'America/Phoenix' } } })),
    );
    expect(json(dslWithFields('@timestamp:1776338120239', { dateFormatTZ: 'America/Phoenix' }))).toBe(
      json(should({ range: { '@timestamp': { gte: '1776338120239', lte: '1776338120239' } } })),
    );
  });

  it('dateFormatTZ Browser means the local time zone', () => {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(json(dslWithFields('@timestamp:"2018-04-03"', { dateFormatTZ: 'Browser' }))).toBe(
      json(should({ range: { '@timestamp': { gte: '2018-04-03', lte: '2018-04-03', time_zone: local } } })),
    );
  });

  it('a wildcard value on a date field is still a query_string', () => {
    expect(json(dslWithFields('@timestamp:2018*'))).toBe(json(should({ query_string: { fields: ['@timestamp'], query: '2018*' } })));
  });
});

describe('is → DSL: scripted fields', () => {
  it('a painless scripted field becomes a script query comparing the script result', () => {
    const painless =
      'boolean compare(Supplier s, def v) {if(s.get() instanceof List){List list = s.get(); for(def k : list){if(k==v){return true;}}return false;}else{return s.get() == v;}}' +
      'compare(() -> { 1234 }, params.value);';
    expect(json(dslWithFields('script string: foo'))).toBe(
      json(should({ script: { script: { source: painless, lang: 'painless', params: { value: 'foo' } } } })),
    );
  });

  it('an expression scripted number field compares numbers', () => {
    expect(json(dslWithFields('script number: 42'))).toBe(
      json(should({ script: { script: { source: '(1234) == value', lang: 'expression', params: { value: 42 } } } })),
    );
  });

  it('a scripted boolean field takes only true and false', () => {
    const fields = [{ name: 'flag', type: 'boolean', scripted: true, script: 'doc.x', lang: 'painless' }];
    expect(json((dsl('flag: "true"', { fields }) as { bool: { should: { script: { script: { params: unknown } } }[] } }).bool.should[0].script.script.params)).toBe(
      '{"value":true}',
    );
    const [d] = failures('flag: maybe', { fields });
    expect(d.code).toBe('dsl/script-value');
    expect(d.message).toMatch(/flag/);
  });

  it('exists on scripted fields yields no clause, and drops the clauses gathered before (Kibana quirk)', () => {
    expect(json(dslWithFields('script number: *'))).toBe(json(should()));
    // ssl comes first in the data view, then the three scripted fields: Kibana ends with no clause at all.
    expect(json(dslWithFields('s*: *'))).toBe(json(should()));
  });

  it('a scripted field before other fields in an exists test is a conversion failure, as it is in Kibana', () => {
    const fields = [
      { name: 'sa', type: 'number', scripted: true, script: '1', lang: 'painless' },
      { name: 'sb', type: 'number' },
    ];
    const [d] = failures('s*: *', { fields });
    expect(d.code).toBe('dsl/kibana-failure');
    expect(d.line).toBe(1);
    expect(d.column).toBe(1);
  });
});

describe('is → DSL: field-name wildcards and nested fields', () => {
  it('a wildcard name expands to every matching field, in data view order', () => {
    expect(json(dslWithFields('ext*:jpg'))).toBe(json(should({ match: { extension: 'jpg' } })));
    expect(json(dslWithFields('machine.os*:win'))).toBe(
      json(should({ match: { 'machine.os': 'win' } }, { match: { 'machine.os.raw': 'win' } }, { term: { 'machine.os.keyword': { value: 'win' } } })),
    );
  });

  it('* as the field name covers every field, scripted ones included', () => {
    const result = dslWithFields('*:200') as { bool: { should: unknown[] } };
    expect(result.bool.should).toHaveLength(STUB_FIELDS.length);
  });

  it('a wildcard name matching nothing is sent with its stars', () => {
    expect(json(dslWithFields('nothing*:x'))).toBe(json(should({ match: { 'nothing*': 'x' } })));
    expect(json(dsl('machine*:osx'))).toBe(json(should({ match: { 'machine*': 'osx' } })));
  });

  it('a wildcard name covering a nested field wraps that clause in a nested query', () => {
    const inner = { match: { 'nestedField.nestedChild.doublyNestedChild': 'foo' } };
    expect(json(dslWithFields('*doublyNested*:foo'))).toBe(json(should({ nested: { path: 'nestedField.nestedChild', query: inner, score_mode: 'none' } })));
    expect(json(dslWithFields('*doublyNested*:foo', { nestedIgnoreUnmapped: true }))).toBe(
      json(should({ nested: { path: 'nestedField.nestedChild', query: inner, score_mode: 'none', ignore_unmapped: true } })),
    );
    expect(json(dslWithFields('*doublyNested*:*'))).toBe(
      json(should({ nested: { path: 'nestedField.nestedChild', query: { exists: { field: 'nestedField.nestedChild.doublyNestedChild' } }, score_mode: 'none' } })),
    );
  });

  it('a nested context prefixes the field name', () => {
    expect(json(dslWithFields('extension:jpg', { nestedPath: 'nestedField' }))).toBe(json(should({ match: { 'nestedField.extension': 'jpg' } })));
  });

  it('a nested field queried outside its nested group is an error naming the field and its path', () => {
    const [d] = failures('nestedField.child: x', { fields: STUB_FIELDS });
    expect(d.code).toBe('dsl/nested-field');
    expect(d.message).toMatch(/nestedField\.child/);
    expect(d.message).toMatch(/nestedField\b/);
    expect(d.column).toBe(1);
    expect(d.endColumn).toBe(18);
  });

  it('without a data view nothing is checked', () => {
    expect(json(dsl('nestedField.child: x'))).toBe(json(should({ match: { 'nestedField.child': 'x' } })));
  });
});
