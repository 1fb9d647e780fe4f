// `npm start`: the main job on the bundled data. Validates, compiles and tests the bundled rule library, then
// runs it over a morning of CloudTrail activity (examples/bedrock-attack.ndjson) in which a leaked long-term
// key is used to enable and abuse Amazon Bedrock, and prints the alerts as a timeline with the run's summary.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = join(root, 'dist', 'src', 'cli', 'main.js');
let failed = false;

const shown = (args) => args.map((a) => (/[\s"()]/.test(a) ? `'${a}'` : a)).join(' ');

/** Runs one ruleforge command with its output shown, under a heading. */
function step(title, args) {
  process.stdout.write(`\n== ${title}\n$ ruleforge ${shown(args)}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}

step('Validate the bundled rules', ['validate', 'rules']);
step('Compile them into dist-rules/', ['compile', 'rules', '--out', 'dist-rules']);
step("Run the rules' own examples (true positives and near misses)", ['test', 'rules']);

const sample = join('examples', 'bedrock-attack.ndjson');
// The day before, for the new_terms rule: what each identity normally invokes (its history window is 7 days).
const history = join('examples', 'bedrock-history.ndjson');
const args = ['run', '--rules', 'dist-rules', '--history', history, sample];
process.stdout.write(`\n== Run them over a morning of CloudTrail activity (${sample})\n$ ruleforge ${shown(args)}\n`);
const run = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (run.status !== 0) failed = true;
const alerts = run.stdout
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l))
  .sort((a, b) => String(a['kibana.alert.original_time']).localeCompare(String(b['kibana.alert.original_time'])));
process.stdout.write('\nTimeline of alerts (event time, severity, rule, who):\n');
for (const a of alerts) {
  const first = a.events.find((e) => e !== null) ?? {};
  const time = String(a['kibana.alert.original_time']).slice(11, 19);
  const bucket = a['kibana.alert.threshold_result'];
  if (bucket) {
    // A threshold alert has no source event: show the bucket it counted.
    const terms = bucket.terms.map((t) => `${t.field}=${t.value}`).join(', ');
    const distinct = (bucket.cardinality ?? []).map((c) => `, ${c.value} distinct ${c.field}`).join('');
    process.stdout.write(`  ${time}  ${a['kibana.alert.severity'].padEnd(6)}  ${a['kibana.alert.rule.name']}\n            ${bucket.count} events since ${bucket.from.slice(11, 19)}${distinct} for ${terms}\n`);
    continue;
  }
  const who = first.aws?.cloudtrail?.user_identity ?? {};
  const actions = a.events.filter((e) => e !== null).map((e) => e.event?.action).join(' → ');
  const terms = a['kibana.alert.new_terms'] ? ` (new: ${a['kibana.alert.new_terms'].join(', ')})` : '';
  process.stdout.write(`  ${time}  ${a['kibana.alert.severity'].padEnd(6)}  ${a['kibana.alert.rule.name']}${terms}\n            ${actions} by ${who.arn ?? '?'} (key ${who.access_key_id ?? '?'}) from ${first.source?.ip ?? '?'}\n`);
}
process.stdout.write(`\n${run.stderr}`);
process.exit(failed ? 1 : 0);
