import { describe, expect, it } from 'vitest';
import { EQL_FUNCTIONS } from '../../src/runtime/match/eql-functions.js';

const f = (name: string, ...args: (string | number | boolean | null)[]) => EQL_FUNCTIONS[name](args, false);
const fi = (name: string, ...args: (string | number | boolean | null)[]) => EQL_FUNCTIONS[name](args, true);

describe('EQL functions', () => {
  it('arithmetic, with integer division and null propagation', () => {
    expect(f('add', 1, 2)).toBe(3);
    expect(f('subtract', 1, 5)).toBe(-4);
    expect(f('multiply', 3, 0.5)).toBe(1.5);
    expect(f('divide', 7, 2)).toBe(3);
    expect(f('divide', -7, 2)).toBe(-3);
    expect(f('divide', 7, 0)).toBeNull();
    expect(f('modulo', 7, 3)).toBe(1);
    expect(f('add', null, 1)).toBeNull();
  });
  it('between, greedy and case-insensitive', () => {
    expect(f('between', 'welcome to event query language', ' ', ' ')).toBe('to');
    expect(f('between', 'welcome to event query language', ' ', ' ', true)).toBe('to event query');
    expect(f('between', 'System Idle Process', 's', 'e')).toBe('t');
    expect(fi('between', 'System Idle Process', 's', 'e')).toBe('yst');
    expect(f('between', 'abc', 'x', 'c')).toBe('');
  });
  it('cidrMatch', () => {
    expect(f('cidrmatch', '10.6.48.157', '10.0.0.0/8')).toBe(true);
    expect(f('cidrmatch', '10.6.48.157', '192.168.0.0/16', '10.6.48.157/32')).toBe(true);
    expect(f('cidrmatch', '10.6.48.157', '192.168.0.0/16')).toBe(false);
    expect(f('cidrmatch', null, '10.0.0.0/8')).toBeNull();
  });
  it('string functions', () => {
    expect(f('concat', 'a', 1, true)).toBe('a1true');
    expect(f('concat', 'a', null)).toBeNull();
    expect(f('startswith', 'regsvr32.exe', 'regsvr32')).toBe(true);
    expect(fi('startswith', 'regsvr32.exe', 'REGSVR32')).toBe(true);
    expect(f('endswith', 'regsvr32.exe', '.EXE')).toBe(false);
    expect(f('stringcontains', 'hello', 'ell')).toBe(true);
    expect(f('indexof', 'explorer.exe', 'plore')).toBe(2);
    expect(f('indexof', 'explorer.exe', 'x', 2)).toBe(10);
    expect(f('indexof', 'explorer.exe', 'zz')).toBeNull();
    // Java's String.indexOf: past the end only the empty string is found, at the end.
    expect(f('indexof', 'abc', '', 5)).toBe(3);
    expect(f('indexof', 'abc', 'c', 5)).toBeNull();
    expect(f('length', 'abc')).toBe(3);
    expect(f('string', 42)).toBe('42');
  });
  it('number parses decimal, hex and bases', () => {
    expect(f('number', '1.5')).toBe(1.5);
    expect(f('number', ' 42 ')).toBe(42);
    expect(f('number', '0x1F')).toBe(31);
    expect(f('number', '-0x10')).toBe(-16);
    expect(f('number', '101', 2)).toBe(5);
    expect(f('number', 'abc')).toBeNull();
  });
  it('substring uses Python slice semantics', () => {
    expect(f('substring', 'start regsvr32.exe', -4)).toBe('.exe');
    expect(f('substring', 'start regsvr32.exe', 6, -4)).toBe('regsvr32');
    expect(f('substring', 'abc', 5)).toBe('');
    expect(f('substring', 'abc', 2, 1)).toBe('');
  });
});
