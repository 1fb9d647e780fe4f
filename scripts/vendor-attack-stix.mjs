// One-off maintenance script (not part of the build): trims a MITRE ATT&CK Enterprise release, as published in
// STIX 2.0 by MITRE (the mitre/cti repository, one JSON bundle per object), into data/attack/enterprise-attack.json.
// The build (scripts/gen-attack-matrix.mjs) converts that snapshot into src/generated/attack-matrix.ts.
//
//   node scripts/vendor-attack-stix.mjs <path to a checkout or git dir of mitre/cti> <ATT&CK version, e.g. 18.1>
//
// Kept per object: type, ATT&CK id, name, the first sentence of the description (citations removed), tactic
// short names (kill-chain phases), platforms, and the deprecated/revoked flags; the matrix keeps its tactic order.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [source, version] = process.argv.slice(2);
if (!source || !version) {
  process.stderr.write('usage: node scripts/vendor-attack-stix.mjs <mitre/cti checkout or git dir> <version>\n');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isWorkTree = existsSync(join(source, 'enterprise-attack'));

function listDir(dir) {
  if (isWorkTree) return readdirSync(join(source, dir)).map((f) => `${dir}/${f}`);
  return execFileSync('git', ['-C', source, 'ls-tree', '--name-only', 'HEAD', `${dir}/`], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n');
}
function readJson(path) {
  const text = isWorkTree ? readFileSync(join(source, path), 'utf8') : execFileSync('git', ['-C', source, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(text).objects[0];
}
const attackId = (o) => o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
function summary(description) {
  const text = (description ?? '').replace(/\(Citation:[^)]*\)/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  const end = text.search(/\.(\s|$)/);
  return end > 0 ? text.slice(0, end + 1) : text;
}

const tactics = listDir('enterprise-attack/x-mitre-tactic').map(readJson);
const matrix = listDir('enterprise-attack/x-mitre-matrix').map(readJson)[0];
const patterns = listDir('enterprise-attack/attack-pattern').map(readJson);
const tacticById = new Map(tactics.map((t) => [t.id, t]));

const out = {
  source: 'MITRE ATT&CK Enterprise (STIX 2.0, github.com/mitre/cti)',
  version,
  license: '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation (ATT&CK terms of use: attack.mitre.org/resources/legal-and-branding/terms-of-use/).',
  matrix: { name: matrix.name, tactics: matrix.tactic_refs.map((ref) => tacticById.get(ref).x_mitre_shortname) },
  tactics: tactics
    .filter((t) => !t.revoked && !t.x_mitre_deprecated)
    .map((t) => ({ id: attackId(t), shortname: t.x_mitre_shortname, name: t.name, summary: summary(t.description) }))
    .sort((a, b) => a.id.localeCompare(b.id)),
  techniques: patterns
    .filter((p) => attackId(p))
    .map((p) => ({
      id: attackId(p),
      name: p.name,
      summary: summary(p.description),
      tactics: (p.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name),
      platforms: p.x_mitre_platforms ?? [],
      ...(p.revoked ? { revoked: true } : {}),
      ...(p.x_mitre_deprecated ? { deprecated: true } : {}),
    }))
    .sort((a, b) => a.id.localeCompare(b.id)),
};
writeFileSync(join(root, 'data', 'attack', 'enterprise-attack.json'), `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`data/attack/enterprise-attack.json: ATT&CK v${version}, ${out.tactics.length} tactics, ${out.techniques.length} techniques\n`);
