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

/** Characters a URI path segment may carry unencoded (RFC 3986 pchar, plus `/`). */
const URI_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/** SARIF requires a URI reference: spaces, `#` or `%` in a file name must be encoded, and `C:/x` would read as scheme `c`. */
function artifactUri(file: string): string {
  const path = file.replace(/\\/g, '/');
  let encoded = '';
  for (const ch of path) {
    if (URI_SAFE.test(ch)) encoded += ch;
    else {
      try {
        encoded += encodeURIComponent(ch);
      } catch {
        encoded += '%EF%BF%BD'; // a lone surrogate has no UTF-8 form; U+FFFD keeps the log valid
      }
    }
  }
  if (/^[A-Za-z]:\//.test(encoded)) return `file:///${encoded}`;
  // A colon in the first segment of a relative reference would also read as a scheme.
  const firstSegment = encoded.split('/')[0];
  return firstSegment.includes(':') ? `./${encoded}` : encoded;
}

/** SARIF regions must start at line/column 1 or later and not end before they start; keep a slightly-off diagnostic valid. */
function region(d: Diagnostic): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  const startLine = Math.max(1, d.line);
  const startColumn = Math.max(1, d.column);
  const endLine = Math.max(startLine, d.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, d.endColumn) : Math.max(1, d.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

/** A SARIF 2.1.0 log (one run) for the diagnostics, for code-scanning tools; output order is deterministic. */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): Record<string, unknown> {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    // Own properties only, so a code such as `constructor` does not pick up Object.prototype members.
    const known = options.rules && Object.hasOwn(options.rules, code) ? options.rules[code] : undefined;
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
                artifactLocation: { uri: artifactUri(d.file) },
                region: region(d),
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
        // Diagnostic columns are JavaScript string indices, i.e. UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
