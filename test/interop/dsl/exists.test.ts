import { describe, expect, it } from 'vitest';
import { existsQuery } from '../../../src/interop/dsl/exists.js';
import { dsl, json, should } from './helpers.js';

describe('exists → DSL', () => {
  it('is a bare exists query on the field', () => {
    expect(json(existsQuery('response'))).toBe('{"exists":{"field":"response"}}');
  });

  it('is what field: * becomes, inside the usual should wrapper', () => {
    expect(json(dsl('response: *'))).toBe(json(should({ exists: { field: 'response' } })));
    expect(json(dsl('p:{ response: * }'))).toBe(json({ nested: { path: 'p', query: should({ exists: { field: 'p.response' } }), score_mode: 'none' } }));
  });

  it('a quoted star is a phrase, not an exists test', () => {
    expect(json(dsl('response: "*"'))).toBe(json(should({ match_phrase: { response: '*' } })));
  });
});
