import { describe, expect, it } from 'vitest';
import { eql, eqlErrors } from './helpers.js';

describe('EQL sequences and samples', () => {
  it('read keys, maxspan, stages, per-stage keys and until', () => {
    expect(eql('sequence by user.id with maxspan=15m [process where true] by process.pid [file where true] by process.pid until [process where false] by process.pid')).toMatchObject({
      type: 'sequence',
      by: [{ type: 'field', path: ['user', 'id'] }],
      maxspan: { value: 15, unit: 'm', ms: 900000 },
      stages: [{ by: [{ path: ['process', 'pid'] }] }, { by: [{ path: ['process', 'pid'] }] }],
      until: { filter: { category: { name: 'process' } } },
    });
  });
  it('know every maxspan unit', () => {
    for (const [span, ms] of [['500ms', 500], ['2s', 2000], ['3m', 180000], ['1h', 3600000], ['2d', 172800000]] as const) {
      expect(eql(`sequence with maxspan=${span} [a where true] [b where true]`)).toMatchObject({ maxspan: { ms } });
    }
  });
  it('reject bad maxspans with Elasticsearch wording', () => {
    expect(eqlErrors('sequence with maxspan=15 [a where true] [b where true]')[0].message).toBe('No time unit specified, did you mean [s] as in [15s]?');
    expect(eqlErrors('sequence with maxspan=15x [a where true] [b where true]')[0].message).toBe('Unrecognized time unit [x] in [15x], please specify one of [ms, s, m, h, d].');
    expect(eqlErrors('sequence with maxspan=1.5h [a where true] [b where true]')[0].message).toBe('Decimal time interval [1.5h] not supported.');
  });
  it('want by before with', () => {
    expect(eqlErrors('sequence with maxspan=1m by a [a where true] [b where true]')[0].message).toBe('Please specify sequence [by] before [with] not after.');
  });
  it('need two stages, or runs', () => {
    expect(eqlErrors('sequence [a where true]')[0].message).toBe('A sequence requires a minimum of 2 queries, found [1].');
    expect(eql('sequence [a where true] with runs=3')).toMatchObject({ stages: [{ runs: 3 }] });
    expect(eqlErrors('sequence [a where true] with runs=101 [b where true]')[0].code).toBe('eql/syntax');
  });
  it('read missing-event stages, which need maxspan and a positive stage', () => {
    expect(eql('sequence with maxspan=1h [a where true] ![b where true] [c where true]')).toMatchObject({ stages: [{ missing: false }, { missing: true }, { missing: false }] });
    expect(eqlErrors('sequence [a where true] ![b where true]')[0].message).toMatch(/requires `with maxspan/);
  });
  it('check the number of join keys', () => {
    expect(eqlErrors('sequence by a [x where true] by b [y where true]')[0].message).toBe('Inconsistent number of join keys specified; expected [2] but found [1].');
  });
  it('read samples', () => {
    expect(eql('sample by host.id [a where true] by user.id [b where true] by user.name')).toMatchObject({
      type: 'sample',
      by: [{ path: ['host', 'id'] }],
      stages: [{ by: [{ path: ['user', 'id'] }] }, { by: [{ path: ['user', 'name'] }] }],
    });
  });
  it('reject joins and fork', () => {
    expect(eqlErrors('join by a [x where true] [y where true]')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Join is not supported by Elasticsearch EQL.' });
    expect(eqlErrors('sequence [x where true] fork=true [y where true]')[0]).toMatchObject({ code: 'eql/unsupported' });
  });
});
