import type { SourceRange } from '../../diagnostics/diagnostic.js';

/**
 * A query Kibana itself refuses to convert (it throws there too). Thrown inside the converters and turned into
 * a located diagnostic at the entry point, so callers never see an exception.
 */
export class DslConversionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly loc: SourceRange,
    readonly hint?: string,
  ) {
    super(message);
  }
}
