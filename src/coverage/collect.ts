import type { CheckedRule } from '../rules/validate.js';
import { ATTACK_TACTICS, tacticById, techniqueById, techniquesOfTactic } from './attack.js';
import type { AttackTactic, AttackTechnique } from './attack-types.js';

/** A rule as the coverage picture shows it. */
export interface CoveredRule {
  ruleId: string;
  name: string;
  file: string;
  severity: string;
  riskScore: number;
  /** Sub-technique ids the rule names under this cell's technique. */
  subtechniques: string[];
}

/** One matrix cell: a technique under one tactic, and the rules mapped to it there. */
export interface CoverageCell {
  tactic: AttackTactic;
  technique: AttackTechnique;
  rules: CoveredRule[];
}

/** A mapping the matrix cannot place (unknown or retired id, technique under a tactic it is not part of). */
export interface UnplacedMapping {
  file: string;
  rule: string;
  tactic: string;
  technique?: string;
  reason: string;
}

/** The ATT&CK coverage of a rule set. */
export interface Coverage {
  /** Every tactic of the matrix in order, each with all its current techniques (covered or not). */
  columns: { tactic: AttackTactic; cells: CoverageCell[] }[];
  rules: number;
  /** Rules with at least one ATT&CK mapping placed on the matrix. */
  mappedRules: number;
  unplaced: UnplacedMapping[];
  /** Rules with no mapping placed on the matrix (none at all, or only ones listed in `unplaced`). */
  unmapped: { file: string; rule: string }[];
}

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Builds the coverage picture from checked rule files (rules the schema rejected are left out). */
export function collectCoverage(checked: readonly CheckedRule[]): Coverage {
  const cells = new Map<string, CoverageCell>();
  const columns = ATTACK_TACTICS.map((tactic) => ({
    tactic,
    cells: techniquesOfTactic(tactic.shortname).map((technique) => {
      const cell: CoverageCell = { tactic, technique, rules: [] };
      cells.set(`${tactic.id}/${technique.id}`, cell);
      return cell;
    }),
  }));
  const unplaced: UnplacedMapping[] = [];
  const unmapped: { file: string; rule: string }[] = [];
  let rules = 0;
  let mappedRules = 0;
  for (const c of checked) {
    const rule = c.rule;
    if (!rule) continue;
    rules++;
    let mapped = false;
    for (const entryValue of asArray((rule as unknown as Record<string, unknown>).threat)) {
      const entry = asRecord(entryValue);
      if (!entry || (entry.framework !== undefined && entry.framework !== 'MITRE ATT&CK')) continue;
      const tacticId = String(asRecord(entry.tactic)?.id ?? '');
      const tactic = tacticById(tacticId);
      const where = { file: c.file, rule: rule.name, tactic: tacticId };
      if (!tactic) {
        unplaced.push({ ...where, reason: `tactic ${tacticId} is not in ATT&CK Enterprise` });
        continue;
      }
      for (const techniqueValue of asArray(entry.technique)) {
        const technique = asRecord(techniqueValue);
        const techniqueId = String(technique?.id ?? '');
        const known = techniqueById(techniqueId);
        const cell = cells.get(`${tactic.id}/${techniqueId}`);
        if (!known || known.retired) {
          unplaced.push({ ...where, technique: techniqueId, reason: known ? `technique ${techniqueId} is deprecated or revoked` : `technique ${techniqueId} is not in ATT&CK Enterprise` });
          continue;
        }
        if (!cell) {
          unplaced.push({ ...where, technique: techniqueId, reason: `${techniqueId} (${known.name}) is not a technique of ${tactic.name}` });
          continue;
        }
        const subtechniques = asArray(technique?.subtechnique).map((s) => String(asRecord(s)?.id ?? '')).filter((s) => s.startsWith(`${techniqueId}.`));
        const existing = cell.rules.find((r) => r.file === c.file);
        if (existing) existing.subtechniques.push(...subtechniques.filter((s) => !existing.subtechniques.includes(s)));
        else cell.rules.push({ ruleId: rule.rule_id, name: rule.name, file: c.file, severity: rule.severity, riskScore: rule.risk_score, subtechniques });
        mapped = true;
      }
    }
    if (mapped) mappedRules++;
    else unmapped.push({ file: c.file, rule: rule.name });
  }
  return { columns, rules, mappedRules, unplaced, unmapped };
}

/** Cells with at least one rule, in matrix order. */
export function coveredCells(coverage: Coverage): CoverageCell[] {
  return coverage.columns.flatMap((col) => col.cells.filter((cell) => cell.rules.length > 0));
}
