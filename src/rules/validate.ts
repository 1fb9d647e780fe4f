import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FieldSchema } from '../fields/types.js';
import type { IrQuery } from '../ir/types.js';
import type { FieldRef } from './query-fields.js';
import { checkExamples } from './checks/examples.js';
import { checkExceptions, type ResolvedExceptionList } from './checks/exceptions.js';
import { subtractExceptions } from './exceptions/fold.js';
import { exceptionListsFor } from './exceptions/list-files.js';
import { checkQueryFields, checkSettingFields } from './checks/fields.js';
import { checkQuery } from './checks/query.js';
import { checkSeverityBand } from './checks/severity-band.js';
import { checkSuppression } from './checks/suppression.js';
import { checkReferences, checkThreat } from './checks/threat.js';
import type { CheckContext } from './checks/context.js';
import { discoverRuleFiles } from './discover.js';
import { loadRuleFile, loadRuleText, type LoadedRuleFile, type LoadRuleOptions } from './load-rule.js';
import { fieldCoverage, fieldSchemaFor, projectConfigFor } from './project.js';
import type { RuleDefinition } from './types.js';
import type { YamlDocument } from './yaml-document.js';

/** One rule file after every check: the rule (when its schema is valid), its lowered query, and its findings. */
export interface CheckedRule {
  file: string;
  doc?: YamlDocument;
  rule?: RuleDefinition;
  /** The query's IR, when the rule has a KQL or EQL query that lowered without errors. */
  ir?: IrQuery;
  language?: 'kuery' | 'eql';
  /** The fields the query names (KQL and EQL queries that parse), for exports that list them. */
  fieldRefs?: FieldRef[];
  /** The field schema the rule was checked against (ECS, packs, project and rule fields). */
  schema?: FieldSchema;
  /** The shared exception lists the rule's `exceptions_list` resolved to (for export). */
  exceptionLists?: ResolvedExceptionList[];
  /** Each exception item with its own predicate (already subtracted from `ir`), for explain. */
  exceptionItems?: { name: string; list_id?: string; predicate: IrQuery['predicate'] }[];
  diagnostics: Diagnostic[];
}

/** The outcome of validating a set of paths. */
export interface ValidationResult {
  files: number;
  rules: number;
  checked: CheckedRule[];
  /** Every diagnostic (path problems, project files, rules, cross-file duplicates), sorted by file and place. */
  diagnostics: Diagnostic[];
}

export type ValidateOptions = LoadRuleOptions;

/** Runs every per-file check on one rule file. */
export function checkRuleFile(file: string, options: ValidateOptions = {}): CheckedRule {
  return checkLoadedRule(loadRuleFile(file, options), file);
}

/** Runs every per-file check on rule text that is (or will be) the content of `file`; project settings come from `file`'s directory. */
export function checkRuleText(text: string, file: string, options: ValidateOptions = {}): CheckedRule {
  return checkLoadedRule(loadRuleText(text, file, options), file);
}

function checkLoadedRule(loaded: LoadedRuleFile, file: string): CheckedRule {
  const checked: CheckedRule = { file, diagnostics: [...loaded.diagnostics] };
  if (loaded.doc) checked.doc = loaded.doc;
  if (!loaded.doc || !loaded.draft) return checked;
  const draft = loaded.draft;
  const project = projectConfigFor(file);
  const ruleFields = loaded.rule?.fields;
  const coverage = fieldCoverage(draft);
  const ctx: CheckContext = {
    doc: loaded.doc,
    draft,
    schema: fieldSchemaFor(project.fields, ruleFields),
    fieldsComplete: coverage.complete,
    ...(coverage.note ? { coverageNote: coverage.note } : {}),
  };
  const query = checkQuery(ctx);
  checked.diagnostics.push(...query.diagnostics);
  if (query.ir && !query.diagnostics.some((d) => d.severity === 'error')) {
    checked.ir = query.ir;
    if (query.language) checked.language = query.language;
  }
  // Exceptions are subtracted from the query in the IR itself, so every rule type and the dispatch index see them.
  const exceptions = checkExceptions(ctx, file);
  checked.diagnostics.push(...exceptions.diagnostics);
  if (checked.ir && exceptions.predicate) checked.ir = subtractExceptions(checked.ir, exceptions.predicate);
  if (exceptions.lists.length > 0) checked.exceptionLists = exceptions.lists;
  if (exceptions.items && checked.ir) checked.exceptionItems = exceptions.items;
  checked.fieldRefs = query.fieldRefs;
  checked.schema = ctx.schema;
  checked.diagnostics.push(...checkQueryFields(ctx, query.fieldRefs), ...checkSettingFields(ctx), ...checkSeverityBand(ctx), ...checkThreat(ctx), ...checkReferences(ctx), ...checkSuppression(ctx));
  if (loaded.rule) {
    checked.rule = loaded.rule;
    // A query with errors leaves open whether the rule is a sequence; the examples' sequence checks then wait.
    const queryFailed = query.diagnostics.some((d) => d.severity === 'error');
    const grouped = queryFailed ? undefined : query.ir?.sequence !== undefined || query.ir?.sample !== undefined;
    checked.diagnostics.push(...checkExamples(ctx, loaded.rule, grouped));
  }
  if (checked.diagnostics.some((d) => d.severity === 'error')) delete checked.ir;
  return checked;
}

