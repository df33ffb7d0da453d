import { describe, expect, it } from 'vitest';
import {
  formatJson,
  INCIDENT_KEYS,
  scrubIncident,
  toIncidentObject,
} from '../../../lib/incidents/format-json.ts';
import { makeIncident } from './build.ts';

describe('formatJson', () => {
  it('writes the incident with schemaVersion first and keys in schema order', () => {
    const incident = makeIncident({ container: 'c1', suppressedBefore: 3 });
    const json = formatJson(incident);
    const parsed = JSON.parse(json);
    expect(parsed).toEqual(incident);
    expect(Object.keys(parsed)).toEqual(INCIDENT_KEYS.filter((key) => key in incident));
    expect(json.startsWith('{"schemaVersion":1,"fingerprint":"0123456789abcdef"')).toBe(true);
  });

  it('leaves absent and undefined keys out', () => {
    const incident = { ...makeIncident(), container: undefined } as unknown as ReturnType<
      typeof makeIncident
    >;
    expect(Object.keys(toIncidentObject(incident))).not.toContain('container');
  });

  it('scrubs every text, and a key spread over context lines as one block', () => {
    const incident = makeIncident({
      headline: 'token=abc123secret',
      consoleUrl: 'https://u:pw123@example.com/',
      resourceName: 'AKIAIOSFODNN7EXAMPLE',
      context: [
        '-----BEGIN PRIVATE KEY-----',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
        '-----END PRIVATE KEY-----',
        'done',
      ],
    });
    const json = formatJson(incident);
    for (const secret of [
      'abc123secret',
      'pw123',
      'AKIAIOSFODNN7EXAMPLE',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    ]) {
      expect(json).not.toContain(secret);
    }
    expect(scrubIncident(incident).context).toEqual(['[REDACTED:private-key]', 'done']);
    expect(scrubIncident(makeIncident({ context: [] })).context).toEqual([]);
  });

  it('does not change the incident it is given', () => {
    const incident = makeIncident({ headline: 'password=x1' });
    scrubIncident(incident);
    expect(incident.headline).toBe('password=x1');
  });
});
