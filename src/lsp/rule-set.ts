import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverRuleFiles } from '../rules/discover.js';
import { loadRuleFile, loadRuleText } from '../rules/load-rule.js';
import { projectConfigFor } from '../rules/project.js';
import { checkCollection, type CheckedRule } from '../rules/validate.js';

interface Entry {
  mtimeMs: number;
  checked: CheckedRule;
}

/**
 * The rule set an open file belongs to (every rule file under its project directory: where `ruleforge.yaml` is,
 * else the file's own directory), read once and re-read only when a file's modification time changes, so the
 * cross-file checks `validate` makes (`rule/duplicate-id`, `rule/duplicate-name`) can be made per keystroke.
 * Only the rule's id and name matter here, so other files are loaded (YAML and schema), not fully checked.
 */
export class RuleSetIndex {
  private readonly entries = new Map<string, Entry>();

  /** `validate`'s cross-file diagnostics for `file`, given the open buffers' texts (which win over the disk). */
  collectionDiagnostics(file: string, openTexts: ReadonlyMap<string, string>): Diagnostic[] {
    const absolute = resolve(file);
    const project = projectConfigFor(absolute);
    const root = project.file ? dirname(project.file) : dirname(absolute);
    const files = discoverRuleFiles([root]).files.map((f) => resolve(f));
    if (!files.includes(absolute)) files.push(absolute);
    const checked: CheckedRule[] = [];
    for (const f of files.sort()) {
      const text = openTexts.get(f);
      const c = text !== undefined ? this.fromText(f, text) : this.fromDisk(f);
      if (c) checked.push(c);
    }
    return checkCollection(checked).filter((d) => d.file === absolute);
  }

  private fromText(file: string, text: string): CheckedRule {
    const loaded = loadRuleText(text, file);
    return { file, ...(loaded.doc ? { doc: loaded.doc } : {}), ...(loaded.rule ? { rule: loaded.rule } : {}), diagnostics: [] };
  }

  private fromDisk(file: string): CheckedRule | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      this.entries.delete(file);
      return undefined;
    }
    const cached = this.entries.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.checked;
    const loaded = loadRuleFile(file);
    const checked: CheckedRule = { file, ...(loaded.doc ? { doc: loaded.doc } : {}), ...(loaded.rule ? { rule: loaded.rule } : {}), diagnostics: [] };
    this.entries.set(file, { mtimeMs, checked });
    return checked;
  }
}
