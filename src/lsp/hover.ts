import { lookupFunction } from '../eql/functions.js';
import { techniqueById, tacticById, tacticByShortname } from '../coverage/attack.js';
import { describeKey } from '../format/schema-walk.js';
import { cursorContext } from './yaml-context.js';
import { fieldMarkdown, functionSignature } from './describe.js';
import type { RuleContext } from './rule-context.js';

/** The word (field name, function, id) around `offset`, with its span. */
function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined): boolean => c !== undefined && /[\w.@?]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  let word = text.slice(start, end).replace(/^\?/, '');
  if (word.startsWith('?')) start++;
  word = word.replace(/\.+$/, '');
  return word.length > 0 ? { word, start, end: start + word.length } : undefined;
}

function attackMarkdown(id: string): string | undefined {
  const tactic = tacticById(id);
  if (tactic) return `**${tactic.id} ${tactic.name}** (ATT&CK tactic)\n\n${tactic.summary}`;
  const technique = techniqueById(id);
  if (!technique) return undefined;
  const tactics = technique.tactics.map((s) => tacticByShortname(s)?.name ?? s).join(', ');
  return `**${technique.id} ${technique.name}** (ATT&CK ${technique.id.includes('.') ? 'sub-technique' : 'technique'}${technique.retired ? ', deprecated or revoked' : ''})\n\nTactics: ${tactics}${technique.platforms.length ? ` · Platforms: ${technique.platforms.join(', ')}` : ''}\n\n${technique.summary}`;
}

/** Hover text (Markdown) and the span it is about, at `offset` of a rule file. */
export function hoverAt(ctx: RuleContext, text: string, offset: number): { markdown: string; start: number; end: number } | undefined {
  const w = wordAt(text, offset);
  if (!w) return undefined;
  const inQuery = ctx.querySpan !== undefined && offset >= ctx.querySpan.start && offset <= ctx.querySpan.end;
  if (inQuery) {
    const after = text.slice(w.end, w.end + 3);
    const fn = lookupFunction(w.word);
    if (fn && /^~?\(/.test(after)) return { markdown: `\`${functionSignature(fn)}\`${fn.insensitive ? '\n\n`~` makes it case-insensitive.' : ''}`, ...w };
    const info = ctx.schema.lookup(w.word);
    if (info) return { markdown: fieldMarkdown(info), ...w };
    return undefined;
  }
  const attack = /^(TA\d{4}|T\d{4}(\.\d{3})?)$/.test(w.word) ? attackMarkdown(w.word) : undefined;
  if (attack) return { markdown: attack, ...w };
  // A key: its description from the rule schema.
  if (text.slice(w.end).match(/^\s*:/)) {
    const lineStart = text.lastIndexOf('\n', w.start - 1) + 1;
    const cursor = cursorContext(text, w.end, undefined);
    if (cursor.kind === 'key' && text.slice(lineStart, w.start).trim().replace(/^-\s*/, '') === '') {
      const { description, values } = describeKey([...cursor.path, w.word]);
      if (description) return { markdown: `**${w.word}**\n\n${description}${values.length ? `\n\nValues: ${values.map((v) => `\`${String(v)}\``).join(', ')}` : ''}`, ...w };
    }
  }
  const info = ctx.schema.lookup(w.word);
  if (info && w.word.includes('.')) return { markdown: fieldMarkdown(info), ...w };
  return undefined;
}
