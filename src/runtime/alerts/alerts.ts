/**
 * Alerts shaped like the documents Kibana's detection engine writes to `.alerts-security.alerts-*`: one
 * JSON object whose keys are Kibana's dotted alert field names, plus the triggering event(s) in `events`.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import type { EqlScalar } from '../match/eql-functions.js';
import { compilePath, isPlainObject, readValues } from '../match/field-access.js';
import { canonicalIso } from '../state/event-time.js';

/** One alert. Keys are Kibana's alert field names; `events` holds the source events in sequence order. */
export interface Alert {
  '@timestamp': string;
  'kibana.alert.uuid': string;
  'kibana.alert.status': 'active';
  'kibana.alert.workflow_status': 'open';
  'kibana.alert.depth': number;
  'kibana.alert.severity': string;
  'kibana.alert.risk_score': number;
  'kibana.alert.reason': string;
  'kibana.alert.original_time'?: string;
  'kibana.alert.building_block_type'?: string;
  'kibana.alert.group.id'?: string;
  'kibana.alert.rule.rule_id': string;
  'kibana.alert.rule.name': string;
  'kibana.alert.rule.description': string;
  'kibana.alert.rule.type': string;
  'kibana.alert.rule.category': string;
  'kibana.alert.rule.tags': string[];
  'kibana.alert.rule.threat': RuleArtifact['rule']['threat'];
  'kibana.alert.rule.version'?: number;
  'kibana.alert.rule.references'?: string[];
  'kibana.alert.rule.from'?: string;
  'kibana.alert.rule.interval'?: string;
  'kibana.alert.rule.max_signals'?: number;
  'kibana.alert.rule.timestamp_override'?: string;
  /** Sequences and samples: the join key values the events share. */
  'kibana.alert.group.join_keys'?: EqlScalar[];
  /** Suppressed alerts (alert_suppression): the group's id, its terms, and how many more events it folded in. */
  'kibana.alert.instance.id'?: string;
  'kibana.alert.suppression.terms'?: { field: string; value: unknown }[];
  'kibana.alert.suppression.docs_count'?: number;
  'kibana.alert.suppression.start'?: string;
  'kibana.alert.suppression.end'?: string;
  /** Threshold rules: the bucket that fired. */
  'kibana.alert.threshold_result'?: ThresholdResult;
  /** new_terms rules: the new combination of values. */
  'kibana.alert.new_terms'?: (string | number | boolean)[];
  events: unknown[];
}

/** Kibana's `kibana.alert.threshold_result`. */
export interface ThresholdResult {
  terms: { field: string; value: string | number | boolean }[];
  count: number;
  cardinality?: { field: string; value: number }[];
  from: string;
}

const RULE_CATEGORY: Record<string, string> = { query: 'Custom Query Rule', eql: 'Event Correlation Rule', threshold: 'Threshold Rule', new_terms: 'New Terms Rule' };

/** Two independent 32-bit string hashes (cyrb53-style mixing), as 16 hex digits: stable, fast, no crypto. */
export function hash64(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return finish64(h1, h2);
}

/**
 * `hash64(text, 1) + hash64(text, 2)` in one pass: the four lanes are independent, so the processor runs them
 * side by side and the text is read once (alert ids hash whole events, ~1 KB each).
 */
export function hash128(text: string): string {
  let a1 = 0xdeadbeef ^ 1;
  let a2 = 0x41c6ce57 ^ 1;
  let b1 = 0xdeadbeef ^ 2;
  let b2 = 0x41c6ce57 ^ 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ c, 2654435761);
    a2 = Math.imul(a2 ^ c, 1597334677);
    b1 = Math.imul(b1 ^ c, 2654435761);
    b2 = Math.imul(b2 ^ c, 1597334677);
  }
  return finish64(a1, a2) + finish64(b1, b2);
}

/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** A 32-bit value as 8 hex digits (what `(x >>> 0).toString(16).padStart(8, '0')` gives, without number formatting). */
const hex8 = (x: number): string => HEX[(x >>> 24) & 255] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];

function finish64(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex8(h2) + hex8(h1);
}

