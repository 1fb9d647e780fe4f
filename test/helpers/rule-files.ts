import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump } from 'js-yaml';
import { clearProjectCache } from '../../src/rules/project.js';
import { validateRules, type ValidationResult } from '../../src/rules/validate.js';

/** A valid KQL rule; tests override fields to make it wrong in one way. */
export function kqlRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Throughput deleted',
    rule_id: '00000000-0000-4000-8000-000000000001',
    type: 'query',
    language: 'kuery',
    index: ['logs-aws.cloudtrail-*'],
    description: 'A test rule.',
    query: 'event.provider: "bedrock.amazonaws.com" and event.action: "DeleteProvisionedModelThroughput"',
    risk_score: 47,
    severity: 'medium',
    author: ['tests'],
    ...overrides,
  };
}

/** A valid EQL sequence rule. */
export function eqlRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return kqlRule({
    name: 'List then invoke',
    rule_id: '00000000-0000-4000-8000-000000000002',
    type: 'eql',
    language: 'eql',
    query: 'sequence by aws.cloudtrail.user_identity.access_key_id with maxspan=15m\n  [any where event.action == "ListFoundationModels"]\n  [any where event.action : "InvokeModel"]\n',
    risk_score: 73,
    severity: 'high',
    ...overrides,
  });
}

/** Writes files (path → YAML text or a rule object) into a fresh directory and returns its path. */
export function ruleDir(files: Record<string, string | Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-rules-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : dump(content, { lineWidth: -1 }));
  }
  clearProjectCache();
  return dir;
}

/** Validates the given files and returns the result. */
export function validateFiles(files: Record<string, string | Record<string, unknown>>): ValidationResult & { dir: string } {
  const dir = ruleDir(files);
  return { ...validateRules([dir]), dir };
}

/** The codes reported, as `severity code` strings. */
export const codes = (r: ValidationResult): string[] => r.diagnostics.map((d) => `${d.severity} ${d.code}`);
