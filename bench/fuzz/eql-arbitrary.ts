/**
 * fast-check arbitraries for Elasticsearch EQL, written from grammar/eql.peggy: event queries with any or
 * named categories, comparisons, `:` / `like~` / `regex` patterns, `in` lists, functions, arithmetic,
 * strings with escapes and raw strings, optional and escaped field names, sequences (`by`, `with maxspan`,
 * `with runs`, missing stages, `until`), samples, pipes and comments. Some outputs use constructs the parser
 * rejects on purpose (joins, `=`, single quotes), so those diagnostics are exercised too.
 */
import fc from 'fast-check';

const FIELDS = [
  'process.name',
  'process.executable',
  'process.args',
  'process.parent.name',
  'process.entity_id',
  'process.pid',
  'event.action',
  'event.type',
  'event.category',
  'file.path',
  'file.size',
  'host.os.type',
  'user.id',
  'source.ip',
  'destination.ip',
  'destination.port',
  '@timestamp',
  'aws.cloudtrail.user_identity.access_key_id',
  'registry.data.strings',
  'dns.question.name',
];

const KEYWORDS = new Set(['and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or', 'regex', 'sample', 'sequence', 'true', 'until', 'where', 'with']);
const CATEGORIES = ['any', 'process', 'network', 'file', 'registry', 'library', 'dns', 'authentication', 'iam', 'configuration'];
const FUNCTIONS = ['add', 'between', 'cidrMatch', 'concat', 'divide', 'endsWith', 'indexOf', 'length', 'modulo', 'multiply', 'number', 'startsWith', 'string', 'stringContains', 'substring', 'subtract', 'wildcard', 'arrayContains'];

const ws = fc.oneof(
  { weight: 12, arbitrary: fc.constant(' ') },
  { weight: 2, arbitrary: fc.constantFrom('\n    ', '  ', '\t', '\r\n') },
  { weight: 1, arbitrary: fc.constantFrom(' /* note */ ', ' // line comment\n', ' /* /* nested */ */ ') },
);
const opt = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: a });

const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((s) => !KEYWORDS.has(s));

const fieldName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 3, arbitrary: fc.array(identifier, { minLength: 1, maxLength: 4 }).map((p) => p.join('.')) },
  { weight: 1, arbitrary: fc.constantFrom('?process.name', '?user.domain', '`my field`', '`a``b`.c', 'process.args[0]', 'a.b[12].c', 'process . name', '@timestamp') },
);

const stringChar = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[^"\\\r\n]{1,10}$/) },
  { weight: 3, arbitrary: fc.constantFrom('*', '?', '\\\\', '\\"', '\\n', '\\t', '\\r', '\\b', '\\f', "\\'", '\\u{41}', '\\u{1F600}', '\\u{10FFFF}', 'C:\\\\Windows\\\\*') },
);

