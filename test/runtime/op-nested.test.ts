import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('nested queries', () => {
  const deltas = { deltas: [{ action: 'ADD', role: 'roles/target' }, { action: 'REMOVE', role: 'roles/other' }] };
  it('need one object to satisfy the whole inner query', () => {
    expect(kql('deltas:{ action:ADD and role:"roles/target" }')(deltas)).toBe(true);
    expect(kql('deltas:{ action:ADD and role:"roles/other" }')(deltas)).toBe(false);
  });
  it('differ from plain dotted access, which matches across objects', () => {
    expect(kql('deltas.action:ADD and deltas.role:"roles/other"')(deltas)).toBe(true);
  });
  it('nest inside nested', () => {
    const e = { top: [{ b: 2, middle: [{ c: true }] }, { b: 3 }] };
    expect(kql('top:{ b:2 and middle:{ c:true } }')(e)).toBe(true);
    expect(kql('top:{ b:3 and middle:{ c:true } }')(e)).toBe(false);
  });
  it('work on a single object too', () => {
    expect(kql('user:{ name: a }')({ user: { name: 'a' } })).toBe(true);
  });
});
