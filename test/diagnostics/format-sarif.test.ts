import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatSarif } from '../../src/diagnostics/format-sarif.js';

interface SarifRegion { startLine: number; startColumn: number; endLine: number; endColumn: number }
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region: SarifRegion } }[];
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version?: string; informationUri?: string; rules: { id: string; shortDescription: { text: string }; helpUri?: string }[] } };
    columnKind?: string;
    results: SarifResult[];
  }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** The SARIF 2.1.0 requirements a code-scanning upload trips over, checked by hand (no schema validator in the project). */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(log)) return ['log is not an object'];
  if (log.version !== '2.1.0') problems.push('version must be "2.1.0"');
  if (typeof log.$schema !== 'string' || !log.$schema.includes('sarif-2.1.0')) problems.push('$schema must name SARIF 2.1.0');
  if (!Array.isArray(log.runs) || log.runs.length === 0) return [...problems, 'runs must be a non-empty array'];
  log.runs.forEach((run: unknown, r) => {
    if (!isObject(run) || !isObject(run.tool) || !isObject(run.tool.driver)) return void problems.push(`runs[${r}].tool.driver missing`);
    const driver = run.tool.driver;
    if (typeof driver.name !== 'string' || driver.name === '') problems.push(`runs[${r}].tool.driver.name must be a non-empty string`);
    const rules = driver.rules === undefined ? [] : driver.rules;
    if (!Array.isArray(rules)) return void problems.push(`runs[${r}].tool.driver.rules must be an array`);
    rules.forEach((rule: unknown, i) => {
      if (!isObject(rule) || typeof rule.id !== 'string') problems.push(`rules[${i}].id must be a string`);
    });
    if (!Array.isArray(run.results)) return void problems.push(`runs[${r}].results must be an array`);
    run.results.forEach((res: unknown, i) => {
      const at = `runs[${r}].results[${i}]`;
      if (!isObject(res)) return void problems.push(`${at} is not an object`);
      if (!isObject(res.message) || typeof res.message.text !== 'string') problems.push(`${at}.message.text must be a string`);
      if (res.level !== undefined && !['none', 'note', 'warning', 'error'].includes(res.level as string)) problems.push(`${at}.level invalid`);
      if (res.ruleIndex !== undefined) {
        const rule = rules[res.ruleIndex as number] as { id?: string } | undefined;
        if (!Number.isInteger(res.ruleIndex) || rule === undefined) problems.push(`${at}.ruleIndex out of range`);
        else if (res.ruleId !== undefined && rule.id !== res.ruleId) problems.push(`${at}.ruleIndex names ${rule.id}, not ${String(res.ruleId)}`);
      }
      const locations = res.locations === undefined ? [] : res.locations;
      if (!Array.isArray(locations)) return void problems.push(`${at}.locations must be an array`);
      locations.forEach((loc: unknown, l) => {
        const pl = isObject(loc) ? loc.physicalLocation : undefined;
        if (!isObject(pl)) return void problems.push(`${at}.locations[${l}].physicalLocation missing`);
        const uri = isObject(pl.artifactLocation) ? pl.artifactLocation.uri : undefined;
        if (typeof uri !== 'string' || /[\s\\#?%]/.test(uri.replace(/%[0-9A-F]{2}/g, ''))) problems.push(`${at} uri ${String(uri)} is not a URI reference`);
        const region = pl.region;
        if (!isObject(region)) return void problems.push(`${at} region missing`);
        const { startLine, startColumn, endLine, endColumn } = region;
        if (!positiveInt(startLine) || !positiveInt(startColumn) || !positiveInt(endLine) || !positiveInt(endColumn)) problems.push(`${at} region lines/columns must be integers ≥ 1`);
        else if ((endLine as number) < (startLine as number) || (endLine === startLine && (endColumn as number) < (startColumn as number))) problems.push(`${at} region ends before it starts`);
      });
    });
  });
  return problems;
}

const d = (over: Partial<Diagnostic>): Diagnostic => ({ file: 'rules/a.yaml', line: 2, column: 3, endLine: 2, endColumn: 8, severity: 'error', code: 'kql/syntax', message: 'Expected value', ...over });

const sample: Diagnostic[] = [
  d({ code: 'rule/risk-score-band', severity: 'warning', message: 'risk 90 is not high', file: 'rules\\win\\b.yaml', line: 4, column: 1, endLine: 4, endColumn: 15 }),
  d({ hint: 'quote the value', source: 'event.action: (' }),
  d({ code: 'file/not-found', file: undefined, message: 'No such file: x', line: 1, column: 1, endLine: 1, endColumn: 1 }),
  d({ code: 'rule/info', severity: 'info', message: 'fyi', line: 10, column: 2, endLine: 11, endColumn: 1 }),
  d({ line: 7, message: 'again' }),
];

const asLog = (x: unknown): SarifLog => x as SarifLog;

describe('formatSarif', () => {
  it('is a one-run SARIF 2.1.0 log with the tool described', () => {
    const log = asLog(formatSarif(sample, { toolVersion: '1.2.3', informationUri: 'https://example.org/ruleforge' }));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'ruleforge', version: '1.2.3', informationUri: 'https://example.org/ruleforge' });
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
    expect(log.runs[0].results).toHaveLength(sample.length);
    expect(sarifProblems(log)).toEqual([]);
  });

  it('leaves out version and informationUri it was not given and honours toolName', () => {
    const driver = asLog(formatSarif([], { toolName: 'other' })).runs[0].tool.driver;
    expect(driver).toEqual({ name: 'other', rules: [] });
    expect(asLog(formatSarif([], {})).runs[0].results).toEqual([]);
  });

  it('declares one rule per distinct code, sorted by id, described from options.rules or by the code', () => {
    const log = asLog(formatSarif(sample, { rules: { 'kql/syntax': { description: 'KQL does not parse', helpUri: 'https://example.org/kql' }, 'unused/code': { description: 'never' } } }));
    const rules = log.runs[0].tool.driver.rules;
    expect(rules).toEqual([
      { id: 'file/not-found', shortDescription: { text: 'file/not-found' } },
      { id: 'kql/syntax', shortDescription: { text: 'KQL does not parse' }, helpUri: 'https://example.org/kql' },
      { id: 'rule/info', shortDescription: { text: 'rule/info' } },
      { id: 'rule/risk-score-band', shortDescription: { text: 'rule/risk-score-band' } },
    ]);
    for (const r of log.runs[0].results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('does not take descriptions from Object.prototype for codes like "constructor"', () => {
    const rules = asLog(formatSarif([d({ code: 'constructor' })], { rules: {} })).runs[0].tool.driver.rules;
    expect(rules).toEqual([{ id: 'constructor', shortDescription: { text: 'constructor' } }]);
  });

  it('maps error, warning and info to error, warning and note', () => {
    const results = asLog(formatSarif(sample, {})).runs[0].results;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['rule/risk-score-band', 'warning'],
      ['kql/syntax', 'error'],
      ['file/not-found', 'error'],
      ['rule/info', 'note'],
      ['kql/syntax', 'error'],
    ]);
  });

  it('puts the hint after the message and never the source text', () => {
    const log = formatSarif(sample, {});
    const results = asLog(log).runs[0].results;
    expect(results[1].message.text).toBe('Expected value\nhint: quote the value');
    expect(results[0].message.text).toBe('risk 90 is not high');
    expect(JSON.stringify(log)).not.toContain('event.action: (');
  });

  it('locates results by forward-slash relative URI and region; none without a file', () => {
    const results = asLog(formatSarif(sample, {})).runs[0].results;
    expect(results[0].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'rules/win/b.yaml' }, region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 15 } } }]);
    expect(results[3].locations?.[0].physicalLocation.region).toEqual({ startLine: 10, startColumn: 2, endLine: 11, endColumn: 1 });
    expect(results[2]).not.toHaveProperty('locations');
  });

  it('keeps URIs valid for names with spaces, # and %, and for Windows drive paths', () => {
    const uris = asLog(formatSarif([d({ file: 'rules/my rule#1 100%.yaml' }), d({ file: 'C:\\repo\\rules\\a.yaml' }), d({ file: 'odd:name/x.yaml' }), d({ file: '/abs/é.yaml' })], {}))
      .runs[0].results.map((r) => r.locations?.[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['rules/my%20rule%231%20100%25.yaml', 'file:///C:/repo/rules/a.yaml', './odd:name/x.yaml', '/abs/%C3%A9.yaml']);
    expect(decodeURIComponent(uris[0] ?? '')).toBe('rules/my rule#1 100%.yaml');
  });

  it('keeps regions valid for a diagnostic at line 0 or with its end before its start', () => {
    const log = formatSarif([d({ line: 0, column: 0, endLine: 0, endColumn: 0 }), d({ line: 5, column: 9, endLine: 5, endColumn: 4 })], {});
    expect(sarifProblems(log)).toEqual([]);
    expect(asLog(log).runs[0].results.map((r) => r.locations?.[0].physicalLocation.region)).toEqual([
      { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      { startLine: 5, startColumn: 9, endLine: 5, endColumn: 9 },
    ]);
  });

  it('is deterministic and JSON-clean: same log for the same input, rule order independent of input order', () => {
    const a = formatSarif(sample, { toolVersion: '1' });
    expect(JSON.stringify(formatSarif(sample, { toolVersion: '1' }))).toBe(JSON.stringify(a));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a); // no undefined-valued keys that JSON would drop
    const reversed = asLog(formatSarif([...sample].reverse(), { toolVersion: '1' }));
    expect(reversed.runs[0].tool.driver.rules).toEqual(asLog(a).runs[0].tool.driver.rules);
  });

  it('the hand-written check rejects logs that break the rules it checks', () => {
    const good = asLog(formatSarif(sample, {}));
    const broken = structuredClone(good) as unknown as { version: string; runs: { tool: { driver: { name: string } }; results: { message: unknown; ruleIndex: number; locations?: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    broken.version = '2.0.0';
    broken.runs[0].tool.driver.name = '';
    broken.runs[0].results[0].message = {};
    broken.runs[0].results[1].ruleIndex = 99;
    broken.runs[0].results[1].locations![0].physicalLocation.region.startLine = 0;
    expect(sarifProblems(broken)).toEqual([
      'version must be "2.1.0"',
      'runs[0].tool.driver.name must be a non-empty string',
      'runs[0].results[0].message.text must be a string',
      'runs[0].results[1].ruleIndex out of range',
      'runs[0].results[1] region lines/columns must be integers ≥ 1',
    ]);
  });
});
