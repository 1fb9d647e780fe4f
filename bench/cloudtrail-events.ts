/**
 * Deterministic generator of CloudTrail-shaped ECS events, as Elastic's aws.cloudtrail pipeline writes them
 * (nested objects, array-valued event.category/related.*, data stream constants present), for benchmarks.
 */

const SERVICES: [provider: string, actions: string[], weight: number][] = [
  ['s3.amazonaws.com', ['GetObject', 'PutObject', 'ListObjects', 'HeadObject', 'DeleteObject'], 30],
  ['ec2.amazonaws.com', ['DescribeInstances', 'RunInstances', 'DescribeVolumes', 'StopInstances'], 18],
  ['sts.amazonaws.com', ['AssumeRole', 'GetCallerIdentity', 'GetSessionToken'], 14],
  ['iam.amazonaws.com', ['ListRoles', 'GetUser', 'CreateAccessKey', 'AttachUserPolicy', 'ListAttachedRolePolicies'], 8],
  ['kms.amazonaws.com', ['Decrypt', 'GenerateDataKey', 'Encrypt'], 10],
  ['lambda.amazonaws.com', ['Invoke', 'ListFunctions', 'UpdateFunctionCode'], 6],
  ['signin.amazonaws.com', ['ConsoleLogin'], 2],
  ['secretsmanager.amazonaws.com', ['GetSecretValue', 'ListSecrets'], 4],
  [
    'bedrock.amazonaws.com',
    [
      'InvokeModel', 'Converse', 'ConverseStream', 'InvokeModelWithResponseStream', 'ListFoundationModels',
      'GetFoundationModel', 'GetProvisionedModelThroughput', 'ListProvisionedModelThroughputs',
      'CreateProvisionedModelThroughput', 'UpdateProvisionedModelThroughput', 'DeleteProvisionedModelThroughput',
    ],
    8,
  ],
];

const TOTAL_WEIGHT = SERVICES.reduce((s, [, , w]) => s + w, 0);

/** A small, fast, seedable PRNG (mulberry32) so every run benchmarks the same events. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `i`-th generated event (same seed, same sequence). */
export function makeEvent(random: () => number, i: number): Record<string, unknown> {
  let pick = random() * TOTAL_WEIGHT;
  let service = SERVICES[0];
  for (const s of SERVICES) {
    pick -= s[2];
    if (pick <= 0) {
      service = s;
      break;
    }
  }
  const [provider, actions] = service;
  const action = actions[Math.floor(random() * actions.length)];
  const success = random() < 0.93;
  const longTerm = random() < 0.3;
  const key = `${longTerm ? 'AKIA' : 'ASIA'}${Math.floor(random() * 1e12).toString(36).toUpperCase().padStart(12, 'X')}`;
  const ts = new Date(Date.UTC(2024, 9, 29, 15) + i * 37).toISOString();
  const readOnly = /^(Get|List|Describe|Head)/.test(action);
  return {
    '@timestamp': ts,
    data_stream: { type: 'logs', dataset: 'aws.cloudtrail', namespace: 'default' },
    event: {
      action,
      provider,
      outcome: success ? 'success' : 'failure',
      category: ['api'],
      type: readOnly ? ['access'] : ['change'],
      kind: 'event',
      dataset: 'aws.cloudtrail',
      module: 'aws',
      ingested: ts,
      id: `evt-${i}`,
    },
    cloud: { provider: 'aws', region: random() < 0.7 ? 'us-east-1' : 'eu-west-1', account: { id: '123456789012' } },
    source: { ip: `10.${i % 256}.${(i >> 8) % 256}.${(i >> 16) % 256}`, address: 'ec2.internal' },
    user_agent: { original: random() < 0.5 ? 'Boto3/1.35.50 md/Botocore#1.35.50' : 'aws-cli/2.15.0 Python/3.11.6' },
    aws: {
      cloudtrail: {
        event_type: 'AwsApiCall',
        event_version: '1.10',
        read_only: readOnly,
        recipient_account_id: '123456789012',
        user_identity: {
          type: longTerm ? 'IAMUser' : 'AssumedRole',
          arn: longTerm ? 'arn:aws:iam::123456789012:user/dev' : 'arn:aws:sts::123456789012:assumed-role/app/i-0abc',
          access_key_id: key,
        },
        flattened: { request_parameters: { requestId: `r-${i}` } },
        ...(success ? {} : { error_code: 'AccessDenied' }),
      },
    },
    related: { user: ['dev'], entity: [key] },
    tags: ['preserve_original_event'],
  };
}

/** `count` events from `seed`. */
export function makeEvents(count: number, seed = 42): Record<string, unknown>[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => makeEvent(random, i));
}
