import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ATTACK_TACTICS, ATTACK_TECHNIQUES, ATTACK_VERSION, techniqueById } from '../../src/coverage/attack.js';
import { collectCoverage, coveredCells } from '../../src/coverage/collect.js';
import { coverageHtml } from '../../src/coverage/html.js';
import { validateRules } from '../../src/rules/validate.js';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const threat = (tactic: [string, string], technique: [string, string], sub?: string) => [
  {
    framework: 'MITRE ATT&CK',
    tactic: { id: tactic[0], name: tactic[1], reference: `https://attack.mitre.org/tactics/${tactic[0]}/` },
    technique: [{ id: technique[0], name: technique[1], reference: `https://attack.mitre.org/techniques/${technique[0]}/`, ...(sub ? { subtechnique: [{ id: sub, name: 'x', reference: `https://attack.mitre.org/techniques/${sub.replace('.', '/')}/` }] } : {}) }],
  },
];

describe('the ATT&CK table', () => {
  it('is ATT&CK Enterprise v18.1 with the 14 tactics in matrix order', () => {
    expect(ATTACK_VERSION).toBe('18.1');
    expect(ATTACK_TACTICS.map((t) => t.id)).toEqual(['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
    expect(techniqueById('T1496.004')?.name).toBe('Cloud Service Hijacking');
    expect(ATTACK_TECHNIQUES.filter((t) => !t.retired && !t.id.includes('.')).length).toBeGreaterThan(190);
  });
});

describe('ruleforge coverage', () => {
  it('places the bundled rules on the matrix (markdown, the default)', () => {
    const r = run(['coverage', 'rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## ATT&CK coverage \(Enterprise v18\.1\)/);
    expect(r.stdout).toMatch(/6 rules, 6 mapped to ATT&CK; 6 of \d+ techniques covered/);
    expect(r.stdout).toContain('| Impact (TA0040) | [T1496](https://attack.mitre.org/techniques/T1496/) Resource Hijacking | AWS Bedrock Provisioned Throughput Created, Changed or Deleted (medium; T1496.004)<br>AWS Bedrock Model Invoked for the First Time by an Identity (low) |');
  });

  it('writes a Navigator layer: one scored entry per covered technique and sub-technique, with the rules', () => {
    const layer = JSON.parse(run(['coverage', 'rules', '--format', 'navigator']).stdout) as { versions: Record<string, string>; domain: string; techniques: { techniqueID: string; tactic: string; score: number; comment: string }[] };
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.techniques.map((t) => `${t.tactic}/${t.techniqueID}`).sort()).toEqual(
      ['discovery/T1526', 'discovery/T1580', 'execution/T1059', 'execution/T1059.009', 'impact/T1496', 'impact/T1496.004', 'initial-access/T1078', 'initial-access/T1078.004', 'persistence/T1525'].sort(),
    );
    expect(layer.techniques.find((t) => t.techniqueID === 'T1059')?.comment).toBe('AWS Bedrock Model Access APIs Called Outside the Console (medium)');
  });

  it('counts several rules in one cell and lists mappings the matrix cannot place', () => {
    const dir = ruleDir({
      'a.yaml': kqlRule({ threat: threat(['TA0040', 'Impact'], ['T1496', 'Resource Hijacking']) }),
      'b.yaml': kqlRule({ rule_id: 'b', name: 'B', severity: 'high', risk_score: 73, threat: threat(['TA0040', 'Impact'], ['T1496', 'Resource Hijacking'], 'T1496.004') }),
      'c.yaml': kqlRule({ rule_id: 'c', name: 'C', threat: threat(['TA0040', 'Impact'], ['T1059', 'Command and Scripting Interpreter']) }),
      'd.yaml': kqlRule({ rule_id: 'd', name: 'D' }),
    });
    const coverage = collectCoverage(validateRules([dir]).checked);
    const cells = coveredCells(coverage);
    expect(cells.map((c) => [c.tactic.id, c.technique.id, c.rules.map((r) => `${r.name}:${r.severity}:${r.subtechniques.join(',')}`)])).toEqual([['TA0040', 'T1496', ['Throughput deleted:medium:', 'B:high:T1496.004']]]);
    expect(coverage.unmapped).toEqual([{ file: join(dir, 'c.yaml'), rule: 'C' }, { file: join(dir, 'd.yaml'), rule: 'D' }]);
    expect(coverage.unplaced).toEqual([{ file: join(dir, 'c.yaml'), rule: 'C', tactic: 'TA0040', technique: 'T1059', reason: 'T1059 (Command and Scripting Interpreter) is not a technique of Impact' }]);
  });

  it('writes a self-contained HTML heat map to a file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ruleforge-cov-')), 'coverage.html');
    const r = run(['coverage', 'rules', '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    const html = coverageHtml(collectCoverage(validateRules(['rules']).checked));
    expect(html).not.toMatch(/<script|<link|src="http|href="http(?!s:\/\/attack)/);
    expect(html).toContain('id="cell-TA0040-T1496"');
  });
});

const chromium = '/usr/bin/chromium';
describe.skipIf(!existsSync(chromium))('the HTML heat map in headless chromium', () => {
  it('renders the matrix, a covered cell links to its rule, and a screenshot is taken', async () => {
    const { chromium: launcher } = await import('playwright-core');
    const dir = join(root, 'test', '.tmp', 'coverage');
    mkdirSync(dir, { recursive: true });
    const page = join(dir, 'coverage.html');
    expect(run(['coverage', 'rules', '--format', 'html', '--out', page]).code).toBe(0);
    // A fresh profile each run; playwright passes it as --user-data-dir.
    const browser = await launcher.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ruleforge-chromium-')), {
      executablePath: chromium,
      headless: true,
      viewport: { width: 1800, height: 1000 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (req) => requests.push(req.url()));
      await tab.goto(pathToFileURL(page).href);
      expect(await tab.locator('.tactic').count()).toBe(14);
      expect(await tab.locator('.cell.covered').count()).toBe(6);
      const cell = tab.locator('#cell-TA0040-T1496');
      expect(await cell.isVisible()).toBe(true);
      const link = cell.locator('a.rule').first();
      expect(await link.textContent()).toBe('AWS Bedrock Provisioned Throughput Created, Changed or Deleted');
      await link.click();
      const hash = new URL(tab.url()).hash;
      expect(hash).toMatch(/^#rule-\d+$/);
      const target = tab.locator(hash);
      expect(await target.isVisible()).toBe(true);
      expect(await target.textContent()).toContain('rules/impact_bedrock_provisioned_throughput_tampering.yaml');
      expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
      await tab.goto(pathToFileURL(page).href);
      await tab.screenshot({ path: join(dir, 'coverage-heatmap.png'), clip: { x: 0, y: 0, width: 1800, height: 1000 } });
      expect(existsSync(join(dir, 'coverage-heatmap.png'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
if (!existsSync(chromium)) {
  describe('the HTML heat map in headless chromium', () => {
    it.skip(`skipped: ${chromium} is not installed (apt-get install chromium; .ci/run installs it)`, () => {});
  });
}