/** A deterministic id for an alert: the rule and its events identify it, so a re-run yields the same id. */
export function alertId(ruleId: string, events: readonly unknown[]): string {
  return idOfTexts(ruleId, rendered(events).texts);
}

function idOfTexts(ruleId: string, texts: readonly string[]): string {
  return hash128(`${ruleId}\u0000${texts.join('\u0000')}`);
}

/**
 * Each event's JSON text, as alert ids hash them (`null` for a missing event of a sequence), and whether
 * `JSON.stringify` renders each of them inside an array exactly so: JSON values with no `toJSON` of their own
 * (which could see its array index) that render without error (safeJson's fallback for a cycle or a BigInt is
 * not JSON).
 */
function rendered(events: readonly unknown[]): { texts: string[]; exact: boolean } {
  let exact = true;
  const texts = events.map((e) => {
    if (e === null) return 'null';
    if (typeof e === 'object' ? typeof (e as { toJSON?: unknown }).toJSON === 'function' : typeof e !== 'string' && typeof e !== 'number' && typeof e !== 'boolean') exact = false;
    try {
      const text = JSON.stringify(e);
      if (text !== undefined) return text;
    } catch {
      // as safeJson
    }
    exact = false;
    return safeJson(e);
  });
  return { texts, exact };
}

/**
 * The events' JSON texts while `alertJson` serialises an alert: its id, group id and `events` then share one
 * rendering of each event instead of three. Only within that call, so a change to an event between two reads of
 * an alert is never hidden.
 */
let rendering: { events: readonly unknown[]; done: { texts: string[]; exact: boolean } | undefined } | undefined;

/** `rendered` for an alert's events, from the serialisation in progress when it has them. */
function renderedOf(events: readonly unknown[]): { texts: string[]; exact: boolean } {
  const r = rendering;
  if (r === undefined || r.events !== events) return rendered(events);
  return (r.done ??= rendered(events));
}

const textsOf = (events: readonly unknown[]): string[] => renderedOf(events).texts;

/** Stands in for `events` while the rest of an alert is rendered (lone surrogates, which JSON escapes). */
const EVENTS_MARK = '\udfff\ud800ruleforge-events\udfff\ud800';
const EVENTS_MARK_JSON = JSON.stringify(EVENTS_MARK);

/**
 * The alert's JSON text, exactly as `JSON.stringify(alert)` gives it, with each event rendered once for its id,
 * its group id and its `events` (rendering events is most of the cost of printing an alert).
 */
export function alertJson(alert: Alert): string {
  const events = alert.events;
  if (!Array.isArray(events)) return JSON.stringify(alert);
  const outer = rendering;
  rendering = { events, done: undefined };
  try {
    // The alert without its events in one native call, the events' texts put in the place their key holds.
    const rest: Record<string, unknown> = { ...alert };
    rest.events = EVENTS_MARK;
    const text = JSON.stringify(rest);
    const { texts, exact } = renderedOf(events);
    const at = text.indexOf(EVENTS_MARK_JSON);
    // A rule field could hold the mark's text itself: then the plain way.
    if (!exact || at < 0 || text.indexOf(EVENTS_MARK_JSON, at + 1) >= 0) return JSON.stringify(alert);
    return `${text.slice(0, at)}[${texts.join(',')}]${text.slice(at + EVENTS_MARK_JSON.length)}`;
  } finally {
    rendering = outer;
  }
}

/** JSON text of a value; the value's own text where it cannot be serialised (a cycle, a BigInt). */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

const REASON_PATHS = {
  eventCategory: compilePath('event.category'),
  processName: compilePath('process.name'),
  processParentName: compilePath('process.parent.name'),
  fileName: compilePath('file.name'),
  sourceAddress: compilePath('source.address'),
  sourcePort: compilePath('source.port'),
  destinationAddress: compilePath('destination.address'),
  destinationPort: compilePath('destination.port'),
  userName: compilePath('user.name'),
  hostName: compilePath('host.name'),
};

