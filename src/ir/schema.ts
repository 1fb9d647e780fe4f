import schema from './ir.schema.json' with { type: 'json' };

/** The JSON schema of the IR (draft-07), for validating artifacts written by other tools or versions. */
export const irJsonSchema: Record<string, unknown> = schema;
