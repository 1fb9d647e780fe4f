// Writes examples/bedrock-attack.ndjson: a morning of CloudTrail activity in one AWS account, built from the
// real normalized events in rules/events/ (the Bedrock Converse event and other services' events), re-timed
// and re-attributed. Background work by an application role, administrators and pipelines runs all morning;
// at 10:02 a leaked long-term access key is used to enable and abuse Bedrock (touching all four bundled
// rules), among near misses that must stay silent. Deterministic: same output on every run.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const converse = JSON.parse(readFileSync(join(root, 'rules', 'events', 'bedrock-converse.json'), 'utf8'));
const others = readFileSync(join(root, 'rules', 'events', 'cloudtrail-other-services.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

// A small deterministic PRNG (mulberry32), so the sample never changes between runs.
let seed = 20260605;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const ACCOUNT = '111122223333';
const DAY = Date.parse('2026-06-05T08:00:00Z');
const clone = (x) => JSON.parse(JSON.stringify(x));

function set(event, dotted, value) {
  const parts = dotted.split('.');
  let node = event;
  for (const p of parts.slice(0, -1)) node = node[p] ??= {};
  if (value === undefined) delete node[parts[parts.length - 1]];
  else node[parts[parts.length - 1]] = value;
}

const APP_ROLE = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/chat-backend/i-0a1b2c3d4e5f`, key: 'ASIA4CHATBACKEND0001', user: 'chat-backend', ip: '10.20.4.17', agent: 'Boto3/1.35.50 md/Botocore#1.35.50 ua/2.0 os/linux#6.8.0-1016-aws lang/python#3.12.3 Botocore/1.35.50' };
const ADMIN = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/PlatformAdmin/dana`, key: 'ASIA4PLATFORMADMIN01', user: 'dana', ip: '198.51.100.23', agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', console: true };
const ML_DEV = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/priya`, key: 'AKIA4PRIYADEVKEY0001', user: 'priya', ip: '198.51.100.77', agent: 'aws-cli/2.17.0 Python/3.11.9 Linux/6.8.0 exe/x86_64.ubuntu.24' };
const PIPELINE = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/mlops-deployer/github-actions`, key: 'ASIA4MLOPSDEPLOYER01', user: 'mlops-deployer', ip: '192.0.2.44', agent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20.15.1 api/bedrock#3.600.0' };
const ATTACKER = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci-legacy`, key: 'AKIA4CILEGACYLEAKED1', user: 'ci-legacy', ip: '203.0.113.66', agent: 'python-requests/2.31.0 Boto3/1.34.0' };

/** A Bedrock CloudTrail event by `who` at `ms`, derived from the real Converse event. */
function bedrock(ms, who, action, extra = {}) {
  const e = clone(converse);
  const ts = new Date(ms).toISOString();
  e['@timestamp'] = ts;
  e.event.ingested = new Date(ms + 4000 + Math.floor(random() * 90000)).toISOString();
  e.event.action = action;
  e.event.id = `${Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0')}-bedr-4ock-8evt-${String(ms).slice(-12)}`;
  e.aws.cloudtrail.read_only = /^(Get|List|Invoke|Converse)/.test(action);
  e.aws.cloudtrail.recipient_account_id = ACCOUNT;
  e.cloud.account.id = ACCOUNT;
  set(e, 'aws.cloudtrail.user_identity.type', who.type);
  set(e, 'aws.cloudtrail.user_identity.arn', who.arn);
  set(e, 'aws.cloudtrail.user_identity.access_key_id', who.key);
  if (who.type === 'IAMUser') set(e, 'aws.cloudtrail.user_identity.session_context', undefined);
  if (who.console) set(e, 'aws.cloudtrail.session_credential_from_console', 'true');
  e.user = { name: who.user };
  e.source = { address: who.ip, ip: who.ip };
  e.user_agent = { original: who.agent };
  e.related = { user: [who.user], entity: [who.arn, who.key] };
  for (const [k, v] of Object.entries(extra)) set(e, k, v);
  return e;
}

/** Another service's real event, re-timed and attributed to someone in this account. */
function other(ms, template, who) {
  const e = clone(template);
  e['@timestamp'] = new Date(ms).toISOString();
  e.event.ingested = new Date(ms + 5000 + Math.floor(random() * 60000)).toISOString();
  set(e, 'cloud.account.id', ACCOUNT);
  if (who && e.aws?.cloudtrail?.user_identity) {
    set(e, 'aws.cloudtrail.user_identity.arn', who.arn);
    set(e, 'aws.cloudtrail.user_identity.access_key_id', who.key);
    e.user = { ...(e.user ?? {}), name: who.user };
  }
  return e;
}

const events = [];
const minute = 60_000;
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

// Background: the chat backend calls models all morning with its role's temporary credentials.
for (let t = DAY; t < DAY + 4 * 60 * minute; t += Math.floor(20_000 + random() * 70_000)) {
  events.push(bedrock(t, APP_ROLE, pick(['Converse', 'Converse', 'ConverseStream', 'InvokeModel']), { 'aws.cloudtrail.flattened.request_parameters.modelId': MODEL }));
}
// Background: other services' activity through the morning.
for (let t = DAY + 3 * minute; t < DAY + 4 * 60 * minute; t += Math.floor(4 * minute + random() * 9 * minute)) {
  events.push(other(t, pick(others), pick([ADMIN, PIPELINE, ML_DEV, undefined])));
}
// Near misses, before the attack.
events.push(bedrock(DAY + 35 * minute, ADMIN, 'PutUseCaseForModelAccess')); // console: not programmatic
events.push(bedrock(DAY + 36 * minute, ADMIN, 'CreateFoundationModelAgreement'));
events.push(bedrock(DAY + 41 * minute, PIPELINE, 'ListFoundationModels')); // role credentials list then invoke
events.push(bedrock(DAY + 42 * minute, PIPELINE, 'InvokeModel'));
events.push(bedrock(DAY + 50 * minute, ML_DEV, 'ListFoundationModels')); // long-term key, but invokes 40 min later
events.push(bedrock(DAY + 90 * minute, ML_DEV, 'InvokeModel'));
events.push(bedrock(DAY + 70 * minute, PIPELINE, 'GetProvisionedModelThroughput'));
events.push(bedrock(DAY + 71 * minute, PIPELINE, 'ListProvisionedModelThroughputs'));
events.push(bedrock(DAY + 95 * minute, PIPELINE, 'GetModelImportJob'));

// The attack: a long-term key leaked from an old CI system.
const T = DAY + 2 * 60 * minute + 2 * minute; // 10:02
const GCI = others.find((e) => e.event.action === 'GetCallerIdentity');
events.push(other(T, GCI, ATTACKER));
events.push(bedrock(T + 1 * minute, ATTACKER, 'ListFoundationModels'));
events.push(bedrock(T + 2 * minute, ATTACKER, 'GetFoundationModelAvailability', { 'aws.cloudtrail.flattened.request_parameters.modelId': 'anthropic.claude-3-opus-20240229-v1:0' }));
events.push(bedrock(T + 3 * minute, ATTACKER, 'PutUseCaseForModelAccess'));
events.push(bedrock(T + 3 * minute + 20_000, ATTACKER, 'CreateFoundationModelAgreement'));
events.push(bedrock(T + 3 * minute + 40_000, ATTACKER, 'PutFoundationModelEntitlement'));
events.push(bedrock(T + 5 * minute, ATTACKER, 'InvokeModel', { 'aws.cloudtrail.flattened.request_parameters.modelId': 'anthropic.claude-3-opus-20240229-v1:0' }));
for (let i = 0; i < 6; i++) events.push(bedrock(T + 6 * minute + i * 25_000, ATTACKER, 'InvokeModelWithResponseStream', { 'aws.cloudtrail.flattened.request_parameters.modelId': 'anthropic.claude-3-opus-20240229-v1:0' }));
events.push(bedrock(T + 8 * minute, ATTACKER, 'CreateProvisionedModelThroughput', { 'event.outcome': 'failure', 'aws.cloudtrail.error_code': 'ServiceQuotaExceededException' }));
events.push(bedrock(T + 9 * minute, ATTACKER, 'CreateProvisionedModelThroughput', { 'aws.cloudtrail.flattened.request_parameters': { modelUnits: 4, provisionedModelName: 'batch-eval', modelId: 'anthropic.claude-3-opus-20240229-v1:0', commitmentDuration: 'SixMonths' } }));
events.push(bedrock(T + 12 * minute, ATTACKER, 'CreateModelImportJob', { 'aws.cloudtrail.flattened.request_parameters': { jobName: 'import-helper', importedModelName: 'helper-7b', roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-import`, modelDataSource: { s3DataSource: { s3Uri: 's3://hf-mirror-public-7781/helper-7b/' } } } }));
events.push(bedrock(T + 15 * minute, ATTACKER, 'DeleteProvisionedModelThroughput', { 'aws.cloudtrail.flattened.request_parameters': { provisionedModelId: 'prod-chat-throughput' } }));

events.sort((a, b) => Date.parse(a['@timestamp']) - Date.parse(b['@timestamp']));
writeFileSync(join(root, 'examples', 'bedrock-attack.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
process.stdout.write(`wrote examples/bedrock-attack.ndjson (${events.length} events)\n`);
