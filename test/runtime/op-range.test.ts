import { describe, expect, it } from 'vitest';
import { kql, kqlErrors } from '../helpers/match.js';

describe('ranges', () => {
  it('compare numbers numerically on numeric fields', () => {
    const m = kql('bytes > 9', { bytes: 'long' });
    expect(m({ bytes: 10 })).toBe(true);
    expect(m({ bytes: '10' })).toBe(true);
    expect(m({ bytes: 9 })).toBe(false);
    expect(m({ bytes: [1, 100] })).toBe(true);
  });
  it('truncate source values of integer fields', () => {
    expect(kql('n >= 2', { n: 'long' })({ n: 1.9 })).toBe(false);
    expect(kql('n: 1', { n: 'long' })({ n: 1.9 })).toBe(true);
    expect(kql('n: 1.5', { n: 'long' })({ n: 1.5 })).toBe(false);
    expect(kql('n: 1.5', { n: 'double' })({ n: 1.5 })).toBe(true);
  });
  it('compare keywords by code point', () => {
    const m = kql('name >= "m"');
    expect(m({ name: 'z' })).toBe(true);
    expect(m({ name: 'M' })).toBe(false);
    expect(kql('code > 9')({ code: '10' })).toBe(false);
  });
  it('compare dates as instants, with Elasticsearch rounding', () => {
    const ts = (t: string) => ({ '@timestamp': t });
    expect(kql('@timestamp >= "2024-01-01"')(ts('2024-01-01T00:00:00Z'))).toBe(true);
    expect(kql('@timestamp > "2024-01-01"')(ts('2024-01-01T23:59:59.999Z'))).toBe(false);
    expect(kql('@timestamp > "2024-01-01"')(ts('2024-01-02T00:00:00Z'))).toBe(true);
    expect(kql('@timestamp <= "2024-01-01"')(ts('2024-01-01T12:00:00Z'))).toBe(true);
    expect(kql('@timestamp < "2024-01-01"')(ts('2024-01-01T00:00:00Z'))).toBe(false);
    expect(kql('@timestamp < 1704067200001')(ts('2024-01-01T00:00:00Z'))).toBe(true);
  });
  it('resolve date math against the caller-set now', () => {
    const now = '2024-06-15T12:00:00Z';
    const m = kql('@timestamp >= "now-1d/d"', {}, now);
    expect(m({ '@timestamp': '2024-06-14T00:00:00Z' })).toBe(true);
    expect(m({ '@timestamp': '2024-06-13T23:59:59.999Z' })).toBe(false);
    expect(kql('@timestamp < now', {}, now)({ '@timestamp': '2024-06-15T11:00:00Z' })).toBe(true);
  });
  it('compare IP addresses on ip fields', () => {
    const m = kql('source.ip >= 10.0.0.5 and source.ip < 10.0.1.0');
    expect(m({ source: { ip: '10.0.0.200' } })).toBe(true);
    expect(m({ source: { ip: '10.0.1.0' } })).toBe(false);
  });
  it('order booleans false < true', () => {
    expect(kql('aws.cloudtrail.read_only > false')({ aws: { cloudtrail: { read_only: true } } })).toBe(true);
    expect(kql('aws.cloudtrail.read_only > false')({ aws: { cloudtrail: { read_only: false } } })).toBe(false);
  });
  it('reject values of the wrong type', () => {
    expect(kqlErrors('bytes > abc', { bytes: 'long' })).toEqual(['kql/type-mismatch']);
    expect(kqlErrors('@timestamp > yesterday')).toEqual(['kql/type-mismatch']);
  });
});
