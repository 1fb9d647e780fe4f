/**
 * fast-check arbitraries for KQL, written from grammar/kql.peggy: fields, quoted and unquoted values with
 * every escape the grammar knows, wildcards, ranges, value lists, nested `{}` queries, and/or/not with
 * keyword case and whitespace variants. Most outputs are valid queries, so lowering is exercised too; the
 * odd invalid one (a keyword where a value goes) exercises the syntax errors.
 */
import fc from 'fast-check';

/** Field names of each family the lowering treats differently (keyword, text, number, date, ip, boolean). */
export const KQL_FIELDS = [
  'event.action',
  'event.category',
  'event.outcome',
  'event.provider',
  'data_stream.dataset',
  'process.name',
  'process.args',
  'process.command_line',
  'file.path',
  'user.name',
  'host.os.type',
  'message',
  'error.message',
  'destination.port',
  'source.bytes',
  'event.risk_score',
  '@timestamp',
  'event.ingested',
  'source.ip',
  'destination.ip',
  'aws.cloudtrail.user_identity.type',
  'aws.cloudtrail.flattened.request_parameters',
  'tags',
  'dll.code_signature.trusted',
  'process.pe.original_file_name',
];

const space = fc.constantFrom(' ', ' ', ' ', ' ', '  ', '\n', '\t', '\r\n', '\u00a0');
const opt = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: a });
const keyword = (word: string): fc.Arbitrary<string> => fc.constantFrom(word, word, word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1));

const identifier = fc.stringMatching(/^[a-z_@][a-z0-9_]{0,10}(\.[a-z0-9_]{1,8}){0,3}$/);

/** A field name: a known one, a made-up one, a wildcard pattern or a quoted or escaped one. */
const field: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KQL_FIELDS) },
  { weight: 3, arbitrary: identifier },
  { weight: 1, arbitrary: fc.constantFrom('event.*', '*', 'process.*name', 'a*b') },
  { weight: 1, arbitrary: fc.constantFrom('"event.action"', '"a b"', 'a\\:b', 'field\\ with\\ space', 'r\\u00e9sum\\u00e9') },
);

/** One piece of an unquoted value: plain characters, an escape, or a wildcard star. */
const unquotedPiece = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.\-/@#$%&+=,;!?~^'|\[\]éß漢]{1,12}$/) },
  { weight: 3, arbitrary: fc.constant('*') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\\(', '\\)', '\\:', '\\<', '\\>', '\\"', '\\*', '\\{', '\\}', '\\\\', '\\t', '\\r', '\\n', '\\u0041', '\\u00e9', '\\uD83D', '\\or', '\\AND', '\\not'),
  },
  { weight: 1, arbitrary: fc.constantFrom(' ', '-', '10.0.0.0/8', '2001\\:db8\\:\\:1', 'now-1d/d', 'now+5m') },
);

const unquoted: fc.Arbitrary<string> = fc.array(unquotedPiece, { minLength: 1, maxLength: 5 }).map((parts) => {
  const s = parts.join('');
  // A value that is only spaces, or that starts a `not `, is not a value; keep those to the mutators.
  return /^\s*$/.test(s) || /^not\s/i.test(s) ? 'x' + s : s;
});

const quotedChar = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[^"\\]{1,10}$/) },
  { weight: 3, arbitrary: fc.constantFrom('\\"', '\\\\', '\\t', '\\r', '\\n', '\\u0041', '\\u00e9', '\\ud83d\\ude00', '*', ' or ', ' and ', 'not ', ':', '(', ')', '{', '}', '<') },
);

const quoted: fc.Arbitrary<string> = fc.array(quotedChar, { maxLength: 5 }).map((parts) => `"${parts.join('')}"`);