/**
 * A field's values as Kibana's reason shows them (joined by ", "), or null when absent or `-`. For a sequence
 * Kibana builds the reason from the fields all its events share, so a field whose values differ is left out.
 */
function shown(events: readonly unknown[], key: keyof typeof REASON_PATHS): string | null {
  let text: string | null | undefined;
  for (const event of events) {
    const values = readValues(event, REASON_PATHS[key]).filter((v) => v !== null && v !== undefined);
    const here = values.length === 0 || (values.length === 1 && values[0] === '-') ? null : values.map((v) => (typeof v === 'object' ? safeJson(v) : String(v))).join(', ');
    if (text === undefined) text = here;
    else if (text !== here) return null;
  }
  return text ?? null;
}

/**
 * Kibana's alert reason: "<category> event with process P, file F, source A:port, destination B:port, by U on H
 * created <severity> alert <name>." — each part only when the event has the field.
 */
export function alertReason(events: readonly unknown[], ruleName: string, severity: string): string {
  const category = shown(events, 'eventCategory');
  // Each part read once: whether any is there decides the " with", then they are written in order.
  const process = shown(events, 'processName');
  const parent = shown(events, 'processParentName');
  const file = shown(events, 'fileName');
  const source = shown(events, 'sourceAddress');
  const sourcePort = shown(events, 'sourcePort');
  const destination = shown(events, 'destinationAddress');
  const destinationPort = shown(events, 'destinationPort');
  const interesting = process !== null || parent !== null || file !== null || source !== null || sourcePort !== null || destination !== null || destinationPort !== null;
  let text = `${category !== null ? `${category} ` : ''}event${interesting ? ' with' : ''}`;
  if (process !== null) text += ` process ${process},`;
  if (parent !== null) text += ` parent process ${parent},`;
  if (file !== null) text += ` file ${file},`;
  if (source !== null) text += ` source ${source}`;
  if (sourcePort !== null) text += `:${sourcePort},`;
  if (destination !== null) text += ` destination ${destination}`;
  if (destinationPort !== null) text += `:${destinationPort},`;
  const user = shown(events, 'userName');
  if (user !== null) text += ` by ${user}`;
  const host = shown(events, 'hostName');
  if (host !== null) text += ` on ${host}`;
  return `${text} created ${severity} alert ${ruleName}.`;
}

