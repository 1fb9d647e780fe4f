import { compileQuery } from '../../src/compile-query.js';
import { ARTIFACT_VERSION, type ArtifactRule, type RuleArtifact } from '../../src/ir/artifact.js';

/** A compiled rule artifact for a query, as `ruleforge compile` would write it (settings overridable). */
export function artifactFor(query: string, language: 'kuery' | 'eql', rule: Partial<ArtifactRule> = {}): RuleArtifact {
  const compiled = compileQuery(query, { language });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const id = rule.rule_id ?? `rule-${Math.abs(hash(query + language))}`;
  return {
    artifactVersion: ARTIFACT_VERSION,
    rule: {
      rule_id: id,
      name: rule.name ?? `Rule ${id}`,
      description: 'test',
      type: language === 'eql' ? 'eql' : 'query',
      language,
      severity: 'medium',
      risk_score: 47,
      tags: [],
      threat: [],
      ...rule,
    },
    query,
    ir: JSON.parse(JSON.stringify(compiled.ir)),
    fields: [...compiled.ir.fields].sort(),
    source: { file: `${id}.yaml`, sha256: '0'.repeat(64) },
  };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
