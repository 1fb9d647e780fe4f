import { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { WHOLE_FILE, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { importDetectionRulesToml } from '../interop/detection-rules/import-toml.js';
import { kibanaRule } from '../interop/kibana/export-rule.js';
import { sortKeysDeep } from '../interop/sort-keys.js';
import { importKibanaNdjson } from '../interop/kibana/import-ndjson.js';
import { ruleToYaml } from '../interop/rule-yaml.js';
import { isDetectionRulesExceptionDoc, listsFromDetectionRules, type ConvertedList } from '../interop/exceptions.js';
import { clearExceptionListCache, EXCEPTIONS_DIR, loadExceptionListText } from '../rules/exceptions/list-files.js';
import { dump } from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { projectConfigFor } from '../rules/project.js';
import { readTextSource } from '../rules/read-source.js';
import { checkRuleText } from '../rules/validate.js';
import { UsageError } from './io.js';

/** Elastic's rule files are small, but a Kibana export holds a whole library on one file. */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

interface ImportFlags {
  out: string;
  force?: boolean;
}

/** Tallies for the closing line on stderr and the exit code. */
class ImportReport {
  imported = 0;
  lists = 0;
  failed = 0;
  invalid = 0;
  withLosses = 0;

  diagnostics(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n\n`);
  }

  losses(source: string, lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.withLosses++;
    for (const line of lines) process.stderr.write(`${source}: not carried over: ${line}\n`);
  }

  finish(out: string): void {
    const parts = [`imported ${this.imported} rule${this.imported === 1 ? '' : 's'}${this.lists > 0 ? ` and ${this.lists} exception list${this.lists === 1 ? '' : 's'}` : ''} into ${out}`];
    if (this.withLosses > 0) parts.push(`${this.withLosses} with something left out (listed above)`);
    if (this.invalid > 0) parts.push(`${this.invalid} with validation errors`);
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    process.stderr.write(`${parts.join('; ')}\n`);
    process.exitCode = this.failed > 0 || this.invalid > 0 ? 1 : 0;
  }
}

/**
 * Writes one imported rule as YAML, unless a file is already there (and `--force` is off); then checks the
 * written rule as `validate` would, so what does not hold up in ruleforge is said at once, with its place.
 */
function writeRule(target: string, rule: Record<string, unknown>, header: string, flags: ImportFlags, report: ImportReport): void {
  if (existsSync(target) && !flags.force) {
    report.failed++;
    report.diagnostics([{ severity: 'error', code: 'import/exists', message: `${target} already exists; pass --force to overwrite it.`, file: target, ...WHOLE_FILE }]);
    return;
  }
  const text = ruleToYaml(rule, header);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  report.imported++;
  const checked = checkRuleText(text, target);
  const problems = checked.diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    report.invalid++;
    report.diagnostics(problems);
  }
}

/**
 * Writes imported exception lists as `<out>/exceptions/<list_id>.yaml` (where rules below `<out>` find them),
 * before any rule, so each rule written after them is checked with its lists in place.
 */
function writeLists(lists: readonly ConvertedList[], source: string, flags: ImportFlags, report: ImportReport): void {
  for (const { list, notCarried } of lists) {
    report.losses(source, notCarried);
    const target = join(flags.out, EXCEPTIONS_DIR, `${ruleFileName(list.list_id)}.yaml`);
    if (existsSync(target) && !flags.force) {
      report.failed++;
      report.diagnostics([{ severity: 'error', code: 'import/exists', message: `${target} already exists; pass --force to overwrite it.`, file: target, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
      continue;
    }
    const text = `# Imported from ${source} by ruleforge import.\n${dump(list, { lineWidth: -1, noRefs: true })}`;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    report.lists++;
    const checked = loadExceptionListText(text, target);
    const problems = [...checked.diagnostics, ...(checked.loaded?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    if (problems.length > 0) {
      report.invalid++;
      report.diagnostics(problems);
    }
  }
  clearExceptionListCache();
}

/** `.toml` files under the given paths, each with the path its YAML gets below the output directory. */
function tomlFiles(paths: readonly string[]): { file: string; relativeOut: string }[] {
  const out: { file: string; relativeOut: string }[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`no such file or directory: ${path}`);
    if (!statSync(path).isDirectory()) {
      out.push({ file: path, relativeOut: `${basename(path, extname(path))}.yaml` });
      continue;
    }
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!entry.name.startsWith('.')) walk(full);
        } else if (entry.name.endsWith('.toml')) {
          const rel = relative(path, full);
          out.push({ file: full, relativeOut: rel.slice(0, -'.toml'.length) + '.yaml' });
        }
      }
    };
    walk(path);
  }
  return out;
}

