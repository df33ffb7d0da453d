import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/exit-codes.ts';
import { addMute, formatRulesDocument, parseUntil } from '../../../cli/mute.ts';

const NOW = Date.parse('2026-12-04T10:00:00Z');

describe('parseUntil', () => {
  it('keeps ISO dates, turns durations into UTC times', () => {
    expect(parseUntil('2026-12-31', NOW)).toBe('2026-12-31');
    expect(parseUntil(' 7d ', NOW)).toBe('2026-12-11T10:00Z');
    expect(parseUntil('12h', NOW)).toBe('2026-12-04T22:00Z');
    expect(parseUntil('2w', NOW)).toBe('2026-12-18T10:00Z');
  });
});

describe('addMute', () => {
  const mute = { fingerprint: '3f2a9c4d1e8b7a60', until: '2026-12-11' };

  it('starts a document when there is none, and appends to an existing one keeping its entries', () => {
    expect(addMute(undefined, mute, 'f', NOW)).toEqual({ version: 1, mutes: [mute] });
    expect(addMute('  ', mute, 'f', NOW)).toEqual({ version: 1, mutes: [mute] });
    const existing = JSON.stringify({
      version: 1,
      rules: [{ id: 'r', pattern: 'x', severity: 'error', category: 'timeout' }],
      mutes: [{ resourceName: 'dev-*' }],
    });
    const next = addMute(existing, mute, 'f', NOW);
    expect(next.rules).toHaveLength(1);
    expect(next.mutes).toEqual([{ resourceName: 'dev-*' }, mute]);
    expect(formatRulesDocument(next)).toMatch(/^\{\n {2}"version": 1,[\s\S]*\n\}\n$/);
  });

  it('refuses what the processor would refuse, and a mute already expired', () => {
    const fail = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(fail(() => addMute('{', mute, 'rules.json', NOW))).toMatch(/^rules.json: is not valid JSON/);
    expect(fail(() => addMute(undefined, { fingerprint: 'nope' }, 'p', NOW))).toContain(
      'mutes[0].fingerprint',
    );
    expect(fail(() => addMute(undefined, { pattern: '(a+)+' }, 'p', NOW))).toContain('not linear-time');
    expect(fail(() => addMute(undefined, { ...mute, until: '2026-12-01' }, 'p', NOW))).toContain(
      'not in the future',
    );
    expect(fail(() => addMute('{"version":1,"mutes":[{"id":"bad"}]}', mute, 'p', NOW))).toContain(
      "mutes[0] (id 'bad')",
    );
    // A document whose mutes are not a list gets a list.
    expect(addMute('{"version":1,"mutes":{}}', mute, 'p', NOW).mutes).toEqual([mute]);
  });
});
