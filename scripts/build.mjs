// Build pipeline: grammars → generated parsers, field tables → generated modules, then tsc.
// `--if-stale` skips the work when nothing under grammar/, src/, bench/ or scripts/ changed since the last build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import peggy from 'peggy';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, '.build-stamp');
const generatedDir = join(root, 'src', 'generated');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path === generatedDir) continue;
      newest = Math.max(newest, newestMtime(path));
    } else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(stampFile) || !existsSync(join(root, 'dist'))) return true;
  const built = statSync(stampFile).mtimeMs;
  const inputs = ['grammar', 'src', 'bench', 'scripts'].map((d) => newestMtime(join(root, d)));
  inputs.push(statSync(join(root, 'package.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
  return Math.max(...inputs) > built;
}

/** Each grammar's start rules; every other rule is internal. */
const grammars = { kql: ['start', 'Literal'], eql: ['start'] };

function buildGrammars() {
  mkdirSync(generatedDir, { recursive: true });
  for (const [name, allowedStartRules] of Object.entries(grammars)) {
    const file = join(root, 'grammar', `${name}.peggy`);
    if (!existsSync(file)) continue;
    const source = peggy.generate(readFileSync(file, 'utf8'), {
      output: 'source',
      format: 'es',
      allowedStartRules,
      grammarSource: relative(root, file),
      cache: false,
    });
    // Wrapped as TypeScript (type-checking off) so tsc and vitest treat it like any other module.
    writeFileSync(join(generatedDir, `${name}-parser.ts`), `// @ts-nocheck\n// Generated from grammar/${name}.peggy by scripts/build.mjs. Do not edit.\n${source}`);
  }
}

async function buildGeneratedModules() {
  for (const file of readdirSync(join(root, 'scripts'))) {
    if (/^gen-.*\.mjs$/.test(file)) {
      const mod = await import(join(root, 'scripts', file));
      await mod.generate({ root, generatedDir });
    }
  }
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
buildGrammars();
await buildGeneratedModules();
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
} catch {
  process.stderr.write('build: TypeScript reported errors (above)\n');
  process.exit(1);
}
writeFileSync(stampFile, new Date().toISOString() + '\n');
