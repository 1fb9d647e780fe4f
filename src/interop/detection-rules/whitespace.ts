/**
 * Keys whose text detection-rules sends to Kibana exactly as written: the query, and the Markdown fields
 * (investigation guide, setup, action messages). Every other string is reflowed.
 */
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['query', 'note', 'setup', 'message']);

/** Trims each line and joins the lines with single spaces: TOML's wrapped paragraphs become one line. */
export function reflow(text: string): string {
  return text
    .trim()
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join(' ');
}

/**
 * The whitespace clean-up detection-rules applies before it builds a rule for Kibana, so an imported rule
 * carries the same text Kibana would receive: plain strings reflowed, verbatim keys untouched (with all
 * they contain).
 */
export function normalizeWhitespace(value: unknown): unknown {
  if (typeof value === 'string') return reflow(value);
  if (Array.isArray(value)) return value.map(normalizeWhitespace);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = VERBATIM_KEYS.has(key) ? inner : normalizeWhitespace(inner);
    return out;
  }
  return value;
}