/** `rule/duplicate-id` and `rule/duplicate-name` across files (a deprecated rule may share an active rule's name). */
export function checkCollection(checked: readonly CheckedRule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Map<string, CheckedRule>();
  const names = new Map<string, CheckedRule>();
  const deprecated = (c: CheckedRule): boolean => c.rule?.metadata?.maturity === 'deprecated';
  for (const c of checked) {
    if (!c.rule || !c.doc) continue;
    const doc = c.doc;
    const at = (key: string, code: string, message: string): Diagnostic => {
      const span = doc.nearestSpan([key]);
      return doc.diagnostic(span.start, span.end, { code, message });
    };
    const sameId = ids.get(c.rule.rule_id);
    if (sameId) out.push(at('rule_id', 'rule/duplicate-id', `rule_id "${c.rule.rule_id}" is also used by ${sameId.file}.`));
    else ids.set(c.rule.rule_id, c);
    const sameName = names.get(c.rule.name);
    if (sameName && deprecated(sameName) === deprecated(c)) out.push(at('name', 'rule/duplicate-name', `The name "${c.rule.name}" is also used by ${sameName.file}.`));
    else if (!sameName) names.set(c.rule.name, c);
  }
  return out;
}

/** Orders diagnostics by file, line and column so output is stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : a.line - b.line || a.column - b.column));
}

/** Validates every rule file under `paths`: each file's checks, then duplicates across files. */
export function validateRules(paths: readonly string[], options: ValidateOptions = {}): ValidationResult {
  const discovered = discoverRuleFiles(paths);
  const checked = discovered.files.map((f) => checkRuleFile(f, options));
  const diagnostics = [...discovered.diagnostics];
  const projectFiles = new Set<string>();
  for (const c of checked) {
    const project = projectConfigFor(c.file);
    if (project.file && !projectFiles.has(project.file)) {
      projectFiles.add(project.file);
      diagnostics.push(...project.diagnostics);
    }
  }
  // Every list file of the exceptions directories in play is checked, used by a rule or not.
  const listFindings: Diagnostic[] = [];
  const listDirs = new Set<string>();
  for (const c of checked) {
    const index = exceptionListsFor(c.file);
    if (!index.dir || listDirs.has(index.dir)) continue;
    listDirs.add(index.dir);
    listFindings.push(...index.diagnostics);
    for (const loaded of index.lists.values()) listFindings.push(...loaded.diagnostics);
  }
  const collection = checkCollection(checked);
  for (const d of collection) checked.find((c) => c.file === d.file)?.diagnostics.push(d);
  // A shared exception list's findings are reported by every rule using it, but listed once.
  const seen = new Set<string>();
  const keyOf = (d: Diagnostic): string => `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
  for (const d of listFindings) {
    if (seen.has(keyOf(d))) continue;
    seen.add(keyOf(d));
    diagnostics.push(d);
  }
  for (const c of checked) {
    for (const d of c.diagnostics) {
      const key = keyOf(d);
      if (d.file !== c.file && seen.has(key)) continue;
      if (d.code.startsWith('exception/') && d.file !== c.file) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      diagnostics.push(d);
    }
  }
  return { files: discovered.files.length, rules: checked.filter((c) => c.rule).length, checked, diagnostics: sortDiagnostics(diagnostics) };
}
