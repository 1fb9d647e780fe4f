import type { Diagnostic } from './diagnostic.js';

/** One JUnit test case. */
export interface JunitCase {
  name: string;
  classname: string;
  file?: string;
  timeMs?: number;
  failures?: { message: string; type: string; text?: string }[];
  skipped?: string;
  systemOut?: string;
}

/** A named group of test cases. */
export interface JunitSuite {
  name: string;
  cases: JunitCase[];
  timeMs?: number;
}

/** Characters XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE/U+FFFF). */
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an XML attribute or element, dropping characters XML cannot represent. */
function xml(text: string): string {
  return text.replace(ILLEGAL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

/** JUnit XML, the report format most CI systems display as test results. */
export function formatJunit(suites: readonly JunitSuite[], options: { name?: string } = {}): string {
  const count = (s: JunitSuite, what: 'failures' | 'skipped') => s.cases.filter((c) => (what === 'failures' ? (c.failures?.length ?? 0) > 0 : c.skipped !== undefined)).length;
  const suiteTime = (s: JunitSuite) => s.timeMs ?? s.cases.reduce((t, c) => t + (c.timeMs ?? 0), 0);
  const total = { tests: 0, failures: 0, skipped: 0, time: 0 };
  const body: string[] = [];
  for (const s of suites) {
    const failures = count(s, 'failures');
    const skipped = count(s, 'skipped');
    total.tests += s.cases.length;
    total.failures += failures;
    total.skipped += skipped;
    total.time += suiteTime(s);
    body.push(`  <testsuite name="${xml(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(suiteTime(s))}">`);
    for (const c of s.cases) {
      const attrs = `name="${xml(c.name)}" classname="${xml(c.classname)}"${c.file !== undefined ? ` file="${xml(c.file)}"` : ''} time="${seconds(c.timeMs)}"`;
      const inner: string[] = [];
      for (const f of c.failures ?? []) inner.push(`      <failure message="${xml(f.message)}" type="${xml(f.type)}">${xml(f.text ?? '')}</failure>`);
      if (c.skipped !== undefined) inner.push(`      <skipped message="${xml(c.skipped)}"/>`);
      if (c.systemOut !== undefined) inner.push(`      <system-out>${xml(c.systemOut)}</system-out>`);
      body.push(inner.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${inner.join('\n')}\n    </testcase>`);
    }
    body.push('  </testsuite>');
  }
  const head = `<testsuites name="${xml(options.name ?? 'ruleforge')}" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${seconds(total.time)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${body.join('\n')}${body.length > 0 ? '\n' : ''}</testsuites>\n`;
}

/** Errors (and, when `strict`, warnings) as JUnit failures: `file:line:col code: message`, with the hint as text. */
export function diagnosticsToJunitFailures(diagnostics: readonly Diagnostic[], strict = false): NonNullable<JunitCase['failures']> {
  return diagnostics
    .filter((d) => d.severity === 'error' || (strict && d.severity === 'warning'))
    .map((d) => ({
      message: `${d.file ?? '<input>'}:${d.line}:${d.column} ${d.code}: ${d.message}`,
      type: d.code,
      text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    }));
}
