import { diagnosticAt, positionAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import * as generated from '../generated/kql-parser.js';
import type { KqlNode, KqlValue } from './ast.js';

/** The outcome of parsing: a tree, or the syntax error as one located diagnostic. */
export type KqlParseResult<T> = { ok: true; ast: T } | { ok: false; diagnostics: Diagnostic[] };

interface PeggyLocation {
  start: { offset: number; line: number; column: number };
  end: { offset: number; line: number; column: number };
}

interface PeggySyntaxError extends Error {
  location: PeggyLocation;
}

function isPeggySyntaxError(e: unknown): e is PeggySyntaxError {
  return e instanceof generated.SyntaxError;
}

function parseWith<T>(text: string, startRule: 'start' | 'Literal'): KqlParseResult<T> {
  try {
    return { ok: true, ast: generated.parse(text, { startRule }) as T };
  } catch (e) {
    if (isPeggySyntaxError(e)) {
      return {
        ok: false,
        diagnostics: [
          diagnosticAt(e.location, {
            code: 'kql/syntax',
            message: e.message,
            hint: syntaxHint(text, e.location.start.offset),
            source: text,
          }),
        ],
      };
    }
    // The only other failure a query can cause is running out of stack on absurd nesting.
    const end = positionAt(text, text.length);
    return {
      ok: false,
      diagnostics: [
        diagnosticAt(
          { start: positionAt(text, 0), end },
          { code: 'kql/too-complex', message: 'The query is nested too deeply to parse.', source: text },
        ),
      ],
    };
  }
}

/** Hints for the mistakes that Kibana's wording leaves puzzling. */
function syntaxHint(text: string, offset: number): string | undefined {
  const before = text.slice(0, offset);
  const at = text.slice(offset);
  if (/:\s*$/.test(before) && /^not\s/i.test(at)) return 'Negate a value inside parentheses: `field: (not value)`.';
  if (/\bnot$/i.test(before) && at.startsWith('(')) return '`not` must be followed by whitespace: `not (…)`.';
  if (at.startsWith('\\')) {
    return 'Valid escapes are \\\\ \\( \\) \\: \\< \\> \\" \\* \\{ \\} \\t \\r \\n \\uXXXX and escaped keywords; otherwise quote the value.';
  }
  if (/["')]$/.test(before) && /^(and|or)\b/i.test(at)) return '`and` and `or` need whitespace on both sides.';
  return undefined;
}

/** Parses a KQL query into its syntax tree. Never throws: syntax errors come back as `kql/syntax`. */
export function parseKql(text: string): KqlParseResult<KqlNode> {
  return parseWith<KqlNode>(text, 'start');
}

/** Parses a lone KQL value (Kibana's `fromLiteralExpression`): `foo`, `"a b"`, `ab*`, `true`. */
export function parseKqlLiteral(text: string): KqlParseResult<KqlValue> {
  return parseWith<KqlValue>(text, 'Literal');
}
