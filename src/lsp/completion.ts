import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { allFunctions } from '../eql/functions.js';
import { keysAt, describeKey, schemaAt } from '../format/schema-walk.js';
import { ATTACK_TACTICS, ATTACK_TECHNIQUES, ATTACK_VERSION, tacticById, techniqueById } from '../coverage/attack.js';
import { ECS_ALLOWED_VALUES } from '../generated/ecs-docs.js';
import { cursorContext, siblingValue } from './yaml-context.js';
import { fieldMarkdown, functionSignature } from './describe.js';
import type { RuleContext } from './rule-context.js';

const KQL_KEYWORDS = ['and', 'or', 'not'];
const EQL_KEYWORDS = ['and', 'or', 'not', 'where', 'sequence', 'sample', 'by', 'with', 'maxspan', 'runs', 'until', 'any', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', 'true', 'false', 'null'];
const EQL_OPERATORS = ['==', '!=', ':', '<', '<=', '>', '>=', 'in', 'in~', 'like', 'like~', 'regex', 'regex~'];

/** Keys whose value names a field (the rule's settings). */
const FIELD_VALUED = new Set(['timestamp_override', 'timestamp_field', 'tiebreaker_field', 'event_category_override', 'rule_name_override', 'field_names', 'new_terms_fields', 'group_by']);

const markdown = (value: string): { kind: typeof MarkupKind.Markdown; value: string } => ({ kind: MarkupKind.Markdown, value });

function fieldItems(ctx: RuleContext, prefix: string): CompletionItem[] {
  const out: CompletionItem[] = [];
  const lower = prefix.toLowerCase();
  for (const name of ctx.schema.names()) {
    if (lower && !name.toLowerCase().startsWith(lower)) continue;
    const info = ctx.schema.lookup(name);
    if (!info || !ctx.inScope(info)) continue;
    out.push({ label: name, kind: CompletionItemKind.Field, detail: `${info.type} · ${info.source === 'ecs' ? 'ECS' : info.source === 'pack' ? 'integration pack' : 'fields:'}`, documentation: markdown(fieldMarkdown(info)), sortText: `1${name}` });
    if (out.length >= 5000) break;
  }
  return out;
}

/** Known values of a field: ECS allowed values, a pack's constant value, true/false for booleans. */
function valueItems(ctx: RuleContext, field: string): CompletionItem[] {
  const info = ctx.schema.lookup(field);
  const values: [string, string][] = (ECS_ALLOWED_VALUES[field] ?? []).map(([v, d]) => [v, d]);
  if (info?.constantValue !== undefined) values.push([info.constantValue, 'the data stream\'s constant value']);
  if (info?.family === 'boolean') values.push(['true', ''], ['false', '']);
  return values.map(([v, d]) => ({ label: v, kind: CompletionItemKind.Value, detail: `${field} value`, ...(d ? { documentation: d } : {}), sortText: `0${v}` }));
}

const keywordItems = (words: readonly string[]): CompletionItem[] => words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword, sortText: `3${w}` }));

function functionItems(): CompletionItem[] {
  return allFunctions().map((f) => ({
    label: f.name,
    kind: CompletionItemKind.Function,
    detail: functionSignature(f),
    insertText: `${f.name}($1)`,
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `2${f.name}`,
  }));
}

function categoryItems(): CompletionItem[] {
  return [...(ECS_ALLOWED_VALUES['event.category'] ?? []), ['any', 'Any event category'] as const].map(([v, d]) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: 'event category', documentation: d, sortText: `0${v}` }));
}

