// `npm start`: the main job on the bundled data. Validates, compiles and tests the bundled rule library, then
// hunts the bundled CloudTrail sample with the provisioned-throughput rule's query (the engine that runs whole
// rule sets over event streams comes with `ruleforge run`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = join(root, 'dist', 'src', 'cli', 'main.js');
let failed = false;

/** Runs one ruleforge command with its output shown, under a heading. */
function step(title, args) {
  process.stdout.write(`\n== ${title}\n$ ruleforge ${args.map((a) => (/[\s"()]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}

step('Validate the bundled rules', ['validate', 'rules']);
step('Compile them into dist-rules/', ['compile', 'rules', '--out', 'dist-rules']);
step("Run the rules' own examples", ['test', 'rules']);
step('Hunt the sample CloudTrail events with the throughput-tampering query', [
  'query',
  '--language',
  'kuery',
  'data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and event.action: ("CreateProvisionedModelThroughput" or "UpdateProvisionedModelThroughput" or "DeleteProvisionedModelThroughput") and event.outcome: "success"',
  join('examples', 'cloudtrail-sample.ndjson'),
]);
process.exit(failed ? 1 : 0);
