/**
 * Elasticsearch (Lucene) regular expressions translated to JavaScript sources with the same meaning, for the
 * runtime to anchor to whole values. Lucene has no anchors (`^` and `$` are literal), `.` matches any
 * character, `@` any string and `"…"` a literal string; its intersection (`&`), complement (`~`), empty
 * language (`#`) and numeric intervals (`<1-5>`) have no JavaScript form and are reported instead.
 */

/** The JavaScript source, or why the pattern cannot be translated. */
export type RegexTranslation = { ok: true; source: string } | { ok: false; reason: string };

const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function escapeJs(ch: string): string {
  return JS_SPECIAL.test(ch) || ch === '-' ? `\\${ch}` : ch;
}

/** Translates a Lucene regular expression into a JavaScript regular-expression source. */
export function translateLuceneRegex(pattern: string): RegexTranslation {
  let out = '';
  const chars = Array.from(pattern);
  let inClass = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) return { ok: false, reason: 'the pattern ends with a lone backslash' };
      out += /[dDsSwW]/.test(next) ? `\\${next}` : escapeJs(next);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        break;
      case '.':
        out += '[^]';
        break;
      case '@':
        out += '[^]*';
        break;
      case '"': {
        const end = chars.indexOf('"', i + 1);
        if (end < 0) return { ok: false, reason: 'an unterminated "…" literal' };
        out += chars.slice(i + 1, end).map(escapeJs).join('');
        i = end;
        break;
      }
      case '^':
      case '$':
      case '/':
        out += `\\${c}`;
        break;
      case '&':
        return { ok: false, reason: 'intersection (&) has no equivalent here' };
      case '~':
        return { ok: false, reason: 'complement (~) has no equivalent here' };
      case '#':
        return { ok: false, reason: 'the empty language (#) has no equivalent here' };
      case '<':
        if (/^<\d+-\d+>/.test(chars.slice(i).join(''))) return { ok: false, reason: 'numeric intervals (<n-m>) are not supported' };
        out += c;
        break;
      default:
        out += c;
    }
  }
  if (inClass) return { ok: false, reason: 'an unterminated character class [' };
  try {
    new RegExp(out, 's');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return { ok: true, source: out };
}
