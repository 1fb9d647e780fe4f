// `npm start`: the main job on the bundled data. Until the rule library lands, it hunts the bundled
// CloudTrail sample with the query of the "Provisioned Model Throughput Tampering" detection.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const query =
  'data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and ' +
  'event.action: ("CreateProvisionedModelThroughput" or "UpdateProvisionedModelThroughput" or "DeleteProvisionedModelThroughput") ' +
  'and event.outcome: "success"';
const sample = join('examples', 'cloudtrail-sample.ndjson');
process.stdout.write(`ruleforge query --language kuery '${query}' examples/cloudtrail-sample.ndjson\n\n`);
const run = spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'query', '--language', 'kuery', query, sample], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
