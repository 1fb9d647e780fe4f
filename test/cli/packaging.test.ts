import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './run-cli.js';

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  license: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');

/** The files `npm pack` puts in the tarball (scripts not run: dist/ is already built). */
function packedFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

describe('packaging', () => {
  it('ships the Apache-2.0 LICENSE the package declares', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const license = readFileSync(join(projectRoot, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
    expect(packedFiles()).toContain('LICENSE');
  });
  it('runs nothing at install time that the tarball cannot run', () => {
    const files = packedFiles();
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      const script = pkg.scripts[hook];
      if (script === undefined) continue;
      // Any file the script names must be in the tarball.
      for (const path of script.match(/[\w./-]+\.(?:m?js|cjs|sh)/g) ?? []) expect(files, `${hook} runs ${path}`).toContain(path.replace(/^\.\//, ''));
    }
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
  });
  it('an embedder of ruleforge/runtime needs none of the CLI and compiler packages', () => {
    const cliPackages = ['ajv', 'commander', 'js-yaml', 'smol-toml'];
    for (const name of cliPackages) {
      expect(pkg.dependencies?.[name], `${name} must not be a required dependency`).toBeUndefined();
      expect(pkg.optionalDependencies?.[name]).toBeDefined();
    }
    // The runtime as shipped, in a directory with no node_modules anywhere above it: it loads and runs.
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-embed-'));
    cpSync(join(projectRoot, 'dist', 'src', 'runtime'), join(dir, 'src', 'runtime'), { recursive: true });
    cpSync(join(projectRoot, 'dist', 'src', 'ir'), join(dir, 'src', 'ir'), { recursive: true });
    cpSync(join(projectRoot, 'dist-rules'), join(dir, 'dist-rules'), { recursive: true });
    const script = `import { createEngine, loadRules } from './src/runtime/index.js';
const engine = createEngine(loadRules('dist-rules'));
console.log(engine.stats().rules.length);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('6');
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });
});

describe('the ruleforge command without its optional packages', () => {
  it('says which package is missing and how to get it, instead of a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-nodeps-'));
    cpSync(join(projectRoot, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true });
    cpSync(join(projectRoot, 'package.json'), join(dir, 'package.json'));
    const r = spawnSync(process.execPath, [join(dir, 'dist', 'src', 'cli', 'bin.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ruleforge: the command line needs the package "(commander|ajv|js-yaml|smol-toml)", which is not installed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('runs normally where they are installed', () => {
    const r = spawnSync(process.execPath, [join(projectRoot, 'dist', 'src', 'cli', 'bin.js'), '--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
    expect(r.status).toBe(0);
  });
});

describe('README figures match reality', () => {
  it('states the runtime size as measured (npm run bench measures it the same way)', () => {
    const dist = join(projectRoot, 'dist', 'src');
    const files = [
      ...readdirSync(join(dist, 'runtime'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') || f.endsWith('.json')).map((f) => join(dist, 'runtime', f)),
      join(dist, 'ir', 'types.js'),
      join(dist, 'ir', 'artifact.js'),
    ];
    const text = Buffer.concat(files.map((f) => readFileSync(f)));
    const raw = text.length / 1024;
    const gzip = gzipSync(text, { level: 9 }).length / 1024;
    const stated = [...readme.matchAll(/(\d+(?:\.\d+)?) KB of JavaScript, (\d+(?:\.\d+)?) KB gzipped/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(stated.length).toBeGreaterThanOrEqual(2);
    // Within 15%: the runtime changes often; a figure further off than that misleads.
    for (const [r, g] of stated) {
      expect(Math.abs(r - raw) / raw, `README says ${r} KB; measured ${raw.toFixed(1)} KB`).toBeLessThan(0.15);
      expect(Math.abs(g - gzip) / gzip, `README says ${g} KB gzipped; measured ${gzip.toFixed(1)} KB`).toBeLessThan(0.15);
    }
  });
  it('shows the query diagnostic example as the CLI prints it', () => {
    const block = /```\n(<query>:1:\d+: error kql\/syntax:[^\n]*\n[\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const r = spawnSync(process.execPath, [join(projectRoot, 'dist', 'src', 'cli', 'main.js'), 'query', '--language', 'kuery', 'event.action: not ListBuckets'], { encoding: 'utf8', input: '' });
    expect(r.stderr).toContain(block![1].trimEnd());
  });
  it('says which command reports rule/unsupported-type', () => {
    expect(readme).not.toMatch(/validate[^.\n]*reports[^.\n]*unsupported-type/);
    expect(readme).toMatch(/`compile` warns with\s+`rule\/unsupported-type`/);
  });
});
