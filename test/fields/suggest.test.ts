import { describe, expect, it } from 'vitest';
import { createFieldSchema } from '../../src/fields/index.js';
import { boundedDistance, closestNames } from '../../src/fields/suggest.js';

describe('suggest ("did you mean")', () => {
  const schema = createFieldSchema();

  it('finds misspelled names', () => {
    expect(schema.suggest('evnt.action')[0]).toBe('event.action');
    expect(schema.suggest('user.nmae')[0]).toBe('user.name');
    expect(schema.suggest('process.comand_line')[0]).toBe('process.command_line');
    expect(schema.suggest('aws.cloudtrail.user_identity.acess_key_id')[0]).toBe('aws.cloudtrail.user_identity.access_key_id');
    expect(schema.suggest('awscloudtrail.error_code')[0]).toBe('aws.cloudtrail.error_code');
  });

  it('sees through case, camelCase and underscores', () => {
    expect(schema.suggest('event.Action')[0]).toBe('event.action');
    expect(schema.suggest('aws.cloudtrail.readOnly')[0]).toBe('aws.cloudtrail.read_only');
    expect(schema.suggest('aws.cloudtrail.userIdentity.arn')[0]).toBe('aws.cloudtrail.user_identity.arn');
    expect(schema.suggest('source_ip')[0]).toBe('source.ip');
  });

  it('offers the known field a name extends', () => {
    expect(schema.suggest('event.outcome.keyword')[0]).toBe('event.outcome');
  });

  it('re-homes raw CloudTrail object paths under the flattened fields', () => {
    expect(schema.suggest('aws.cloudtrail.request_parameters.modelId')[0]).toBe('aws.cloudtrail.flattened.request_parameters.modelId');
    // The investigation field of a published Bedrock rule, which exists in no schema.
    expect(schema.suggest('aws.cloudtrail.additionalEventData.inputTokens')[0]).toBe('aws.cloudtrail.flattened.additional_eventdata.inputTokens');
  });

  it('respects max and returns nothing for hopeless names', () => {
    expect(schema.suggest('aws.cloudtrail.user_identity.acess_key_id', 1)).toHaveLength(1);
    expect(schema.suggest('aws.cloudtrail.user_identity.acess_key_id', 5).length).toBeLessThanOrEqual(5);
    expect(schema.suggest('evnt.action', 0)).toEqual([]);
    expect(schema.suggest('')).toEqual([]);
    expect(schema.suggest('qqqqqqqqqqqqqqqqqqqqqqqq')).toEqual([]);
  });

  it('never suggests the name itself', () => {
    expect(schema.suggest('event.action')).not.toContain('event.action');
  });

  it('includes extra fields', () => {
    expect(createFieldSchema({ extraFields: { 'app.request_count': 'long' } }).suggest('app.requestcount')[0]).toBe('app.request_count');
  });
});

describe('closestNames', () => {
  it('ranks by distance, then by shared prefix, then by name', () => {
    expect(closestNames('ab.cd', ['ab.ce', 'xb.cd', 'zz.zz'], 3)).toEqual(['ab.ce', 'xb.cd']);
  });
});

describe('boundedDistance', () => {
  it('is the Levenshtein distance up to the bound', () => {
    expect(boundedDistance('kitten', 'sitting', 5)).toBe(3);
    expect(boundedDistance('', 'abc', 5)).toBe(3);
    expect(boundedDistance('same', 'same', 0)).toBe(0);
    expect(boundedDistance('kitten', 'sitting', 2)).toBe(3);
    expect(boundedDistance('a', 'abcdefgh', 3)).toBe(4);
  });
});
