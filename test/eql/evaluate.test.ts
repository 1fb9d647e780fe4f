import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { eqlMatcher } from './helpers.js';

describe('EQL event queries at run time', () => {
  const cmd = { event: { category: ['process'] }, process: { name: 'CMD.exe', pid: 4, args: ['/c', 'whoami'] } };
  it('filter on the category field (any value of an array)', () => {
    expect(eqlMatcher('process where true')(cmd)).toBe(true);
    expect(eqlMatcher('file where true')(cmd)).toBe(false);
    expect(eqlMatcher('any where true')({})).toBe(true);
    expect(eqlMatcher('x where true', 'event.type')({ event: { type: 'x' } })).toBe(true);
  });
  it('== is case-sensitive, : folds case and takes wildcards', () => {
    expect(eqlMatcher('any where process.name == "cmd.exe"')(cmd)).toBe(false);
    expect(eqlMatcher('any where process.name : "cmd.exe"')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name : ("power*", "c?d.*")')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name like "CMD*"')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name like "cmd*"')(cmd)).toBe(false);
    expect(eqlMatcher('any where process.name like~ "cmd*"')(cmd)).toBe(true);
  });
  it('treat backslashes in patterns as ordinary characters', () => {
    expect(eqlMatcher('any where p : "C:\\\\Windows\\\\*"')({ p: 'c:\\windows\\system32' })).toBe(true);
  });
  it('match regular expressions against whole values', () => {
    expect(eqlMatcher('any where process.name regex "CMD\\\\.[a-z]+"')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name regex "cmd"')(cmd)).toBe(false);
    expect(eqlMatcher('any where process.name regex~ "cmd\\\\..*"')(cmd)).toBe(true);
  });
  it('in, in~ and not in', () => {
    expect(eqlMatcher('any where process.pid in (1, 4)')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name in ("cmd.exe")')(cmd)).toBe(false);
    expect(eqlMatcher('any where process.name in~ ("cmd.exe")')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.name not in ("x")')(cmd)).toBe(true);
  });
  it('compare with == and != null-safely, and propagate null through orderings and functions', () => {
    expect(eqlMatcher('any where not (missing == "x")')(cmd)).toBe(true);
    expect(eqlMatcher('any where missing != "x"')(cmd)).toBe(true);
    expect(eqlMatcher('any where ?missing == ?other')(cmd)).toBe(true);
    expect(eqlMatcher('any where not (missing > 1)')(cmd)).toBe(false);
    expect(eqlMatcher('any where not (missing > 1 and process.pid == 5)')(cmd)).toBe(true);
    expect(eqlMatcher('any where not (length(missing) > 1)')(cmd)).toBe(false);
    expect(eqlMatcher('any where missing == null and process.pid != null')(cmd)).toBe(true);
    expect(eqlMatcher('any where null == (missing > 1)')(cmd)).toBe(true);
  });
  it('evaluate functions and arithmetic', () => {
    expect(eqlMatcher('any where length(process.name) == 7 and process.pid * 2 + 1 == 9')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.pid / 3 == 1 and process.pid / 3.0 > 1.3')(cmd)).toBe(true);
    expect(eqlMatcher('any where endsWith~(process.name, ".EXE") and not endsWith(process.name, ".EXE")')(cmd)).toBe(true);
    expect(eqlMatcher('any where concat(process.name, ":", process.pid) == "CMD.exe:4"')(cmd)).toBe(true);
    expect(eqlMatcher('any where process.args == "whoami" and length(process.args) == 6')(cmd)).toBe(true);
  });
  it('compare strings by code point, case-sensitively', () => {
    expect(eqlMatcher('any where process.name < "cmd"')(cmd)).toBe(true);
  });
});

describe('version fields from the index mapping', () => {
  const mapping = { properties: { version: { type: 'version' }, name: { type: 'keyword' } } };
  const m = (q: string) => {
    const r = compileQuery(q, { language: 'eql', mapping });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    return r.matcher;
  };
  it('order by semantic version, pre-releases before their release', () => {
    expect(m('any where version > "1.2.0"')({ version: '1.10.0' })).toBe(true);
    expect(m('any where name > "1.2.0"')({ name: '1.10.0' })).toBe(false);
    expect(m('any where version < "2.0.0"')({ version: '2.0.0-rc.1' })).toBe(true);
    expect(m('any where version >= "1.0.0-alpha.10"')({ version: '1.0.0-alpha.9' })).toBe(false);
    expect(m('any where version == "1.0.0"')({ version: '1.0.0' })).toBe(true);
  });
});
