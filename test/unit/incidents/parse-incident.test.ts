import { describe, expect, it } from 'vitest';
import { formatJson } from '../../../lib/incidents/format-json.ts';
import { parseIncident } from '../../../lib/incidents/parse-incident.ts';
import { makeIncident } from './build.ts';

describe('parseIncident', () => {
  it('reads back what formatJson wrote', () => {
    const incident = makeIncident({
      suppressedBefore: 1,
      eventIdsOmitted: 2,
      region: 'eu-west-1',
      occurrenceKey: '0123456789abcdef0123456789abcdef',
    });
    expect(parseIncident(formatJson(incident))).toEqual({ ok: true, incident });
  });

  it('ignores unknown keys and rejects null for an optional key', () => {
    const json = JSON.stringify({ ...JSON.parse(formatJson(makeIncident())), futureField: 1 });
    expect(parseIncident(json)).toEqual({ ok: true, incident: makeIncident() });
    const withNull = JSON.stringify({ ...JSON.parse(formatJson(makeIncident())), container: null });
    expect(parseIncident(withNull)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('container'),
    });
  });

  it('says why text is not an incident', () => {
    expect(parseIncident('hello')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseIncident('{"AlarmName":"x","NewStateValue":"ALARM"}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not an incident: schemaVersion: /),
    });
    expect(parseIncident(JSON.stringify({ ...makeIncident(), schemaVersion: 2 }))).toMatchObject({
      ok: false,
    });
    expect(parseIncident('[]')).toMatchObject({ ok: false, reason: expect.stringContaining('(root)') });
  });
});
