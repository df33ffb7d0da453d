import { Buffer } from 'node:buffer';

/** Marks where text was cut. */
export const ELLIPSIS = '…';

/** How a limit counts: UTF-8 bytes (SNS, email) or UTF-16 characters (Slack). */
export type Measure = 'bytes' | 'chars';

/** Lines kept from the start of a block when its middle must go (the rest are kept from its end). */
export const DEFAULT_HEAD_LINES = 10;

/** The size of `text` in the given measure. */
export function sizeOf(text: string, measure: Measure): number {
  return measure === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/**
 * `text` cut to at most `max` (bytes or characters) including a trailing `…`, never inside a
 * character (no lone surrogate, no partial UTF-8 sequence). Returned unchanged when it fits.
 */
export function truncateText(text: string, max: number, measure: Measure = 'chars'): string {
  if (sizeOf(text, measure) <= max) return text;
  const budget = max - sizeOf(ELLIPSIS, measure);
  if (budget <= 0) return '';
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = sizeOf(char, measure);
    if (used + size > budget) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end) + ELLIPSIS;
}

/** Limits for {@link fitLines}. */
export interface FitLimits {
  /** At most this many lines, the omission marker included; at least 3 is used. */
  maxLines: number;
  /** At most this size in total, with one separator between lines. */
  maxSize: number;
  /** Each line is cut to this size first. */
  maxLineSize: number;
  measure?: Measure;
  /** Lines to keep from the start (default {@link DEFAULT_HEAD_LINES}). */
  headLines?: number;
}

/** The line that stands for lines taken out of the middle. */
export function omissionMarker(omitted: number): string {
  return `${ELLIPSIS} ${omitted} line${omitted === 1 ? '' : 's'} omitted ${ELLIPSIS}`;
}

function totalSize(lines: readonly string[], measure: Measure): number {
  let total = Math.max(0, lines.length - 1);
  for (const line of lines) total += sizeOf(line, measure);
  return total;
}

/**
 * Bounds a block of lines by count and size, keeping its head and, above all, its end (the final
 * exception line is what matters most): lines come out of the middle, replaced by one
 * `… N lines omitted …` marker; if the first and last lines alone are too big, they are cut.
 */
export function fitLines(lines: readonly string[], limits: FitLimits): string[] {
  const measure = limits.measure ?? 'chars';
  const maxLines = Math.max(3, limits.maxLines);
  const capped = lines.map((line) => truncateText(line, limits.maxLineSize, measure));
  if (capped.length <= maxLines && totalSize(capped, measure) <= limits.maxSize) return capped;

  const headCount = Math.min(limits.headLines ?? DEFAULT_HEAD_LINES, Math.floor((maxLines - 1) / 2));
  // The head never takes the last line: that one is kept whatever else goes.
  let headEnd = Math.max(1, Math.min(headCount, capped.length - 1));
  let tailStart = Math.max(headEnd, capped.length - (maxLines - 1 - headEnd));
  let omitted = tailStart - headEnd;
  // Sizes are kept as running sums, so taking lines out one by one stays linear in the block.
  const sizes = capped.map((line) => sizeOf(line, measure));
  let headSize = 0;
  for (let i = 0; i < headEnd; i++) headSize += sizes[i] as number;
  let tailSize = 0;
  for (let i = tailStart; i < capped.length; i++) tailSize += sizes[i] as number;
  const composedSize = (): number => {
    const count = headEnd + (capped.length - tailStart) + (omitted > 0 ? 1 : 0);
    const marker = omitted > 0 ? sizeOf(omissionMarker(omitted), measure) : 0;
    return headSize + tailSize + marker + Math.max(0, count - 1);
  };

  while (composedSize() > limits.maxSize) {
    if (headEnd > 1) headSize -= sizes[--headEnd] as number;
    else if (capped.length - tailStart > 1) tailSize -= sizes[tailStart++] as number;
    else break;
    omitted++;
  }
  const head = capped.slice(0, headEnd);
  const tail = capped.slice(tailStart);
  const fitted = omitted > 0 ? [...head, omissionMarker(omitted), ...tail] : [...head, ...tail];
  if (composedSize() <= limits.maxSize) return fitted;

  // Only the first line, the marker and the last line are left: share what remains between them.
  const marker = omitted > 0 ? [omissionMarker(omitted)] : [];
  const content = [...head, ...tail];
  const share = Math.floor(
    (limits.maxSize - totalSize(marker, measure) - (content.length + marker.length - 1)) / content.length,
  );
  const [first, ...rest] = content.map((line) => truncateText(line, share, measure));
  return [first as string, ...marker, ...rest];
}
