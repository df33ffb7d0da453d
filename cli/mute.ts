/**
 * `sagewatch mute`: adds one mute to an operator rules document (a file or the SSM parameter the
 * processor reads), validated as the processor will validate it.
 */
import { ConfigError } from '../lib/errors.ts';
import {
  compileOperatorRules,
  type MuteEntry,
  OPERATOR_RULES_VERSION,
  type OperatorRulesDocument,
  validateOperatorRules,
} from '../lib/operator-rules/index.ts';
import { UsageError } from './exit-codes.ts';

const DAY_MS = 86_400_000;
const DURATION_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * `--until`: an ISO 8601 date or time, kept as written, or a duration from now (`12h`, `7d`, `2w`)
 * turned into a UTC time.
 */
export function parseUntil(value: string, nowMs: number): string {
  const duration = /^(\d{1,4})([hdw])$/.exec(value.trim());
  if (duration) {
    const ms = Number(duration[1]) * (DURATION_MS[duration[2] as string] as number);
    return new Date(nowMs + ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
  }
  return value.trim();
}

/**
 * The document with `mute` appended (a new document when there is none), checked whole: a document
 * the processor would refuse is never written. A mute whose expiry has passed is refused as well.
 *
 * @throws {UsageError} naming the problem (the mute, or an entry already in the document).
 */
export function addMute(
  existing: string | undefined,
  mute: MuteEntry,
  origin: string,
  nowMs: number,
): OperatorRulesDocument {
  let parsed: unknown = { version: OPERATOR_RULES_VERSION };
  if (existing !== undefined && existing.trim() !== '') {
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      throw new UsageError(`${origin}: is not valid JSON: ${(error as Error).message}`);
    }
  }
  const base = parsed as { mutes?: unknown[] };
  const next = { ...base, mutes: [...(Array.isArray(base.mutes) ? base.mutes : []), mute] };
  try {
    const document = validateOperatorRules(next, origin);
    compileOperatorRules(document, origin);
    if (mute.until !== undefined && Date.parse(mute.until) <= nowMs) {
      throw new UsageError(`--until ${mute.until} is not in the future`);
    }
    return document;
  } catch (error) {
    throw error instanceof ConfigError ? new UsageError(error.message) : error;
  }
}

/** The document as it is written: two-space JSON with a final newline, keys in their order. */
export function formatRulesDocument(document: OperatorRulesDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
