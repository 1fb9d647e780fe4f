import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkWithFixes, fixRuleText } from '../fixes/apply.js';
import { formatRuleText } from '../format/format-rule.js';
import { clearProjectCache, PROJECT_FILE, projectConfigFromText } from '../rules/project.js';
import { textSourceFromBytes } from '../rules/read-source.js';
import { sortDiagnostics } from '../rules/validate.js';
import { completeAt } from './completion.js';
import { hoverAt } from './hover.js';
import { completeProjectFile } from './project-completion.js';
import { ruleContext } from './rule-context.js';
import { RuleSetIndex } from './rule-set.js';
import { ruleSymbols, type RuleSymbol } from './symbols.js';

/** Options an editor may pass in `initializationOptions`. */
export interface ServerOptions {
  /** Quiet time after the last keystroke before a document is re-checked (default 200 ms). */
  debounceMs?: number;
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

/** The file path a document stands for (its rule directory decides the project settings). */
export function fileOf(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

const isProjectFile = (uri: string): boolean => basename(fileOf(uri)) === PROJECT_FILE;

/** A ruleforge diagnostic as the protocol has it: 0-based positions; the hint follows the message. */
export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'ruleforge',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
}

/** Starts the language server on a connection (stdio when none is given). */
export function startServer(connection: Connection = createConnection(process.stdin, process.stdout)): Connection {
  const documents = new TextDocuments(TextDocument);
  let debounceMs = 200;
  const timers = new Map<string, NodeJS.Timeout>();
  /** Diagnostics with fixes, per document version, so code actions use what the editor shows. */
  const checkedCache = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  const ruleSet = new RuleSetIndex();
  const openTexts = (): Map<string, string> => new Map(documents.all().filter((d) => d.uri.startsWith('file:')).map((d) => [fileOf(d.uri), d.getText()]));

  const diagnose = (doc: TextDocument): Diagnostic[] => {
    const cached = checkedCache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.diagnostics;
    const file = fileOf(doc.uri);
    let diagnostics: Diagnostic[];
    if (isProjectFile(doc.uri)) diagnostics = [...projectConfigFromText(doc.getText(), file).diagnostics];
    else {
      // The size and encoding limits validate applies when it reads the file (a NUL byte, over 1 MiB).
      const source = textSourceFromBytes(Buffer.from(doc.getText(), 'utf8'), file);
      if (!source.ok) {
        checkedCache.set(doc.uri, { version: doc.version, diagnostics: [source.diagnostic] });
        return [source.diagnostic];
      }
      diagnostics = checkWithFixes(source.text, file).diagnostics;
      // validate's cross-file checks, against the rule set on disk and the other open buffers.
      if (doc.uri.startsWith('file:')) diagnostics.push(...ruleSet.collectionDiagnostics(file, openTexts()));
    }
    sortDiagnostics(diagnostics);
    checkedCache.set(doc.uri, { version: doc.version, diagnostics });
    return diagnostics;
  };

  const publish = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    let diagnostics: LspDiagnostic[];
    try {
      diagnostics = diagnose(doc).map(toLspDiagnostic);
    } catch (err) {
      // A bug in a check must not take the editor's server down: show it on the file instead.
      diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: 'ruleforge', message: `internal error while checking: ${(err as Error).message}` }];
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  // Documents due for a check are worked off one per turn of the event loop, so opening many files at once
  // never holds up completion, hover or the editor's other requests for longer than one file's check.
  const due = new Set<string>();
  let draining = false;
  const drain = (): void => {
    const next = due.values().next();
    if (next.done) {
      draining = false;
      return;
    }
    due.delete(next.value);
    publish(next.value);
    setImmediate(drain);
  };
  const schedule = (uri: string, delay = debounceMs): void => {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        due.add(uri);
        if (!draining) {
          draining = true;
          setImmediate(drain);
        }
      }, delay),
    );
  };

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', ' ', ':', '[', '(', '"'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'ruleforge' },
    };
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
    if (isProjectFile(e.document.uri)) {
      // Rules read the saved project file; re-check open rules once it is saved.
      schedule(e.document.uri);
      return;
    }
    schedule(e.document.uri);
  });
  documents.onDidSave((e) => {
    // A saved file can change another file's cross-file findings (a duplicate rule_id) or, for ruleforge.yaml,
    // every rule's field schema: re-check all open documents.
    if (isProjectFile(e.document.uri)) clearProjectCache();
    checkedCache.clear();
    for (const doc of documents.all()) schedule(doc.uri);
  });
  documents.onDidClose((e) => {
    const pending = timers.get(e.document.uri);
    if (pending) clearTimeout(pending);
    timers.delete(e.document.uri);
    checkedCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    if (isProjectFile(doc.uri)) return completeProjectFile(text, doc.offsetAt(params.position));
    return completeAt(ruleContext(text, fileOf(doc.uri)), text, doc.offsetAt(params.position));
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || isProjectFile(doc.uri)) return null;
    const text = doc.getText();
    const hover = hoverAt(ruleContext(text, fileOf(doc.uri)), text, doc.offsetAt(params.position));
    if (!hover) return null;
    return { contents: { kind: 'markdown', value: hover.markdown }, range: { start: doc.positionAt(hover.start), end: doc.positionAt(hover.end) } };
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || isProjectFile(doc.uri)) return [];
    const only = params.context.only;
    if (only && only.every((k) => !k.startsWith(CodeActionKind.QuickFix))) {
      // "Fix all" (e.g. on save): exactly what `lint --fix` would write.
      if (!only.some((k) => CodeActionKind.SourceFixAll.startsWith(k) || k.startsWith(CodeActionKind.SourceFixAll))) return [];
      const text = doc.getText();
      const fixed = fixRuleText(text, fileOf(doc.uri));
      if (fixed.text === text) return [];
      return [{ title: `Fix all ruleforge findings (${fixed.applied.length})`, kind: CodeActionKind.SourceFixAll, edit: { changes: { [doc.uri]: [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: fixed.text }] } } }];
    }
    const startLine = params.range.start.line + 1;
    const endLine = params.range.end.line + 1;
    const actions: CodeAction[] = [];
    for (const d of diagnose(doc)) {
      if (d.endLine < startLine || d.line > endLine || !d.fixes) continue;
      const shown = params.context.diagnostics.find((c) => c.code === d.code && c.range.start.line === d.line - 1 && c.range.start.character === d.column - 1);
      for (const f of d.fixes) {
        actions.push({
          title: f.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: f.preferred,
          diagnostics: [shown ?? toLspDiagnostic(d)],
          edit: { changes: { [doc.uri]: f.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })) } },
        });
      }
    }
    return actions;
  });

  connection.onDocumentFormatting((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || isProjectFile(doc.uri)) return [];
    const formatted = formatRuleText(doc.getText());
    if (!formatted.ok || !formatted.changed) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, newText: formatted.text }];
  });

  connection.onDocumentSymbol((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || isProjectFile(doc.uri)) return [];
    const checked = ruleContext(doc.getText(), fileOf(doc.uri));
    if (!checked.doc) return [];
    const convert = (s: RuleSymbol): DocumentSymbol => ({
      name: s.name,
      kind: s.kind,
      ...(s.detail ? { detail: s.detail } : {}),
      range: { start: doc.positionAt(s.start), end: doc.positionAt(s.end) },
      selectionRange: { start: doc.positionAt(s.selectionStart), end: doc.positionAt(s.selectionEnd) },
      children: s.children.map(convert),
    });
    return ruleSymbols(checked.doc).map(convert);
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
