import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('term on keyword fields', () => {
  const m = kql('event.action: "ConsoleLogin"');
  it('is exact and case-sensitive', () => {
    expect(m({ event: { action: 'ConsoleLogin' } })).toBe(true);
    expect(m({ event: { action: 'consolelogin' } })).toBe(false);
    expect(m({ event: { action: 'ConsoleLogin2' } })).toBe(false);
  });
  it('reads nested, dotted and mixed shapes alike', () => {
    expect(m({ 'event.action': 'ConsoleLogin' })).toBe(true);
    expect(m({ event: { 'action': 'x' }, 'event.action': 'ConsoleLogin' })).toBe(true);
    expect(kql('a.b.c: 1')({ 'a.b': { c: 1 } })).toBe(true);
    expect(kql('a.b.c: 1')({ a: { 'b.c': 1 } })).toBe(true);
  });
  it('matches when any array element matches, at any level', () => {
    expect(m({ event: { action: ['x', 'ConsoleLogin'] } })).toBe(true);
    expect(m({ event: [{ action: 'x' }, { action: 'ConsoleLogin' }] })).toBe(true);
    expect(m({ event: { action: [] } })).toBe(false);
  });
  it('never matches missing or null', () => {
    expect(m({})).toBe(false);
    expect(m({ event: null })).toBe(false);
    expect(m({ event: { action: null } })).toBe(false);
  });
  it('compares numbers and booleans by their text', () => {
    expect(kql('code: 200')({ code: 200 })).toBe(true);
    expect(kql('code: "200"')({ code: 200 })).toBe(true);
    expect(kql('code: 200.0')({ code: 200 })).toBe(false);
    expect(kql('flag: true')({ flag: true })).toBe(true);
    expect(kql('flag: true')({ flag: 'true' })).toBe(true);
    expect(kql('flag: true')({ flag: 'True' })).toBe(false);
  });
  it('does not read inherited properties', () => {
    expect(kql('constructor: *')({})).toBe(false);
    expect(kql('toString: *')({})).toBe(false);
    expect(kql('a.constructor: *')({ a: {} })).toBe(false);
  });
  it('merges a value list into one set look-up with the same meaning', () => {
    const list = kql('event.action: (A or B or "C")');
    expect(list({ event: { action: 'B' } })).toBe(true);
    expect(list({ event: { action: 'C' } })).toBe(true);
    expect(list({ event: { action: 'D' } })).toBe(false);
  });
  it('needs every listed value for and-lists on arrays', () => {
    const both = kql('tags: (a and b)');
    expect(both({ tags: ['a', 'b'] })).toBe(true);
    expect(both({ tags: ['a'] })).toBe(false);
  });
  it('treats flattened sub-keys as keywords', () => {
    const f = kql('aws.cloudtrail.flattened.request_parameters.modelId: "anthropic.claude-v2"');
    expect(f({ aws: { cloudtrail: { flattened: { request_parameters: { modelId: 'anthropic.claude-v2' } } } } })).toBe(true);
  });
});
