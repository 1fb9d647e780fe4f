import { locationOf, type Diagnostic } from './diagnostic.js';

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

/** Attribute values: parsers turn literal tab, LF and CR into spaces, so a multi-line message needs character references. */
const attr = (text: string): string => xml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

/** Element text: parsers turn a literal CR (or CRLF) into LF, so keep CR as a reference. */
const content = (text: string): string => xml(text).replace(/\r/g, '&#13;');

/** A duration callers may leave out or get wrong (NaN, negative from clock skew) counts as zero. */
const validMs = (ms: number | undefined): number => (ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 0);

/** JUnit times are seconds with three decimals. */
const seconds = (ms: number | undefined): string => (validMs(ms) / 1000).toFixed(3);

/** JUnit XML, the report format most CI systems display as test results. */
export function formatJunit(suites: readonly JunitSuite[], options: { name?: string } = {}): string {
  const count = (s: JunitSuite, what: 'failures' | 'skipped') => s.cases.filter((c) => (what === 'failures' ? (c.failures?.length ?? 0) > 0 : c.skipped !== undefined)).length;
  const suiteTime = (s: JunitSuite) => s.timeMs ?? s.cases.reduce((t, c) => t + validMs(c.timeMs), 0);
  const total = { tests: 0, failures: 0, skipped: 0, time: 0 };
  const body: string[] = [];
  for (const s of suites) {
    const failures = count(s, 'failures');
    const skipped = count(s, 'skipped');
    total.tests += s.cases.length;
    total.failures += failures;
    total.skipped += skipped;
    total.time += suiteTime(s);
    body.push(`  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(suiteTime(s))}">`);
    for (const c of s.cases) {
      const attrs = `name="${attr(c.name)}" classname="${attr(c.classname)}"${c.file !== undefined ? ` file="${attr(c.file)}"` : ''} time="${seconds(c.timeMs)}"`;
      const inner: string[] = [];
      for (const f of c.failures ?? []) inner.push(`      <failure message="${attr(f.message)}" type="${attr(f.type)}">${content(f.text ?? '')}</failure>`);
      if (c.skipped !== undefined) inner.push(`      <skipped message="${attr(c.skipped)}"/>`);
      if (c.systemOut !== undefined) inner.push(`      <system-out>${content(c.systemOut)}</system-out>`);
      body.push(inner.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${inner.join('\n')}\n    </testcase>`);
    }
    body.push('  </testsuite>');
  }
  const head = `<testsuites name="${attr(options.name ?? 'ruleforge')}" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${seconds(total.time)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${body.join('\n')}${body.length > 0 ? '\n' : ''}</testsuites>\n`;
}

/** Errors (and, when `strict`, warnings) as JUnit failures: `file:line:col code: message`, with the hint as text. */
export function diagnosticsToJunitFailures(diagnostics: readonly Diagnostic[], strict = false): NonNullable<JunitCase['failures']> {
  return diagnostics
    .filter((d) => d.severity === 'error' || (strict && d.severity === 'warning'))
    .map((d) => ({
      message: `${locationOf(d, '<input>')} ${d.code}: ${d.message}`,
      type: d.code,
      text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    }));
}
