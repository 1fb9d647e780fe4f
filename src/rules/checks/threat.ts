import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DocPath } from '../yaml-document.js';
import { reportAt, stringList, type CheckContext } from './context.js';

interface Level {
  label: string;
  attackId: RegExp;
  atlasId: RegExp;
  url: (id: string, atlas: boolean) => string;
}

const TACTIC: Level = {
  label: 'tactic',
  attackId: /^TA\d{4}$/,
  atlasId: /^AML\.TA\d{4}$/,
  url: (id, atlas) => (atlas ? `https://atlas.mitre.org/tactics/${id}/` : `https://attack.mitre.org/tactics/${id}/`),
};
const TECHNIQUE: Level = {
  label: 'technique',
  attackId: /^T\d{4}$/,
  atlasId: /^AML\.T\d{4}$/,
  url: (id, atlas) => (atlas ? `https://atlas.mitre.org/techniques/${id}/` : `https://attack.mitre.org/techniques/${id}/`),
};
const SUBTECHNIQUE: Level = {
  label: 'subtechnique',
  attackId: /^T\d{4}\.\d{3}$/,
  atlasId: /^AML\.T\d{4}\.\d{3}$/,
  url: (id, atlas) => {
    const [parent, sub] = id.split('.').slice(atlas ? 1 : 0);
    return atlas ? `https://atlas.mitre.org/techniques/AML.${parent}.${sub}/` : `https://attack.mitre.org/techniques/${parent}/${sub}/`;
  },
};

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * `threat/id` and `threat/reference`: MITRE ids have the framework's form (TA0040, T1496, T1496.004), each
 * reference URL is the one the id implies, and a sub-technique extends its technique.
 */
export function checkThreat(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const threat = ctx.draft.threat;
  if (!Array.isArray(threat)) return out;
  const seenTactics = new Map<string, number>();
  threat.forEach((entryValue, i) => {
    const entry = asRecord(entryValue);
    if (!entry) return;
    const atlas = entry.framework === 'MITRE ATLAS';
    const tactic = asRecord(entry.tactic);
    if (tactic) {
      checkReference(ctx, ['threat', i, 'tactic'], tactic, TACTIC, atlas, out);
      if (typeof tactic.id === 'string') {
        const first = seenTactics.get(tactic.id);
        if (first !== undefined) out.push(reportAt(ctx, ['threat', i, 'tactic', 'id'], { severity: 'warning', code: 'threat/duplicate-tactic', message: `Tactic ${tactic.id} is listed twice (also in threat[${first}]).`, hint: 'Put all techniques of one tactic in one entry.' }));
        else seenTactics.set(tactic.id, i);
      }
    }
    if (!Array.isArray(entry.technique)) return;
    entry.technique.forEach((techniqueValue, j) => {
      const technique = asRecord(techniqueValue);
      if (!technique) return;
      checkReference(ctx, ['threat', i, 'technique', j], technique, TECHNIQUE, atlas, out);
      if (!Array.isArray(technique.subtechnique)) return;
      technique.subtechnique.forEach((subValue, k) => {
        const sub = asRecord(subValue);
        if (!sub) return;
        const path = ['threat', i, 'technique', j, 'subtechnique', k];
        checkReference(ctx, path, sub, SUBTECHNIQUE, atlas, out);
        if (typeof sub.id === 'string' && typeof technique.id === 'string' && !sub.id.startsWith(`${technique.id}.`)) {
          out.push(reportAt(ctx, [...path, 'id'], { code: 'threat/id', message: `Sub-technique ${sub.id} does not belong to technique ${technique.id}.`, hint: `Its id starts with "${technique.id}." when it does.` }));
        }
      });
    });
  });
  return out;
}

function checkReference(ctx: CheckContext, path: DocPath, node: Record<string, unknown>, level: Level, atlas: boolean, out: Diagnostic[]): void {
  const id = node.id;
  if (typeof id !== 'string') return;
  const idPattern = atlas ? level.atlasId : level.attackId;
  if (!idPattern.test(id)) {
    const example = atlas ? { tactic: 'AML.TA0000', technique: 'AML.T0000', subtechnique: 'AML.T0000.000' }[level.label] : { tactic: 'TA0040', technique: 'T1496', subtechnique: 'T1496.004' }[level.label];
    out.push(reportAt(ctx, [...path, 'id'], { code: 'threat/id', message: `"${id}" is not a ${atlas ? 'MITRE ATLAS' : 'MITRE ATT&CK'} ${level.label} id.`, hint: `${level.label[0].toUpperCase()}${level.label.slice(1)} ids look like ${example}.` }));
    return;
  }
  const reference = node.reference;
  if (typeof reference !== 'string') return;
  const expected = level.url(id, atlas);
  const normalised = reference.endsWith('/') ? reference : `${reference}/`;
  if (normalised !== expected) {
    out.push(reportAt(ctx, [...path, 'reference'], { code: 'threat/reference', message: `The reference for ${level.label} ${id} should be ${expected}.`, hint: `Got ${reference}.` }));
  }
}

const URL_FORM = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

/** `rule/reference-url`: every entry of `references` is an http(s) URL. */
export function checkReferences(ctx: CheckContext): Diagnostic[] {
  return stringList(ctx.draft.references)
    .filter(([url]) => !URL_FORM.test(url))
    .map(([url, i]) => reportAt(ctx, ['references', i], { code: 'rule/reference-url', message: `"${url}" is not an http(s) URL.`, hint: 'References are links to documentation or write-ups, e.g. https://attack.mitre.org/techniques/T1496/.' }));
}
