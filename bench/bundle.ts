/** The size of the embedding runtime: every module `ruleforge/runtime` loads, as shipped and gzipped. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Bytes of the runtime's JavaScript (dist/src/runtime plus the IR contract), against the whole package's. */
export function benchBundle(emit: Emit): void {
  const runtimeFiles = [
    ...readdirSync(join(dist, 'runtime'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') || f.endsWith('.json')).map((f) => join(dist, 'runtime', f)),
    join(dist, 'ir', 'types.js'),
    join(dist, 'ir', 'artifact.js'),
  ];
  const all: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.js') || e.name.endsWith('.json')) all.push(join(dir, e.name));
    }
  };
  walk(dist);
  const size = (files: string[]) => {
    const text = Buffer.concat(files.map((f) => readFileSync(f)));
    return { raw: text.length, gzip: gzipSync(text, { level: 9 }).length };
  };
  const runtime = size(runtimeFiles);
  const whole = size(all);
  emit('runtime.bundle-bytes.gzip', runtime.gzip, 'bytes', whole.gzip, { raw: runtime.raw, files: runtimeFiles.length, npmDependencies: 0, baselineName: 'the whole package (compiler, CLI, generated parsers, ECS table)' });
}
