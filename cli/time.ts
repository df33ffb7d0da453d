/**
 * Times on the command line (`--since`, `--until`) and in log files: ISO 8601, epoch numbers, and
 * durations relative to now (`30m`, `2h`, `1d`, `1w`), the forms `aws logs tail --since` accepts.
 */
import { UsageError } from './exit-codes.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])(?:\s+ago)?$/i;

// Date, optional time (T or space), optional fraction (up to 9 digits: `aws logs tail` prints
// microseconds), optional zone. A time without a zone is UTC: log timestamps are.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch seconds have 10 digits until 2286; 13 digits are milliseconds. */
const EPOCH_SECONDS = /^\d{9,10}$/;
const EPOCH_MILLISECONDS = /^\d{12,13}$/;

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * Parses an ISO 8601 date or date-time to epoch milliseconds; `undefined` when it is not one or
 * names an impossible date. Without a zone the time is UTC. Fractions beyond milliseconds are cut.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: refuse instead.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return utc - zoneOffsetMs(zone);
}

/**
 * Parses a timestamp written as epoch seconds, epoch milliseconds or ISO 8601; `undefined` when it
 * is none of these.
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (EPOCH_MILLISECONDS.test(trimmed)) return Number(trimmed);
  if (EPOCH_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  return parseIsoTimestamp(trimmed);
}

/**
 * Parses a time option: `now`, a duration before `nowMs` (`90s`, `30m`, `2h`, `1.5d`, `1w`, with an
 * optional `ago`), epoch seconds or milliseconds, or ISO 8601 (UTC unless a zone is given).
 *
 * @param option the option's name, for the error message (`since`).
 * @throws {UsageError} naming the option when the text is none of these.
 */
export function parseTimeOption(text: string, nowMs: number, option: string): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return nowMs;
  const relative = RELATIVE.exec(trimmed);
  if (relative) {
    const [, amount, unit] = relative as unknown as [string, string, string];
    return nowMs - Math.round(Number(amount) * (UNIT_MS[unit.toLowerCase()] as number));
  }
  const absolute = parseTimestamp(trimmed);
  if (absolute === undefined) {
    throw new UsageError(
      `--${option}: '${text}' is not a time; use e.g. 30m, 2h, 1d, 2026-11-26T09:00Z or epoch milliseconds`,
    );
  }
  return absolute;
}

/** A time range, inclusive; open ends are infinite. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/**
 * Parses `--since` and `--until` into a range. Without `--since`, the range starts at
 * `defaultSince` (parsed the same way) or, without one, is open; without `--until` it ends now.
 *
 * @throws {UsageError} when either is unreadable, or the range is empty.
 */
export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  nowMs: number,
  defaultSince?: string,
): TimeRange {
  const start = since ?? defaultSince;
  const startMs = start === undefined ? Number.NEGATIVE_INFINITY : parseTimeOption(start, nowMs, 'since');
  const endMs = until === undefined ? nowMs : parseTimeOption(until, nowMs, 'until');
  if (endMs <= startMs) {
    throw new UsageError(
      `--until (${new Date(endMs).toISOString()}) must be after --since (${new Date(startMs).toISOString()})`,
    );
  }
  return { startMs, endMs };
}