function importDetectionRules(paths: string[], flags: ImportFlags): void {
  const report = new ImportReport();
  const files = tomlFiles(paths);
  if (files.length === 0) throw new UsageError(`no .toml files under ${paths.join(', ')}`);
  // detection-rules keeps exception lists as TOML too (`[metadata] list_name`, `[[exceptions]]`): lists first.
  const ruleFiles: { file: string; relativeOut: string; text: string }[] = [];
  for (const { file, relativeOut } of files) {
    const read = readTextSource(file);
    if (!read.ok) {
      report.failed++;
      report.diagnostics([read.diagnostic]);
      continue;
    }
    let doc: Record<string, unknown> | undefined;
    try {
      doc = parseToml(read.text) as Record<string, unknown>;
    } catch {
      doc = undefined; // the rule importer reports the syntax error with its place
    }
    if (doc && isDetectionRulesExceptionDoc(doc)) writeLists(listsFromDetectionRules(doc, file), file, flags, report);
    else ruleFiles.push({ file, relativeOut, text: read.text });
  }
  for (const { file, relativeOut, text } of ruleFiles) {
    const read = { text };
    const outcome = importDetectionRulesToml(read.text, file);
    if (!outcome.ok) {
      report.failed++;
      report.diagnostics(outcome.diagnostics);
      continue;
    }
    report.losses(file, outcome.imported.notCarried);
    writeRule(join(flags.out, relativeOut), outcome.imported.rule, `Imported from ${file} (elastic/detection-rules format) by ruleforge import.`, flags, report);
  }
  report.finish(flags.out);
}

/** A file name from a rule name: lower-case words joined by `_`, as detection-rules names its files. */
export function ruleFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return slug === '' ? 'rule' : slug;
}

/** Leaves out `related_integrations` / `required_fields` when export would compute exactly the same values. */
function dropRecomputed(rule: Record<string, unknown>, target: string): Record<string, unknown> {
  if (rule.related_integrations === undefined && rule.required_fields === undefined) return rule;
  const bare = { ...rule };
  delete bare.related_integrations;
  delete bare.required_fields;
  const checked = checkRuleText(ruleToYaml(bare), target);
  if (!checked.rule) return rule;
  const exported = kibanaRule({ ...checked, rule: checked.rule }, projectConfigFor(target).integrations).rule;
  const same = (key: string): boolean => JSON.stringify(exported[key]) === JSON.stringify(sortKeysDeep(rule[key]));
  const out = { ...rule };
  if (out.related_integrations !== undefined && same('related_integrations')) delete out.related_integrations;
  if (out.required_fields !== undefined && same('required_fields')) delete out.required_fields;
  return out;
}

function importKibana(files: string[], flags: ImportFlags): void {
  const report = new ImportReport();
  const taken = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
    const read = readTextSource(file, MAX_EXPORT_BYTES);
    if (!read.ok) {
      report.failed++;
      report.diagnostics([read.diagnostic]);
      continue;
    }
    const result = importKibanaNdjson(read.text, file);
    report.failed += result.diagnostics.length;
    report.diagnostics(result.diagnostics);
    writeLists(result.lists, file, flags, report);
    if (result.notCarried.length > 0) for (const line of result.notCarried) process.stderr.write(`${file}: not carried over: ${line}\n`);
    for (const { line, rule, notCarried } of result.rules) {
      let name = ruleFileName(typeof rule.name === 'string' ? rule.name : String(rule.rule_id));
      if (taken.has(name)) name = `${name}_${String(rule.rule_id).replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
      taken.add(name);
      const target = join(flags.out, `${name}.yaml`);
      report.losses(`${file}:${line}`, notCarried);
      writeRule(target, dropRecomputed(rule, target), `Imported from ${file} line ${line} (Kibana rules export) by ruleforge import.`, flags, report);
    }
  }
  report.finish(flags.out);
}

/** `ruleforge import`: Elastic's rule formats into ruleforge YAML. */
export function importCommand(): Command {
  const command = new Command('import').description('convert rules from Elastic formats into ruleforge YAML files');
  command
    .command('detection-rules')
    .description('elastic/detection-rules TOML files (or directories of them)')
    .argument('<paths...>', 'TOML files or directories')
    .requiredOption('--out <dir>', 'directory to write the YAML rules into (sub-directories kept)')
    .option('--force', 'overwrite files that already exist')
    .exitOverride()
    .action((paths: string[], flags: ImportFlags) => importDetectionRules(paths, flags));
  command
    .command('kibana')
    .description('a Kibana rules export (NDJSON from the rules page or POST /api/detection_engine/rules/_export)')
    .argument('<files...>', 'NDJSON export files')
    .requiredOption('--out <dir>', 'directory to write the YAML rules into')
    .option('--force', 'overwrite files that already exist')
    .exitOverride()
    .action((files: string[], flags: ImportFlags) => importKibana(files, flags));
  return command;
}
