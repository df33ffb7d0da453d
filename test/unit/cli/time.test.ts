import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/exit-codes.ts';
import { parseIsoTimestamp, parseTimeOption, parseTimeRange, parseTimestamp } from '../../../cli/time.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('parseIsoTimestamp', () => {
  it('reads dates and date-times, UTC without a zone', () => {
    expect(parseIsoTimestamp('2026-11-26')).toBe(Date.UTC(2026, 10, 26));
    expect(parseIsoTimestamp('2026-11-26T09:30')).toBe(Date.UTC(2026, 10, 26, 9, 30));
    expect(parseIsoTimestamp('2026-11-26 09:30:15')).toBe(Date.UTC(2026, 10, 26, 9, 30, 15));
    expect(parseIsoTimestamp('2026-11-26T09:30:15Z')).toBe(Date.UTC(2026, 10, 26, 9, 30, 15));
  });

  it('reads fractions up to nanoseconds, keeping milliseconds', () => {
    expect(parseIsoTimestamp('2023-11-07T11:49:54.665000+00:00')).toBe(
      Date.UTC(2023, 10, 7, 11, 49, 54, 665),
    );
    expect(parseIsoTimestamp('2023-11-07T11:49:54,5Z')).toBe(Date.UTC(2023, 10, 7, 11, 49, 54, 500));
    expect(parseIsoTimestamp('2023-11-07T11:49:54.123456789Z')).toBe(Date.UTC(2023, 10, 7, 11, 49, 54, 123));
  });

  it('applies zone offsets in every written form', () => {
    const utc = Date.UTC(2026, 10, 26, 8, 0);
    expect(parseIsoTimestamp('2026-11-26T09:00+01:00')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-26T09:00+0100')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-26T09:00+01')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-26T03:30-04:30')).toBe(utc);
  });

  it('refuses impossible dates and times, and other text', () => {
    expect(parseIsoTimestamp('2026-02-30')).toBeUndefined();
    expect(parseIsoTimestamp('2026-13-01')).toBeUndefined();
    expect(parseIsoTimestamp('2026-11-26T24:00')).toBeUndefined();
    expect(parseIsoTimestamp('2026-11-26T23:60')).toBeUndefined();
    expect(parseIsoTimestamp('2026-11-26T23:59:60')).toBeUndefined();
    expect(parseIsoTimestamp('yesterday')).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('reads epoch milliseconds, epoch seconds and ISO 8601', () => {
    expect(parseTimestamp('1764148443000')).toBe(1764148443000);
    expect(parseTimestamp(' 1764148443 ')).toBe(1764148443000);
    expect(parseTimestamp('2026-11-26T09:14:03Z')).toBe(Date.UTC(2026, 10, 26, 9, 14, 3));
    expect(parseTimestamp('12345')).toBeUndefined();
  });
});

describe('parseTimeOption', () => {
  it('reads durations before now, in every unit, with an optional "ago"', () => {
    expect(parseTimeOption('now', NOW, 'since')).toBe(NOW);
    expect(parseTimeOption('90s', NOW, 'since')).toBe(NOW - 90_000);
    expect(parseTimeOption('30m', NOW, 'since')).toBe(NOW - 30 * 60_000);
    expect(parseTimeOption('2h', NOW, 'since')).toBe(NOW - 2 * 3_600_000);
    expect(parseTimeOption('1.5d', NOW, 'since')).toBe(NOW - 36 * 3_600_000);
    expect(parseTimeOption('1W', NOW, 'since')).toBe(NOW - 7 * 86_400_000);
    expect(parseTimeOption('3 h ago', NOW, 'since')).toBe(NOW - 3 * 3_600_000);
  });

  it('reads absolute times', () => {
    expect(parseTimeOption('2026-11-26T00:00Z', NOW, 'since')).toBe(Date.UTC(2026, 10, 26));
    expect(parseTimeOption('1764115200000', NOW, 'since')).toBe(1764115200000);
  });

  it('names the option in a usage error', () => {
    expect(() => parseTimeOption('last tuesday', NOW, 'until')).toThrow(UsageError);
    expect(() => parseTimeOption('last tuesday', NOW, 'until')).toThrow(
      /^--until: 'last tuesday' is not a time/,
    );
  });
});

describe('parseTimeRange', () => {
  it('defaults the end to now and the start to the given default', () => {
    expect(parseTimeRange(undefined, undefined, NOW, '1h')).toEqual({ startMs: NOW - 3_600_000, endMs: NOW });
    expect(parseTimeRange('2h', '1h', NOW)).toEqual({ startMs: NOW - 7_200_000, endMs: NOW - 3_600_000 });
  });

  it('leaves the start open without --since or a default', () => {
    expect(parseTimeRange(undefined, '1h', NOW)).toEqual({
      startMs: Number.NEGATIVE_INFINITY,
      endMs: NOW - 3_600_000,
    });
  });

  it('refuses an empty range', () => {
    expect(() => parseTimeRange('1h', '2h', NOW)).toThrow(/--until .* must be after --since/);
    expect(() => parseTimeRange('now', 'now', NOW)).toThrow(UsageError);
  });
});
