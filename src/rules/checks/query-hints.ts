import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { KqlNode } from '../../kql/ast.js';

/**
 * Better words for common query mistakes. Works in the query's own coordinates (1-based line and column
 * inside the query text), before diagnostics are moved to their place in the file.
 */

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Offset → 1-based line and column in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * The brackets left open at the end of `query`, innermost last, skipping quoted strings (`"…"` with
 * backslash escapes in both languages, `'…'` in EQL, and EQL's `"""…"""`).
 */
function unclosedBrackets(query: string, language: 'kuery' | 'eql'): { char: string; offset: number }[] {
  const stack: { char: string; offset: number }[] = [];
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (language === 'eql' && query.startsWith('"""', i)) {
      const end = query.indexOf('"""', i + 3);
      if (end < 0) return stack;
      i = end + 2;
      continue;
    }
    if (c === '"' || (language === 'eql' && c === "'")) {
      for (i++; i < query.length && query[i] !== c; i++) if (query[i] === '\\') i++;
      continue;
    }
    if (language === 'kuery' && c === '\\') {
      i++;
      continue;
    }
    if (OPENERS[c]) stack.push({ char: c, offset: i });
    else if (Object.values(OPENERS).includes(c) && stack.length > 0 && OPENERS[stack[stack.length - 1].char] === c) stack.pop();
  }
  return stack;
}

/** The query with quoted strings blanked, for looking at operators only. */
const withoutStrings = (query: string): string => query.replace(/"(?:[^"\\]|\\.)*"?/g, (s) => ' '.repeat(s.length));

/**
 * Rewrites a query syntax error the parser reports at the end of the input because a bracket is never
 * closed, so it points at the bracket; and adds a hint to a KQL error when the query uses `==` or `=`.
 */
export function refineSyntaxDiagnostic(query: string, language: 'kuery' | 'eql', d: Diagnostic): Diagnostic {
  if (!/\/syntax$/.test(d.code)) return d;
  if (/end of input found/.test(d.message)) {
    const open = unclosedBrackets(query, language).at(-1);
    if (open) {
      const at = lineColumn(query, open.offset);
      return { ...d, line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 1, message: `This \`${open.char}\` is never closed: the query ends before its \`${OPENERS[open.char]}\`.`, hint: `Add the missing \`${OPENERS[open.char]}\` where the group should end.` };
    }
  }
  if (language === 'kuery' && d.hint === undefined && /(^|[^<>!])=/.test(withoutStrings(query))) {
    return { ...d, hint: 'KQL matches a field with `:` (`event.action: "CreateUser"`); `==` and `=` are EQL operators.' };
  }
  return d;
}

/** A quoted KQL value with a `*` in it: the quotes make it literal, which is rarely what the author meant. */
export interface QuotedWildcard {
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  text: string;
}

/** The quoted values with `*` in a KQL query (`event.action: "Create*"` matches only a literal `Create*`). */
export function quotedWildcards(ast: KqlNode): QuotedWildcard[] {
  const out: QuotedWildcard[] = [];
  const walk = (node: KqlNode): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        node.children.forEach(walk);
        return;
      case 'not':
        walk(node.child);
        return;
      case 'nested':
        walk(node.child);
        return;
      case 'is':
        if (node.value.type === 'literal' && node.value.quoted && typeof node.value.value === 'string' && node.value.value.includes('*')) out.push({ loc: node.value.loc, text: node.value.value });
        return;
      case 'range':
        return;
    }
  };
  walk(ast);
  return out;
}