const number = fc.oneof(fc.integer({ min: -100000, max: 100000 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String), fc.constantFrom('1e3', '0x10', '007', '-0', '1.'));

/** A value: quoted, unquoted (with wildcards and escapes), a number, a boolean, null or a date. */
export const kqlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: unquoted },
  { weight: 5, arbitrary: quoted },
  { weight: 3, arbitrary: number },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', 'TRUE', '*', '2024-01-01', '2024-01-01T00:00:00Z', 'now', 'now-15m', '"now-1d/d"', '10.1.2.3', '"::1"') },
);

/** A value list: `v`, `(v1 or v2 and not v3)`, nested parentheses. */
const valueList: fc.Arbitrary<string> = fc.letrec<{ list: string }>((tie) => ({
  list: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    kqlValue,
    fc.tuple(tie('list'), space, keyword('or'), space, tie('list')).map((p) => p.join('')),
    fc.tuple(tie('list'), space, keyword('and'), space, tie('list')).map((p) => p.join('')),
    fc.tuple(keyword('not'), space, tie('list')).map((p) => p.join('')),
    fc.tuple(opt(space), tie('list'), opt(space)).map(([a, b, c]) => `(${a}${b}${c})`),
  ),
})).list;

const rangeOp = fc.constantFrom('<', '<=', '>', '>=');

/** A whole KQL query. */
export const kqlQuery: fc.Arbitrary<string> = fc.letrec<{ query: string; leaf: string }>((tie) => ({
  leaf: fc.oneof(
    { weight: 8, arbitrary: fc.tuple(field, opt(space), opt(space), kqlValue).map(([f, a, b, v]) => `${f}${a}:${b}${v}`) },
    { weight: 3, arbitrary: fc.tuple(field, opt(space), valueList).map(([f, a, v]) => `${f}${a}: (${v})`) },
    { weight: 2, arbitrary: fc.tuple(field, opt(space), rangeOp, opt(space), kqlValue).map((p) => p.join('')) },
    { weight: 1, arbitrary: field.map((f) => `${f}: *`) },
    { weight: 1, arbitrary: kqlValue },
    { weight: 1, arbitrary: fc.tuple(field, opt(space), tie('query')).map(([f, s, q]) => `${f}:${s}{ ${q} }`) },
  ),
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.tuple(tie('query'), space, keyword('or'), space, tie('query')).map((p) => p.join('')),
    fc.tuple(tie('query'), space, keyword('and'), space, tie('query')).map((p) => p.join('')),
    fc.tuple(keyword('not'), space, tie('query')).map((p) => p.join('')),
    fc.tuple(opt(space), tie('query'), opt(space)).map(([a, q, b]) => `(${a}${q}${b})`),
  ),
})).query;

/** Built-in seeds for when ../shared (Elastic's published rules) is absent. */
export const KQL_SEEDS = [
  'data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and event.action: ("CreateProvisionedModelThroughput" or "UpdateProvisionedModelThroughput") and event.outcome: "success"',
  'event.category:(network or network_traffic) and (event.type:connection or type:dns) and (destination.port:53 or event.dataset:zeek.dns) and source.ip:(10.0.0.0/8 or 172.16.0.0/12)',
  'process.name: (cmd.exe or powershell.exe) and not process.args: ("-enc*" or *bypass*)',
  'event.action:"Process Create (rule: ProcessCreate)" and process.parent.name:w3wp.exe',
  'user.name: "root" and @timestamp >= "now-1d/d" and destination.port < 1024',
  'message: "failed password" and not user.name: (admin or \\(nobody\\))',
  'host.os.type:windows and event.category:process and process.pe.original_file_name:"RUNDLL32.EXE" and process.args:*\\\\*',
  'aws.cloudtrail.flattened.request_parameters.reason: * and event.outcome: success',
  'items: { name: "x*" and price > 10 }',
  'not event.outcome: failure or (dll.code_signature.trusted: false and file.path: C\\:\\\\Windows\\\\*)',
  '"free text" and 12345',
  'event.code:4625 and winlog.logon.type:"Network" and source.ip:* and not source.ip:(127.0.0.1 or "::1")',
];
