import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { schemaAt } from '../format/schema-walk.js';
import { cursorContext } from './yaml-context.js';

/** The settings `ruleforge.yaml` takes (see docs/rule-format.md#project-settings). */
const SETTINGS: readonly [string, string][] = [
  ['fields', 'Field name → Elasticsearch type for fields no bundled schema knows; every rule under this directory is checked against them.'],
  ['integrations', 'Fleet package name → version range (e.g. `aws: ">=2.23.0"`) that `export --to kibana` states in related_integrations.'],
];

/** Completion in `ruleforge.yaml`: its two settings, and Elasticsearch field types as the values under `fields:`. */
export function completeProjectFile(text: string, offset: number): CompletionItem[] {
  const cursor = cursorContext(text, offset);
  if (cursor.kind === 'key' && cursor.path.length === 0) {
    return SETTINGS.map(([key, doc]) => ({ label: key, kind: CompletionItemKind.Property, insertText: `${key}:\n  `, documentation: { kind: MarkupKind.Markdown, value: doc } }));
  }
  if (cursor.kind === 'value' && cursor.path[0] === 'fields' && cursor.path.length === 2) {
    // The rule schema's `fields:` takes the same types.
    const types = schemaAt(['fields', 'x']).flatMap((s) => s.enum ?? []);
    return [...new Set(types)].map((t) => ({ label: String(t), kind: CompletionItemKind.TypeParameter }));
  }
  return [];
}
