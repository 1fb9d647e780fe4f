import { describe, expect, it } from 'vitest';
import { kql, kqlErrors } from '../helpers/match.js';

describe('terms on typed fields', () => {
  it('numbers compare by value', () => {
    const m = kql('http.response.status_code: 200');
    expect(m({ http: { response: { status_code: 200 } } })).toBe(true);
    expect(m({ http: { response: { status_code: '200' } } })).toBe(true);
    expect(kql('http.response.status_code: "200.0"')({ http: { response: { status_code: 200 } } })).toBe(true);
  });
  it('booleans accept true/false and their strings', () => {
    const m = kql('aws.cloudtrail.read_only: true');
    expect(m({ aws: { cloudtrail: { read_only: true } } })).toBe(true);
    expect(m({ aws: { cloudtrail: { read_only: 'true' } } })).toBe(true);
    expect(m({ aws: { cloudtrail: { read_only: false } } })).toBe(false);
    expect(kqlErrors('aws.cloudtrail.read_only: yes')).toEqual(['kql/type-mismatch']);
  });
  it('ip fields match addresses and CIDR blocks', () => {
    expect(kql('source.ip: 192.168.0.0/16')({ source: { ip: '192.168.16.3' } })).toBe(true);
    expect(kql('source.ip: 10.0.0.0/8')({ source: { ip: '192.168.16.3' } })).toBe(false);
    expect(kql('source.ip: "::1"')({ source: { ip: '0:0:0:0:0:0:0:1' } })).toBe(true);
    expect(kqlErrors('source.ip: nope')).toEqual(['kql/type-mismatch']);
  });
  it('CIDR on a keyword field is plain text', () => {
    expect(kql('ip: 192.168.0.0/16')({ ip: '192.168.16.3' })).toBe(false);
  });
  it('a date term matches the whole rounded span', () => {
    const m = kql('@timestamp: "2024-01-01"');
    expect(m({ '@timestamp': '2024-01-01T23:59:59Z' })).toBe(true);
    expect(m({ '@timestamp': '2024-01-02T00:00:00Z' })).toBe(false);
    expect(m({ '@timestamp': 1704067200000 })).toBe(true);
  });
});
