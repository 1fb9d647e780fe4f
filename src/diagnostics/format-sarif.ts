import type { Diagnostic } from './diagnostic.js';

/** What the SARIF writer needs to describe the tool and its rules. */
export interface SarifOptions {
  toolName?: string;
  toolVersion?: string;
  informationUri?: string;
  /** A description (and optional help link) per diagnostic code. */
  rules?: Readonly<Record<string, { description: string; helpUri?: string }>>;
}

const LEVEL: Record<Diagnostic['severity'], string> = { error: 'error', warning: 'warning', info: 'note' };

/** A SARIF 2.1.0 log (one run) for the diagnostics, for code-scanning tools; output order is deterministic. */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): Record<string, unknown> {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const known = options.rules?.[code];
    return {
      id: code,
      shortDescription: { text: known?.description ?? code },
      ...(known?.helpUri ? { helpUri: known.helpUri } : {}),
    };
  });
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIndex.get(d.code),
    level: LEVEL[d.severity],
    message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
    ...(d.file !== undefined
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file.replace(/\\/g, '/') },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        }
      : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? 'ruleforge',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
}
