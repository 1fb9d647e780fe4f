import { ATTACK_VERSION } from './attack.js';
import { coveredCells, type Coverage, type CoveredRule } from './collect.js';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

export interface HtmlOptions {
  title?: string;
  /** The link to a rule file from the page (e.g. a path relative to the HTML file); none when absent. */
  ruleHref?: (file: string) => string | undefined;
}

/** Heat colour for a cell with `n` rules, relative to the busiest cell. */
function heat(n: number, max: number): string {
  if (n === 0) return '#f3f4f6';
  const t = max <= 1 ? 1 : (n - 1) / (max - 1);
  const lightness = Math.round(82 - t * 22);
  return `hsl(217, 85%, ${lightness}%)`;
}

/**
 * A self-contained HTML heat map of the coverage (inline CSS, no script, no network): one column per tactic,
 * one cell per technique, coloured by the number of rules; each covered cell lists its rules with their
 * severity, linking to the rule's entry below (and from there to its file).
 */
export function coverageHtml(coverage: Coverage, options: HtmlOptions = {}): string {
  const title = options.title ?? 'ruleforge ATT&CK coverage';
  const covered = coveredCells(coverage);
  const max = Math.max(1, ...covered.map((c) => c.rules.length));
  const ruleIds = new Map<string, string>();
  const allRules = new Map<string, { rule: CoveredRule; cells: string[] }>();
  for (const cell of covered) {
    for (const r of cell.rules) {
      if (!ruleIds.has(r.file)) ruleIds.set(r.file, `rule-${ruleIds.size + 1}`);
      const entry = allRules.get(r.file) ?? { rule: r, cells: [] };
      entry.cells.push(`<a href="#cell-${cell.tactic.id}-${cell.technique.id}">${escapeHtml(cell.tactic.name)} › ${cell.technique.id} ${escapeHtml(cell.technique.name)}${r.subtechniques.length ? ` (${r.subtechniques.map(escapeHtml).join(', ')})` : ''}</a>`);
      allRules.set(r.file, entry);
    }
  }
  const techniqueCount = new Set(covered.map((c) => c.technique.id)).size;
  const total = new Set(coverage.columns.flatMap((col) => col.cells.map((c) => c.technique.id))).size;

  const columns = coverage.columns
    .map((col) => {
      const done = col.cells.filter((c) => c.rules.length > 0).length;
      const cells = col.cells
        .map((cell) => {
          const n = cell.rules.length;
          const rules = [...cell.rules]
            .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.name.localeCompare(b.name))
            .map((r) => `<li><a class="rule" href="#${ruleIds.get(r.file)}">${escapeHtml(r.name)}</a> <span class="sev sev-${escapeHtml(r.severity)}">${escapeHtml(r.severity)}</span></li>`)
            .join('');
          return `<div class="cell${n > 0 ? ' covered' : ''}" id="cell-${col.tactic.id}-${cell.technique.id}" style="background:${heat(n, max)}" title="${escapeHtml(`${cell.technique.id} ${cell.technique.name}: ${n} rule${n === 1 ? '' : 's'}`)}"><div class="tech"><span class="tid">${cell.technique.id}</span> ${escapeHtml(cell.technique.name)}${n > 0 ? ` <span class="count">${n}</span>` : ''}</div>${n > 0 ? `<ul>${rules}</ul>` : ''}</div>`;
        })
        .join('');
      return `<section class="tactic"><h2>${escapeHtml(col.tactic.name)}<small>${col.tactic.id} · ${done}/${col.cells.length}</small></h2>${cells}</section>`;
    })
    .join('');

  const ruleList = [...allRules]
    .map(([file, { rule, cells }]) => {
      const href = options.ruleHref?.(file);
      return `<li id="${ruleIds.get(file)}"><strong>${escapeHtml(rule.name)}</strong> <span class="sev sev-${escapeHtml(rule.severity)}">${escapeHtml(rule.severity)}</span> risk ${rule.riskScore} — ${href ? `<a href="${escapeHtml(href)}">${escapeHtml(file)}</a>` : escapeHtml(file)}<br><span class="where">${cells.join(' · ')}</span></li>`;
    })
    .join('');
  const unplaced = coverage.unplaced.length
    ? `<h2>Mappings not placed on the matrix</h2><ul>${coverage.unplaced.map((u) => `<li>${escapeHtml(u.rule)} (${escapeHtml(u.file)}): ${escapeHtml(u.reason)}</li>`).join('')}</ul>`
    : '';
  const unmapped = coverage.unmapped.length
    ? `<h2>Rules without an ATT&amp;CK mapping on the matrix</h2><ul>${coverage.unmapped.map((u) => `<li>${escapeHtml(u.rule)} (${escapeHtml(u.file)})</li>`).join('')}</ul>`
    : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #111827; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.summary { margin: 0 0 12px; color: #374151; }
.matrix { display: grid; grid-template-columns: repeat(${coverage.columns.length}, minmax(120px, 1fr)); gap: 6px; align-items: start; }
.tactic h2 { font-size: 12px; margin: 0 0 4px; padding: 4px; background: #111827; color: #fff; border-radius: 3px; }
.tactic h2 small { display: block; font-weight: normal; color: #d1d5db; }
.cell { border-radius: 3px; padding: 3px 4px; margin-bottom: 3px; font-size: 11px; color: #6b7280; }
.cell.covered { color: #0b1220; border: 1px solid #1e3a8a; }
.cell .tid { font-family: ui-monospace, monospace; font-size: 10px; }
.cell .count { float: right; font-weight: bold; }
.cell ul { margin: 2px 0 0; padding-left: 14px; }
.cell a.rule { color: #0b1220; }
.sev { font-size: 10px; padding: 0 4px; border-radius: 8px; color: #fff; background: #6b7280; }
.sev-critical { background: #7f1d1d; } .sev-high { background: #b91c1c; } .sev-medium { background: #b45309; } .sev-low { background: #15803d; }
ul.rules li { margin-bottom: 6px; }
.where { color: #4b5563; }
:target { outline: 3px solid #f59e0b; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">MITRE ATT&amp;CK Enterprise v${escapeHtml(ATTACK_VERSION)} · ${coverage.rules} rules, ${coverage.mappedRules} mapped · ${techniqueCount} of ${total} techniques covered in ${new Set(covered.map((c) => c.tactic.id)).size} of ${coverage.columns.length} tactics</p>
<div class="matrix">${columns}</div>
<h2>Rules</h2>
<ul class="rules">${ruleList}</ul>
${unplaced}
${unmapped}
</body>
</html>
`;
}
