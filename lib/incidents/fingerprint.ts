import { hash } from 'node:crypto';
import type { Category, ResourceType } from '../types.ts';

/**
 * Fingerprints: the same failure on another host, step or request has the same fingerprint; the
 * same failure on another resource, or another failure, has another.
 *
 * The headline is normalised first (see docs/incident-schema.md, "Fingerprint"):
 * - UUIDs, instance ids (`i-0abc...`), `0x...` and long hex runs with a digit (git shas, model
 *   directories) become placeholders; Python temp names (`tmpab12_xyz`) too;
 * - every number becomes `<n>`, so timestamps, pids, ports, IP addresses, `algo-N`, ranks, steps
 *   and sizes all match; a size with its unit (`2.00 GiB`, `72.00 MiB`) becomes `<size>`, because
 *   the unit changes with the amount;
 * - quoted values of at most {@link MAX_KEPT_QUOTED_CHARS} characters are kept: they name what is
 *   wrong (`KeyError: 'label'` and `KeyError: 'image'` are different bugs, `No module named 'x'`
 *   different missing packages); longer ones become `<str>`, and longer `{...}` / `[...]` become
 *   `<obj>`, because they are payloads, commands or request bodies that differ every time.
 */

/** Hex characters kept from the SHA-256 digest (64 bits: collisions are not a concern here). */
export const FINGERPRINT_HEX_CHARS = 16;
/** Quoted values up to this length are part of the fingerprint; longer ones are not. */
export const MAX_KEPT_QUOTED_CHARS = 40;
/** Only this much of the normalised headline counts (its end is often per-request detail). */
export const MAX_NORMALISED_HEADLINE_CHARS = 512;

// Innermost braces or brackets; applied a few times so nested payloads collapse from inside out.
const BRACED = /\{[^{}\r\n]{0,4096}\}|\[[^[\]\r\n]{0,4096}\]/g;
const BRACED_PASSES = 3;
const QUOTED = /'([^'\r\n]{0,4096})'|"([^"\r\n]{0,4096})"/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const INSTANCE_ID = /\bi-[0-9a-f]{8,17}\b/g;
const HEX_PREFIXED = /\b0x[0-9a-f]{1,64}\b/gi;
// A digit and a letter both: all-digit runs are numbers (<n>), all-letter runs are words.
const HEX_RUN = /\b(?=[0-9a-f]{0,128}\d)(?=[0-9a-f]{0,128}[a-f])[0-9a-f]{8,128}\b/gi;
const TEMP_NAME = /\btmp[a-z0-9_]{6,12}\b/g;
const NUMBER = /\d+(?:\.\d+)?/g;
const SIZE = /<n> ?(?:[KMGTP]i?B|bytes|B)\b/g;
const WHITESPACE = /\s+/g;

/** The headline with its variable parts replaced by placeholders (the rules above). */
export function normaliseHeadline(headline: string): string {
  let text = headline;
  for (let pass = 0; pass < BRACED_PASSES; pass++) {
    text = text.replace(BRACED, (match) => (match.length - 2 > MAX_KEPT_QUOTED_CHARS ? '<obj>' : match));
  }
  return text
    .replace(QUOTED, (match, single: string | undefined, double: string | undefined) => {
      const inner = (single ?? double) as string;
      return inner.length > MAX_KEPT_QUOTED_CHARS ? '<str>' : match;
    })
    .replace(UUID, '<uuid>')
    .replace(INSTANCE_ID, 'i-<id>')
    .replace(HEX_PREFIXED, '<hex>')
    .replace(HEX_RUN, '<hex>')
    .replace(TEMP_NAME, 'tmp<name>')
    .replace(NUMBER, '<n>')
    .replace(SIZE, '<size>')
    .replace(WHITESPACE, ' ')
    .trim()
    .slice(0, MAX_NORMALISED_HEADLINE_CHARS);
}

/** What a fingerprint is made of. */
export interface FingerprintParts {
  resourceType: ResourceType;
  resourceName?: string;
  category: Category;
  headline: string;
}

/** Hex characters of an occurrence key (128 bits). */
export const OCCURRENCE_KEY_HEX_CHARS = 32;

function digest(parts: readonly string[], hexChars: number): string {
  // A separator that cannot occur in the parts keeps ("ab", "c") and ("a", "bc") apart.
  // The one-shot hash: no Hash object per call (about 0.4 µs less each time, the same digest).
  return hash('sha256', parts.join('\u001f'), 'hex').slice(0, hexChars);
}

/** `sha256(resourceType, resourceName, category, normalised headline)`, first hex characters. */
export function computeFingerprint(parts: FingerprintParts): string {
  return digest(
    [parts.resourceType, parts.resourceName ?? '', parts.category, normaliseHeadline(parts.headline)],
    FINGERPRINT_HEX_CHARS,
  );
}

/**
 * Identifies one occurrence across retries of the same delivery: `sha256(log group, log stream,
 * first event id)`. CloudWatch event ids are unique within a log group.
 */
export function computeOccurrenceKey(logGroup: string, logStream: string, firstEventId: string): string {
  return digest([logGroup, logStream, firstEventId], OCCURRENCE_KEY_HEX_CHARS);
}