/** A string literal: double-quoted with escapes, or a raw `"""…"""` string. */
const stringLiteral: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(stringChar, { maxLength: 5 }).map((p) => `"${p.join('')}"`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[^"]{0,20}$/).map((s) => `"""${s}"""`) },
  { weight: 1, arbitrary: fc.constantFrom("'single'", '?"raw"', '"""a "quoted" b"""""') },
);

const numberLiteral = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }).map(String),
  fc.constantFrom('0', '1.5', '.5', '1e3', '2.5E-3', '65535', '4294967296', '1.'),
);

const literal: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: stringLiteral },
  { weight: 3, arbitrary: numberLiteral },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
);

const compareOp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '==', '==', '=');
const patternOp = fc.constantFrom(':', ':', ':', 'like', 'like~', 'regex', 'regex~');
const regexPattern = fc.constantFrom('"a.*b"', '"[0-9]{1,3}"', '"(cmd|powershell)\\\\.exe"', '"~(a)"', '"a{2,5}"', '".*"', '"<1-100>"', '"[a-z]+@[a-z]+"');

/** An EQL boolean expression (the `where` clause). */
export const eqlExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string; value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fieldName,
    literal,
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.constantFrom('', '', '', '~'), fc.array(tie('value'), { maxLength: 3 })).map(([f, i, args]) => `${f}${i}(${args.join(', ')})`),
    fc.tuple(tie('value'), fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' % ', '+', '-'), tie('value')).map((p) => p.join('')),
    tie('value').map((v) => `-${v}`),
    tie('value').map((v) => `(${v})`),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fieldName, ws, compareOp, ws, tie('value')).map((p) => p.join('')),
    fc.tuple(fieldName, ws, patternOp, ws, fc.oneof(stringLiteral, regexPattern)).map((p) => p.join('')),
    fc.tuple(fieldName, ws, patternOp, ws, fc.array(fc.oneof(stringLiteral, regexPattern), { minLength: 1, maxLength: 4 })).map(([f, a, op, b, ps]) => `${f}${a}${op}${b}(${ps.join(', ')})`),
    fc.tuple(fieldName, fc.constantFrom(' in ', ' in~ ', ' not in ', ' not in~ '), fc.array(literal, { minLength: 1, maxLength: 5 })).map(([f, op, vs]) => `${f}${op}(${vs.join(', ')})`),
    tie('value'),
    fc.tuple(tie('expr'), ws, fc.constantFrom('and', 'or'), ws, tie('expr')).map((p) => p.join('')),
    fc.tuple(fc.constantFrom('not ', 'not '), tie('expr')).map((p) => p.join('')),
    tie('expr').map((e) => `(${e})`),
  ),
})).expr;

const category: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CATEGORIES) }, { weight: 1, arbitrary: fc.constantFrom('"process"', '"any"', 'my_category', 'ANY') });

const eventQuery: fc.Arbitrary<string> = fc.tuple(category, ws, eqlExpression).map(([c, s, e]) => `${c}${s}where ${e}`);

const joinKeys: fc.Arbitrary<string> = fc.array(fieldName, { minLength: 1, maxLength: 3 }).map((keys) => `by ${keys.join(', ')}`);
const timeSpan = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 120 }), fc.constantFrom('ms', 's', 'm', 'h', 'd')).map(([n, u]) => `${n}${u}`) },
  { weight: 1, arbitrary: fc.constantFrom('1.5h', '30', '5 m', '10y', '0s') },
);

const stage: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '', '', '', '!'), eventQuery, opt(joinKeys.map((k) => ` ${k}`)), opt(fc.integer({ min: 0, max: 150 }).map((n) => ` with runs=${n}`)))
  .map(([bang, q, by, runs]) => `${bang}[${q}]${by}${runs}`);

const sequence: fc.Arbitrary<string> = fc
  .tuple(
    opt(joinKeys.map((k) => ` ${k}`)),
    opt(timeSpan.map((t) => ` with maxspan=${t}`)),
    fc.array(stage, { minLength: 1, maxLength: 4 }),
    opt(eventQuery.map((q) => `\nuntil [${q}]`)),
  )
  .map(([by, span, stages, until]) => `sequence${by}${span}\n  ${stages.join('\n  ')}${until}`);

const sample: fc.Arbitrary<string> = fc
  .tuple(opt(joinKeys.map((k) => ` ${k}`)), fc.array(eventQuery, { minLength: 1, maxLength: 3 }))
  .map(([by, stages]) => `sample${by}\n  ${stages.map((s) => `[${s}]`).join('\n  ')}`);

const pipe = fc.constantFrom(' | head 10', ' | tail 3', ' | head', ' | unique process.name', ' | count', ' | tail -1', ' | head 5 | tail 2');

/** A whole EQL query: event query, sequence, sample or (rejected) join, with optional pipes. */
export const eqlQuery: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: eventQuery },
      { weight: 4, arbitrary: sequence },
      { weight: 1, arbitrary: sample },
      { weight: 1, arbitrary: fc.constantFrom('join by user.name [process where true] [file where true]', 'process where descendant of [process where process.name : "x"]') },
    ),
    opt(pipe),
  )
  .map(([q, p]) => q + p);

/** Built-in seeds for when ../shared (Elastic's published rules) is absent. */
export const EQL_SEEDS = [
  'sequence by process.entity_id with maxspan=1m\n[network where host.os.type == "linux" and event.type == "start" and user.id == "0" and\n    not process.executable : ("/bin/ssh", "/sbin/ssh", "/usr/bin/ssh")]\n[process where event.action == "session_id_change" and user.id == "0"]',
  'process where host.os.type == "windows" and event.type == "start" and process.name : ("cmd.exe", "powershell.exe") and process.args : ("-enc*", "*bypass*")',
  'file where event.type != "deletion" and file.path : "C:\\\\Windows\\\\System32\\\\*.dll" and not startsWith~(file.name, "api-ms")',
  'sequence by aws.cloudtrail.user_identity.access_key_id with maxspan=15m\n  [any where event.action == "ListFoundationModels"]\n  [any where event.action : "InvokeModel"]\n',
  'registry where registry.data.strings regex~ """.*\\\\AppData\\\\Roaming\\\\[a-z]+\\.exe""" and length(registry.data.strings) > 10',
  'network where destination.port in (22, 3389, 5985) and not cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16")',
  'sequence with maxspan=5m\n  [process where process.name == "a"] by process.pid\n  ![process where process.name == "b"] by process.pid\n  [process where process.name == "c"] by process.pid\nuntil [process where event.type == "end"] by process.pid',
  'sample by host.id\n  [process where process.name == "a.exe"]\n  [network where destination.port == 443]',
  'process where process.pid + 1 * 2 - -3 % 4 > 10 and ?process.parent.args_count >= 2 | head 5',
  'any where `my field` like~ "a*" and process.args[0] : "x" and concat(process.name, ".") == "a." and number("0x1F", 16) == 31',
  'library where dll.name : "*.dll" and dll.code_signature.trusted == false /* comment */ // trailing\n',
  'sequence by user.name [authentication where event.outcome == "failure"] with runs=5 [authentication where event.outcome == "success"]',
];
