import type { Diagnostic, DiagnosticFix } from '../diagnostics/diagnostic.js';
import { checkRuleText, type CheckedRule } from '../rules/validate.js';
import { fixesFor, type FixContext } from './derive.js';
import { applyEdits } from './offsets.js';

/** One fix `lint --fix` made: where its diagnostic was (in the text of that pass) and what it did. */
export interface AppliedFix {
  code: string;
  line: number;
  column: number;
  title: string;
}

export interface FixOptions {
  /** Also apply fixes inside the query (field or function renames), which can change what it matches. */
  unsafe?: boolean;
  newRuleId?: () => string;
}

/** The rule file's diagnostics with their fixes attached, as the language server offers them. */
export function checkWithFixes(text: string, file: string, options: Pick<FixOptions, 'newRuleId'> = {}): { checked: CheckedRule; diagnostics: Diagnostic[] } {
  const checked = checkRuleText(text, file);
  const ctx: FixContext = { text, ...(checked.doc ? { doc: checked.doc } : {}), ...(draftOf(checked) ? { draft: draftOf(checked) } : {}), ...(options.newRuleId ? { newRuleId: options.newRuleId } : {}) };
  return { checked, diagnostics: checked.diagnostics.map((d) => ({ ...d, fixes: fixesFor(ctx, d) })) };
}

function draftOf(checked: CheckedRule): Record<string, unknown> | undefined {
  const v = checked.doc?.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Picks the fix `lint --fix` applies for a diagnostic: its preferred one, if safe (or unsafe fixes are allowed). */
export function chosenFix(d: Diagnostic, unsafe: boolean): DiagnosticFix | undefined {
  return d.fixes?.find((f) => f.preferred && (f.safe || unsafe));
}

const MAX_PASSES = 5;

/**
 * Applies every chosen fix to one rule file's text, re-checking between passes (a fix can reveal another, and
 * overlapping edits wait for the next pass). Text outside the edits — comments, layout — is kept as it is.
 */
export function fixRuleText(text: string, file: string, options: FixOptions = {}): { text: string; applied: AppliedFix[] } {
  let current = text;
  const applied: AppliedFix[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { diagnostics } = checkWithFixes(current, file, options);
    const chosen = diagnostics.flatMap((d) => {
      const f = chosenFix(d, options.unsafe === true);
      return f ? [{ d, f }] : [];
    });
    if (chosen.length === 0) break;
    const result = applyEdits(current, chosen.flatMap(({ f }) => f.edits));
    const made = new Set(result.applied);
    for (const { d, f } of chosen) if (f.edits.every((e) => made.has(e))) applied.push({ code: d.code, line: d.line, column: d.column, title: f.title });
    if (result.text === current) break;
    current = result.text;
  }
  return { text: current, applied };
}
