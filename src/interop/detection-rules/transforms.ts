/**
 * detection-rules keeps Kibana's investigation-guide plugins (`!{osquery{…}}`, `!{investigate{…}}`) out of
 * the note: the TOML's `[transform]` table lists them, and the note refers to the n-th entry of each kind as
 * `$osquery_n` / `${investigate_n}`. Kibana receives the note with those placeholders rendered, so the
 * importer renders them too.
 */

const PLUGINS = ['osquery', 'investigate'] as const;

/** A JSON text with object keys sorted and non-ASCII characters escaped, as Python's `json.dumps` writes it. */
export function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const inner = (v as Record<string, unknown>)[key];
        if (inner !== null && inner !== undefined) out[key] = sorted(inner);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sorted(value)).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Replaces `$name` and `${name}` placeholders whose name is known, turns `$$` into `$`, and leaves every other
 * `$` alone (Python's `Template.safe_substitute`, which detection-rules uses).
 */
export function substitutePlaceholders(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(/\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})/gi, (whole, dollar: string | undefined, bare: string | undefined, braced: string | undefined) => {
    if (dollar) return '$';
    const name = bare ?? braced ?? '';
    return values.get(name) ?? whole;
  });
}

/** Renders `[transform]` into the rule's note in place; returns what could not be carried. */
export function renderTransforms(transform: Record<string, unknown>, rule: Record<string, unknown>): { notCarried: string[] } {
  const notCarried: string[] = [];
  const values = new Map<string, string>();
  for (const [plugin, entries] of Object.entries(transform)) {
    if (!(PLUGINS as readonly string[]).includes(plugin) || !Array.isArray(entries)) {
      notCarried.push(`[transform] ${plugin}: not an investigation-guide plugin list, left out`);
      continue;
    }
    entries.forEach((entry, i) => values.set(`${plugin}_${i}`, `!{${plugin}${canonicalJson(entry)}}`));
  }
  if (typeof rule.note === 'string') rule.note = substitutePlaceholders(rule.note, values);
  else if (values.size > 0) notCarried.push('[transform]: the rule has no note to render it into, left out');
  return { notCarried };
}
