import { createHash } from 'node:crypto';
import { basename, extname, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ARTIFACT_VERSION, type ArtifactRule, type RuleArtifact } from '../ir/artifact.js';
import { COMPILED_RULE_TYPES, type RuleDefinition, type ThreatEntry } from './types.js';
import type { CheckedRule } from './validate.js';

/** An artifact ready to write: its file name in the output directory and its exact bytes. */
export interface ArtifactFile {
  name: string;
  artifact: RuleArtifact;
  content: string;
}

export type CompileOutcome = { ok: true; file: ArtifactFile } | { ok: false; diagnostics: Diagnostic[] };

/** Kibana's export always has `technique` and `subtechnique` lists; the artifact does too, so alerts are uniform. */
function threatOf(threat: ThreatEntry[] | undefined): ArtifactRule['threat'] {
  return (threat ?? []).map((t) => ({
    framework: t.framework,
    tactic: { id: t.tactic.id, name: t.tactic.name, reference: t.tactic.reference },
    technique: (t.technique ?? []).map((q) => ({
      id: q.id,
      name: q.name,
      reference: q.reference,
      subtechnique: (q.subtechnique ?? []).map((s) => ({ id: s.id, name: s.name, reference: s.reference })),
    })),
  }));
}

/** The run-time settings of a rule, in a fixed key order so artifacts are byte-for-byte reproducible. */
function artifactRule(rule: RuleDefinition, language: 'kuery' | 'eql'): ArtifactRule {
  const out: ArtifactRule = {
    rule_id: rule.rule_id,
    name: rule.name,
    description: rule.description,
    type: rule.type as ArtifactRule['type'],
    language,
    severity: rule.severity,
    risk_score: rule.risk_score,
    tags: rule.tags ?? [],
    threat: threatOf(rule.threat),
  };
  const optional = ['index', 'from', 'interval', 'max_signals', 'enabled', 'version', 'building_block_type', 'timestamp_override', 'timestamp_field', 'tiebreaker_field', 'event_category_override', 'author', 'license', 'references', 'investigation_fields', 'rule_name_override', 'to', 'timestamp_override_fallback_disabled', 'threshold', 'new_terms_fields', 'history_window_start', 'alert_suppression'] as const;
  for (const key of optional) {
    const value = rule[key];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
  return out;
}

/** `rules/x/impact_foo.yaml` → `impact_foo.json`. */
export function artifactName(file: string): string {
  return `${basename(file, extname(file))}.json`;
}

/** Builds the artifact of one checked rule, or says why it has none (errors, or a type ruleforge does not compile). */
export function compileCheckedRule(checked: CheckedRule, cwd = process.cwd()): CompileOutcome {
  const { rule, doc } = checked;
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !rule || !doc) return { ok: false, diagnostics: errors };
  if (!COMPILED_RULE_TYPES.has(rule.type) || !checked.ir || !checked.language) {
    const span = doc.nearestSpan([COMPILED_RULE_TYPES.has(rule.type) ? 'language' : 'type']);
    const what = COMPILED_RULE_TYPES.has(rule.type) ? `a ${rule.language ?? 'non-KQL'} query` : `type "${rule.type}"`;
    return {
      ok: false,
      diagnostics: [doc.diagnostic(span.start, span.end, { severity: 'warning', code: 'rule/unsupported-type', message: `Not compiled: ruleforge compiles query, threshold and new_terms (KQL) and EQL rules; this rule has ${what}.`, hint: 'It is still validated against its schema.' })],
    };
  }
  const ir = checked.ir;
  const fieldSet = new Set(ir.fields);
  if (rule.type === 'eql' && (ir.sequence || ir.sample)) {
    fieldSet.add(rule.timestamp_field ?? '@timestamp');
    if (rule.tiebreaker_field) fieldSet.add(rule.tiebreaker_field);
  }
  const artifact: RuleArtifact = {
    artifactVersion: ARTIFACT_VERSION,
    rule: artifactRule(rule, checked.language),
    query: rule.query ?? '',
    ir,
    fields: [...fieldSet].sort(),
    ...(checked.exceptionItems ? { exceptions: checked.exceptionItems } : {}),
    source: { file: relative(cwd, checked.file).split(sep).join('/'), sha256: createHash('sha256').update(doc.text).digest('hex') },
  };
  return { ok: true, file: { name: artifactName(checked.file), artifact, content: `${JSON.stringify(artifact, null, 2)}\n` } };
}
