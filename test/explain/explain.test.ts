import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { explainPredicate, explainSequence, formatExplanation, type ExplainNode } from '../../src/explain/index.js';

function predicate(q: string, language: 'kuery' | 'eql' = 'kuery') {
  const r = compileQuery(q, { language });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.ir;
}
const leaves = (n: ExplainNode): ExplainNode[] => (n.children ? n.children.flatMap(leaves) : [n]);

describe('explainPredicate', () => {
  it('marks each node PASS/FAIL with every value the event held', () => {
    const x = explainPredicate(predicate('event.action: (A or B) and event.category: api').predicate, { event: { action: 'B', category: ['web', 'api'] } });
    expect(x.pass).toBe(true);
    expect(leaves(x).map((l) => [l.label, l.pass, l.values])).toEqual([
      ['event.action in ("A", "B")', true, ['B']],
      ['event.category == "api"', true, ['web', 'api']],
    ]);
  });
  it('hints at letter case', () => {
    const [leaf] = leaves(explainPredicate(predicate('event.action: "ConsoleLogin"').predicate, { event: { action: 'consolelogin' } }));
    expect(leaf.pass).toBe(false);
    expect(leaf.hints?.join(' ')).toMatch(/only in letter case/);
  });
  it('hints that a keyword must equal the whole value', () => {
    const [leaf] = leaves(explainPredicate(predicate('user_agent.original: "Boto3"').predicate, { user_agent: { original: 'Boto3/1.35.50 md/Botocore#1.35.50' } }));
    expect(leaf.hints?.join(' ')).toMatch(/whole value must equal "Boto3".*\*Boto3\*/);
  });
  it('hints that a quoted * is literal', () => {
    const [leaf] = leaves(explainPredicate(predicate('event.action: "Create*"').predicate, { event: { action: 'CreateUser' } }));
    expect(leaf.hints?.join(' ')).toMatch(/literal `\*`/);
  });
  it('tells a null field from a missing one, and suggests a field present under another name', () => {
    const ir = predicate('aws.cloudtrail.user_identity.arn: x').predicate;
    const nullLeaf = leaves(explainPredicate(ir, { aws: { cloudtrail: { user_identity: { arn: null } } } }))[0];
    expect(nullLeaf).toMatchObject({ isNull: true, values: [] });
    expect(nullLeaf.hints?.[0]).toMatch(/is null/);
    const renamed = leaves(explainPredicate(ir, { aws: { cloudtrail: { userIdentity: { arn: 'x' } } } }))[0];
    expect(renamed.hints?.[0]).toMatch(/missing from this event; it has `aws.cloudtrail.userIdentity.arn`/);
  });
  it('explains text fields and negations', () => {
    const x = explainPredicate(predicate('not message: "failed login"').predicate, { message: 'The login failed' });
    expect(x.pass).toBe(true);
    expect(formatExplanation(x)).toMatch(/PASS {2}not\n {2}FAIL {2}message has the phrase "failed login" {3}\[message = "The login failed"\]/);
  });
  it('agrees with the compiled matcher on EQL conditions', () => {
    const q = predicate('any where event.action : "x*" and not process.pid > 4', 'eql');
    for (const e of [{ event: { action: 'XY' }, process: { pid: 3 } }, { event: { action: 'XY' } }, { event: { action: 'y' } }]) {
      const compiled = compileQuery('any where event.action : "x*" and not process.pid > 4', { language: 'eql' });
      expect(explainPredicate(q.predicate, e).pass).toBe(compiled.ok && compiled.matcher(e));
    }
  });
});

describe('explainSequence', () => {
  const seq = predicate('sequence by user.name with maxspan=5m [any where event.action == "A"] [any where event.action == "B"] until [any where event.action == "STOP"]', 'eql').sequence!;
  const at = (min: number, action: string, user = 'u') => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, min)).toISOString(), event: { action }, user: { name: user } });
  it('says what each event did and why partials died', () => {
    const x = explainSequence(seq, [at(0, 'A'), at(1, 'A'), at(7, 'B'), at(8, 'B', 'v'), at(9, 'A'), at(10, 'STOP'), at(11, 'B'), at(12, 'A'), at(13, 'B'), at(14, 'Z')]);
    const notes = x.steps.map((s) => s.notes.join(' | '));
    expect(notes[0]).toBe('stage 1 for key ["u"]: starts a partial sequence');
    expect(notes[1]).toMatch(/replaces the partial sequence started by event 1/);
    expect(notes[2]).toMatch(/started by event 2 is 6m old, beyond maxspan 5m/);
    expect(notes[3]).toMatch(/no partial sequence for that key has reached stage 1/);
    expect(notes[5]).toMatch(/matches `until` for key \["u"\]: drops 1 partial/);
    expect(notes[8]).toMatch(/completes the sequence started by event 8/);
    expect(notes[9]).toBe('fits no stage');
    expect(x.alerts.map((a) => a.joinKeys)).toEqual([['u']]);
  });
  it('reports partial sequences evicted by the cap', () => {
    const x = explainSequence(seq, [at(0, 'A', 'a'), at(1, 'A', 'b'), at(2, 'A', 'c'), at(3, 'B', 'a')], { maxPending: 2 });
    expect(x.steps[2].notes).toEqual(['stage 1 for key ["c"]: starts a partial sequence', 'evicts the partial sequence started by event 1: more than 2 were pending (the cap), so the oldest goes']);
    expect(x.steps[3].notes[0]).toMatch(/no partial sequence for that key has reached stage 1/);
    expect(x.alerts).toEqual([]);
  });
  it('orders events by timestamp first, as the engine does', () => {
    const x = explainSequence(seq, [at(2, 'B'), at(0, 'A')]);
    expect(x.steps.map((s) => s.event)).toEqual([2, 1]);
    expect(x.alerts).toHaveLength(1);
  });
});