/** The event's time as Kibana records it in `kibana.alert.original_time` (its `@timestamp`), when readable. */
function originalTime(event: unknown): string | undefined {
  const v = readValues(event, TIMESTAMP)[0];
  // Most events already carry the canonical form, which reads back as itself: no date arithmetic for them.
  if (typeof v === 'string' && isCanonicalIso(v)) return v;
  const ms = typeof v === 'string' ? (/^-?\d+$/.test(v) ? Number(v) : Date.parse(v)) : typeof v === 'number' ? v : Number.NaN;
  // Finite is not enough: `toISOString` throws past ±8.64e15 ms (a timestamp of 1e300 or 99999999999999999999).
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Whether `s` is exactly what `toISOString` prints for the instant it names (`YYYY-MM-DDTHH:MM:SS.sssZ`, a real
 * calendar day and time): then `new Date(Date.parse(s)).toISOString() === s`, which Date.parse alone would
 * not promise (it rolls 30 February over into March, which the day of the month it lands on gives away).
 */
export function isCanonicalIso(s: string): boolean {
  if (s.length !== 24) return false;
  const ms = canonicalIso(s);
  return ms === ms && new Date(ms).getUTCDate() === (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
}

// Alerts of one batch mostly share the clock's millisecond: its text is formatted once.
let lastAt = Number.NaN;
let lastAtText = '';
function clockText(at: number): string {
  if (at !== lastAt) {
    lastAtText = new Date(at).toISOString();
    lastAt = at;
  }
  return lastAtText;
}
const TIMESTAMP = compilePath('@timestamp');

/**
 * A property computed on first read from the alert's own fields (its rule fields and `events`), then kept: an
 * own enumerable accessor, so JSON.stringify, spreads and reads all see the value, but an alert nobody
 * serialises never pays for hashing its events. One descriptor per key, shared by every alert, so building one
 * allocates nothing for it.
 */
function lazyField(compute: (alert: Alert) => unknown): PropertyDescriptor {
  // Values are kept beside the alert, not written into it: turning the accessor into a data property would
  // make the alert a dictionary-mode object, slower to serialise than the computation it saves.
  const values = new WeakMap<Alert, unknown>();
  return {
    enumerable: true,
    configurable: true,
    get(this: Alert) {
      if (values.has(this)) return values.get(this);
      const value = compute(this);
      values.set(this, value);
      return value;
    },
    set(this: Alert, value: unknown) {
      values.set(this, value);
    },
  };
}

const LAZY_UUID = lazyField((a) => idOfTexts(a['kibana.alert.rule.rule_id'], textsOf(a.events)));
const LAZY_REASON = lazyField((a) => alertReason(a.events.filter((e) => e !== null), a['kibana.alert.rule.name'], a['kibana.alert.severity']));
const LAZY_GROUP_ID = lazyField((a) => idOfTexts(`${a['kibana.alert.rule.rule_id']}/group`, textsOf(a.events)));

/**
 * Builds the alert a rule raises for one event, or for a sequence or sample of events (with its join keys).
 * The id, group id and reason are computed when first read, from the alert's `events` and rule fields as they
 * are then (the engine never changes them; a caller that does should read these first).
 */
export function buildAlert(artifact: RuleArtifact, events: readonly unknown[], at: number, joinKeys?: EqlScalar[]): Alert {
  const rule = artifact.rule;
  const first = events.find((e) => e !== null) ?? {};
  // The lazy fields are added after the literal, not declared in it: turning a data property into an accessor
  // would make every alert a slow dictionary object, and appending one with a shared descriptor does not.
  const alert = {
    '@timestamp': clockText(at),
    'kibana.alert.status': 'active',
    'kibana.alert.workflow_status': 'open',
    'kibana.alert.depth': 1,
    'kibana.alert.severity': rule.severity,
    'kibana.alert.risk_score': rule.risk_score,
    'kibana.alert.rule.rule_id': rule.rule_id,
    'kibana.alert.rule.name': rule.name,
    'kibana.alert.rule.description': rule.description,
    'kibana.alert.rule.type': rule.type,
    'kibana.alert.rule.category': (Object.hasOwn(RULE_CATEGORY, rule.type) ? RULE_CATEGORY[rule.type] : undefined) ?? rule.type,
    'kibana.alert.rule.tags': rule.tags,
    'kibana.alert.rule.threat': rule.threat,
  } as Omit<Alert, 'kibana.alert.uuid' | 'kibana.alert.reason' | 'events'> as Alert;
  Object.defineProperty(alert, 'kibana.alert.uuid', LAZY_UUID);
  Object.defineProperty(alert, 'kibana.alert.reason', LAZY_REASON);
  // A shallow copy: events are shared, never cloned, so building an alert costs the same at any depth.
  alert.events = [...events];
  const time = originalTime(first);
  if (time !== undefined) alert['kibana.alert.original_time'] = time;
  if (rule.building_block_type) alert['kibana.alert.building_block_type'] = rule.building_block_type;
  if (rule.version !== undefined) alert['kibana.alert.rule.version'] = rule.version;
  if (rule.references) alert['kibana.alert.rule.references'] = rule.references;
  if (rule.from) alert['kibana.alert.rule.from'] = rule.from;
  if (rule.interval) alert['kibana.alert.rule.interval'] = rule.interval;
  if (rule.max_signals !== undefined) alert['kibana.alert.rule.max_signals'] = rule.max_signals;
  if (rule.timestamp_override) alert['kibana.alert.rule.timestamp_override'] = rule.timestamp_override;
  if (joinKeys) {
    Object.defineProperty(alert, 'kibana.alert.group.id', LAZY_GROUP_ID);
    alert['kibana.alert.group.join_keys'] = joinKeys;
  }
  return alert;
}

/** True when a value is a JSON object (what the engine can stamp and alert on). */
export const isEventObject = isPlainObject;
