// `npm run bench:against -- <commit>`: this tree's engine against the engine of an earlier commit, on the same
// machine, in the same process, over the same events: the library of Elastic's rules (../shared/corpus/rules, each
// tree compiling it with its own compiler) and the bench's mixed ECS events. Rates drift by tens of per cent on a
// shared machine, so the two engines take turns, round after round, and the ratio is of the medians.
// The earlier commit is checked out in a temporary worktree, installed with `npm ci` and built there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!(Number.isInteger(value) && value > 0)) fail(`${name} needs a positive integer`);
  args.splice(at, 2);
  return value;
};
function fail(message) {
  process.stderr.write(`compare-engine: ${message}\n`);
  process.exit(1);
}
const eventCount = option('--events', 100_000);
const rounds = option('--rounds', 4);
const commit = args[0];
if (!commit || args.length > 1) fail('usage: npm run bench:against -- <commit> [--events N] [--rounds R]');
const corpus = join(root, '..', 'shared', 'corpus', 'rules', 'queries.jsonl');
if (!existsSync(corpus)) fail(`${corpus} is absent: the comparison runs Elastic's rules from ../shared/corpus`);

const run = (cmd, cmdArgs, cwd) => {
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed in ${cwd}`);
};
run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], root);
const resolved = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
const then = mkdtempSync(join(tmpdir(), 'ruleforge-then-'));
process.stderr.write(`compare-engine: building ${resolved.slice(0, 12)} in ${then}\n`);
run('git', ['worktree', 'add', '--detach', then, resolved], root);
try {
  run('npm', ['ci', '--no-audit', '--no-fund'], then);
  run('npm', ['run', 'build'], then);
  await compare(then);
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', then], { cwd: root, stdio: 'ignore' });
}

/** Both trees' engines over the same events, taking turns. */
async function compare(thenRoot) {
  const rows = readFileSync(corpus, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const { makeEcsEvents } = await import(pathToFileURL(join(root, 'dist', 'bench', 'ecs-events.js')).href);
  // The rows become artifacts the way the bench makes them, each tree with its own compiler.
  const { corpusArtifact } = await import(pathToFileURL(join(root, 'dist', 'bench', 'corpus-rules.js')).href);
  const lines = makeEcsEvents(eventCount).map((e) => JSON.stringify(e));
  const trees = [];
  for (const [name, dir] of [['then', thenRoot], ['now', root]]) {
    const load = (path) => import(pathToFileURL(join(dir, 'dist', 'src', path)).href);
    const { compileQuery } = await load('compile-query.js');
    const { ARTIFACT_VERSION } = await load('ir/artifact.js');
    const { createEngine } = await load('runtime/index.js');
    const rules = rows.map((row) => corpusArtifact(row, compileQuery, ARTIFACT_VERSION)).filter((r) => r !== undefined);
    trees.push({ name, createEngine, rules, rates: [], alerts: 0 });
  }
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const now = Date.UTC(2026, 5, 5, 12);
  const warm = Math.floor(eventCount / 5);
  for (let r = 0; r < rounds; r++) {
    for (const tree of trees) {
      const events = lines.map((l) => JSON.parse(l));
      const engine = tree.createEngine(tree.rules, { now });
      let alerts = 0;
      // A fresh engine compiles and optimises its rules' code over its first events: those are not timed.
      for (let k = 0; k < warm; k++) alerts += engine.process(events[k]).length;
      const t = cpuMs();
      for (let k = warm; k < events.length; k++) alerts += engine.process(events[k]).length;
      tree.rates.push((events.length - warm) / ((cpuMs() - t) / 1000));
      tree.alerts = alerts;
    }
    process.stderr.write(`round ${r + 1}: ${trees.map((t) => `${t.name} ${Math.round(t.rates[r])} events/s`).join(', ')}\n`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const [a, b] = trees;
  const line = {
    bench: 'engine.events-per-s.against-commit',
    value: Math.round(median(b.rates)),
    unit: 'events/s',
    baseline: Math.round(median(a.rates)),
    ratio: Number((median(b.rates) / median(a.rates)).toFixed(2)),
    commit: resolved,
    rules: { then: a.rules.length, now: b.rules.length },
    alerts: { then: a.alerts, now: b.alerts },
    events: eventCount,
    rounds,
    baselineName: `the engine of ${resolved.slice(0, 12)}, same events, turn about in this process (medians)`,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (a.alerts !== b.alerts) process.stderr.write('compare-engine: the two engines raised different numbers of alerts (semantics changed between them)\n');
}
