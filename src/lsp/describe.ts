import type { EqlFunctionSignature } from '../eql/functions.js';
import type { FieldInfo } from '../fields/types.js';
import { ECS_SHORT } from '../generated/ecs-docs.js';

const SOURCE_NAMES: Record<FieldInfo['source'], string> = { ecs: 'ECS', pack: 'integration pack', extra: 'rule or ruleforge.yaml `fields:`' };

/** `startsWith(string, string) → boolean`, with optional arguments in brackets and `...` for variadic ones. */
export function functionSignature(f: EqlFunctionSignature): string {
  const shown = Number.isFinite(f.maxArgs) ? f.maxArgs : f.args.length;
  const args: string[] = [];
  for (let i = 0; i < shown; i++) {
    const kind = f.args[Math.min(i, f.args.length - 1)] ?? 'any';
    args.push(i < f.minArgs ? kind : `[${kind}]`);
  }
  if (!Number.isFinite(f.maxArgs)) args.push('...');
  return `${f.name}${f.insensitive ? '[~]' : ''}(${args.join(', ')}) → ${f.returns}`;
}

/** A field's hover text: name, type, where its type comes from, and ECS's description. */
export function fieldMarkdown(info: FieldInfo): string {
  const lines = [`**${info.name}** — \`${info.type}\` (${SOURCE_NAMES[info.source]})`];
  if (info.flattenedParent) lines.push(`A key inside the flattened field \`${info.flattenedParent}\` (searched as keyword).`);
  if (info.constantValue !== undefined) lines.push(`Constant in this data stream: \`${info.constantValue}\`.`);
  if (info.array) lines.push('Holds an array by convention.');
  if (info.indexed === false) lines.push('Not indexed: Elasticsearch cannot search it.');
  const short = ECS_SHORT[info.name];
  if (short) lines.push('', short);
  return lines.join('\n');
}