/** Completion inside the query: the text before the cursor decides between a field, a value and an event category. */
function queryItems(ctx: RuleContext, before: string): CompletionItem[] {
  const prefix = /[\w.@]*$/.exec(before)![0];
  const head = before.slice(0, before.length - prefix.length);
  if (ctx.language === 'eql') {
    const valueOf = /([\w.@]+)\s*(?:==|!=|:|in~?|like~?)\s*(?:\(\s*)?(?:(?:"[^"]*"|[^\s(),"]+)\s*,\s*)*"?$/.exec(head);
    if (valueOf) return valueItems(ctx, valueOf[1]!);
    // An event category starts the query, each sequence stage (`[`) and a sample's stages.
    if (/(^\s*|\[\s*)$/.test(head)) return categoryItems();
    if (/[\w"')\]]\s+$/.test(head) && !/\b(and|or|not|where|by|with|until)\s+$/i.test(head)) return keywordItems(EQL_OPERATORS.concat(EQL_KEYWORDS));
    return [...fieldItems(ctx, prefix), ...functionItems(), ...keywordItems(EQL_KEYWORDS)];
  }
  const valueOf = /([\w.@]+)\s*:\s*(?:\(\s*)?(?:(?:"[^"]*"|[^\s()"]+)\s+(?:or|and|not)\s+)*"?$/i.exec(head);
  if (valueOf && !/^(and|or|not)$/i.test(valueOf[1]!)) return valueItems(ctx, valueOf[1]!);
  return [...fieldItems(ctx, prefix), ...keywordItems(KQL_KEYWORDS)];
}

function attackItems(path: readonly (string | number)[]): CompletionItem[] | undefined {
  const level = path.filter((p) => typeof p === 'string').slice(-2)[0];
  if (path[0] !== 'threat' || path.at(-1) !== 'id') return undefined;
  if (level === 'tactic') return ATTACK_TACTICS.map((t) => ({ label: t.id, kind: CompletionItemKind.EnumMember, detail: t.name, documentation: t.summary, filterText: `${t.id} ${t.name}` }));
  const subs = level === 'subtechnique';
  return ATTACK_TECHNIQUES.filter((t) => !t.retired && t.id.includes('.') === subs).map((t) => ({ label: t.id, kind: CompletionItemKind.EnumMember, detail: t.name, documentation: t.summary, filterText: `${t.id} ${t.name}` }));
}

/** Under a threat tactic, technique or sub-technique: its name and reference URL from the id next to it. */
function attackNameOrReference(text: string, offset: number, path: readonly (string | number)[]): CompletionItem[] | undefined {
  const key = path.at(-1);
  if (path[0] !== 'threat' || (key !== 'name' && key !== 'reference')) return undefined;
  const id = siblingValue(text, offset, 'id');
  if (!id) return undefined;
  const known = tacticById(id) ?? techniqueById(id);
  if (!known) return undefined;
  const url = id.startsWith('TA') ? `https://attack.mitre.org/tactics/${id}/` : `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
  const value = key === 'name' ? known.name : url;
  return [{ label: value, kind: CompletionItemKind.Value, detail: `${id} (ATT&CK v${ATTACK_VERSION})`, sortText: '0' }];
}

/** Completion items at `offset` of a rule file. */
export function completeAt(ctx: RuleContext, text: string, offset: number): CompletionItem[] {
  const cursor = cursorContext(text, offset, ctx.querySpan);
  if (cursor.kind === 'query') {
    const before = text.slice(cursor.queryStart, offset).replace(/^[|>][-+]?\s*/, '');
    return queryItems(ctx, before);
  }
  if (cursor.kind === 'key') {
    // `- word` in a list of scalars is a value.
    const itemSchema = schemaAt(cursor.path);
    const scalarItem = cursor.path.at(-1) === 0 && itemSchema.length > 0 && itemSchema.every((s) => !s.properties);
    if (scalarItem) {
      const key = String([...cursor.path].reverse().find((p) => typeof p === 'string') ?? '');
      if (FIELD_VALUED.has(key)) return fieldItems(ctx, cursor.prefix);
      return describeKey(cursor.path).values.map((v) => ({ label: String(v), kind: CompletionItemKind.Value }));
    }
    return keysAt(cursor.path).map(([key, schema]) => ({
      label: key,
      kind: CompletionItemKind.Property,
      insertText: `${key}: `,
      ...(schema.description ? { documentation: markdown(schema.description) } : {}),
    }));
  }
  const attack = attackItems(cursor.path);
  if (attack) return attack;
  const named = attackNameOrReference(text, offset, cursor.path);
  if (named) return named;
  if (FIELD_VALUED.has(cursor.key)) return fieldItems(ctx, cursor.prefix);
  const { values } = describeKey(cursor.path);
  return values.map((v) => ({ label: String(v), kind: CompletionItemKind.Value }));
}
