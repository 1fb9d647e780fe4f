import schema from './alert.schema.json' with { type: 'json' };

/** The JSON schema (draft-07) of the alerts the engine returns and `ruleforge run` prints. */
export const alertJsonSchema: Record<string, unknown> = schema;
