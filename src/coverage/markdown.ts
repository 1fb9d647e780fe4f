import { ATTACK_VERSION } from './attack.js';
import { coveredCells, type Coverage } from './collect.js';

const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Coverage as a Markdown table for pull requests: one row per covered technique and tactic. */
export function coverageMarkdown(coverage: Coverage): string {
  const covered = coveredCells(coverage);
  const techniques = new Set(covered.map((c) => c.technique.id));
  const total = new Set(coverage.columns.flatMap((col) => col.cells.map((c) => c.technique.id))).size;
  const lines = [
    `## ATT&CK coverage (Enterprise v${ATTACK_VERSION})`,
    '',
    `${coverage.rules} rules, ${coverage.mappedRules} mapped to ATT&CK; ${techniques.size} of ${total} techniques covered (${total > 0 ? ((100 * techniques.size) / total).toFixed(1) : '0.0'}%), in ${new Set(covered.map((c) => c.tactic.id)).size} of ${coverage.columns.length} tactics.`,
    '',
  ];
  if (covered.length > 0) {
    lines.push('| Tactic | Technique | Rules |', '| --- | --- | --- |');
    for (const cell of covered) {
      const rules = cell.rules.map((r) => `${cellText(r.name)} (${r.severity}${r.subtechniques.length ? `; ${r.subtechniques.join(', ')}` : ''})`).join('<br>');
      lines.push(`| ${cell.tactic.name} (${cell.tactic.id}) | [${cell.technique.id}](https://attack.mitre.org/techniques/${cell.technique.id}/) ${cellText(cell.technique.name)} | ${rules} |`);
    }
  }
  if (coverage.unplaced.length > 0) {
    lines.push('', 'Mappings not placed on the matrix:', '');
    for (const u of coverage.unplaced) lines.push(`- ${cellText(u.rule)} (${u.file}): ${u.reason}`);
  }
  if (coverage.unmapped.length > 0) {
    lines.push('', 'Rules without an ATT&CK mapping on the matrix:', '');
    for (const u of coverage.unmapped) lines.push(`- ${cellText(u.rule)} (${u.file})`);
  }
  return `${lines.join('\n')}\n`;
}
