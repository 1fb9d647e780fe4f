import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import type { FieldSchema } from '../../fields/index.js';
import type { DocPath, YamlDocument } from '../yaml-document.js';

/** What every check sees: the rule's document, its fields as written, and the field schema that applies. */
export interface CheckContext {
  doc: YamlDocument;
  /** The rule mapping as loaded (possibly rejected by the schema: read fields defensively). */
  draft: Record<string, unknown>;
  /** ECS + bundled packs + project and rule `fields`. */
  schema: FieldSchema;
  /** The rule's data is covered by a bundled field pack (or its own field list), so unknown fields are errors. */
  fieldsComplete: boolean;
  /** Why unknown fields are only warnings (shown as a hint) when `fieldsComplete` is false. */
  coverageNote?: string;
}

/** A diagnostic on the value at `path` (or on its key with `onKey`), falling back to the nearest parent. */
export function reportAt(ctx: CheckContext, path: DocPath, fields: { severity?: Severity; code: string; message: string; hint?: string }, onKey = false): Diagnostic {
  const span = ctx.doc.nearestSpan(path);
  if (onKey && span.keyStart !== undefined && span.keyEnd !== undefined) return ctx.doc.diagnostic(span.keyStart, span.keyEnd, fields);
  return ctx.doc.diagnostic(span.start, span.end, fields);
}

/** A string field of the draft, or undefined when absent or of another type. */
export function stringField(draft: Record<string, unknown>, key: string): string | undefined {
  const v = draft[key];
  return typeof v === 'string' ? v : undefined;
}

/** A list of strings from the draft (non-strings skipped), with their positions in the list. */
export function stringList(value: unknown): [string, number][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i): [string, number][] => (typeof v === 'string' ? [[v, i]] : []));
}
