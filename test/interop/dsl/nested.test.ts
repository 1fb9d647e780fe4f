import { describe, expect, it } from 'vitest';
import { dsl, dslWithFields, failures, json, should } from './helpers.js';

describe('nested → DSL', () => {
  it('wraps the inner query in one nested query, field names resolved under the path', () => {
    const result = dslWithFields('nestedField:{ child:foo }') as { nested: { path: string; score_mode: string; query: unknown } };
    expect(Object.keys(result)).toEqual(['nested']);
    expect(result.nested.path).toBe('nestedField');
    expect(result.nested.score_mode).toBe('none');
    // The inner query is what the full field name converts to on its own (without a data view to object).
    expect(json(result.nested.query)).toBe(json(dsl('nestedField.child:foo')));
    expect(json(result)).toBe(json({ nested: { path: 'nestedField', query: should({ match: { 'nestedField.child': 'foo' } }), score_mode: 'none' } }));
  });

  it('nested groups nest, each path extending the outer one', () => {
    expect(json(dslWithFields('nestedField:{ nestedChild:{ doublyNestedChild:foo } }'))).toBe(
      json({
        nested: {
          path: 'nestedField',
          query: {
            nested: {
              path: 'nestedField.nestedChild',
              query: should({ match: { 'nestedField.nestedChild.doublyNestedChild': 'foo' } }),
              score_mode: 'none',
            },
          },
          score_mode: 'none',
        },
      }),
    );
  });

  it('writes ignore_unmapped when the option is set', () => {
    expect(json(dsl('p:{ a:1 }', { nestedIgnoreUnmapped: true }))).toBe(
      json({ nested: { path: 'p', query: should({ match: { 'p.a': '1' } }), score_mode: 'none', ignore_unmapped: true } }),
    );
  });

  it('inside a group, wildcard names are checked and never auto-wrapped again', () => {
    expect(json(dslWithFields('nestedField:{ chi*:foo }'))).toBe(
      json({ nested: { path: 'nestedField', query: should({ match: { 'nestedField.child': 'foo' } }), score_mode: 'none' } }),
    );
    // nestedField.* also reaches the doubly nested field, whose path is another one.
    expect(failures('nestedField:{ *:foo }', { fields: nestedFields() })[0].code).toBe('dsl/nested-field');
  });

  it('rejects a plain field in a group and a field in the wrong group', () => {
    const plain = failures('machine:{ os:foo }', { fields: nestedFields() });
    expect(plain[0].code).toBe('dsl/nested-field');
    expect(plain[0].message).toMatch(/machine\.os/);
    const wrong = failures('nestedField:{ nestedChild.doublyNestedChild:foo }', { fields: nestedFields() });
    expect(wrong[0].message).toMatch(/nestedField\.nestedChild\b/);
  });

  it('and/or/not and ranges inside a group all see the path; match_all stays match_all', () => {
    expect(json(dsl('p:{ a:1 and not b > 2 }'))).toBe(
      json({
        nested: {
          path: 'p',
          query: { bool: { filter: [should({ match: { 'p.a': '1' } }), { bool: { must_not: should({ range: { 'p.b': { gt: '2' } } }) } }] } },
          score_mode: 'none',
        },
      }),
    );
    expect(json(dsl('p:{ *:* }'))).toBe(json({ nested: { path: 'p', query: { match_all: {} }, score_mode: 'none' } }));
  });

  it('free text inside a group names the field "path.null", as Kibana does', () => {
    expect(json(dsl('p:{ foo }'))).toBe(json({ nested: { path: 'p', query: should({ match: { 'p.null': 'foo' } }), score_mode: 'none' } }));
  });
});

function nestedFields() {
  return [
    { name: 'machine.os', type: 'string' },
    { name: 'nestedField.child', type: 'string', subType: { nested: { path: 'nestedField' } } },
    { name: 'nestedField.nestedChild.doublyNestedChild', type: 'string', subType: { nested: { path: 'nestedField.nestedChild' } } },
  ];
}
