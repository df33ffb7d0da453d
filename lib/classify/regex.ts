/** Small helpers for reading regex matches under `noUncheckedIndexedAccess`. */

/**
 * The text of one capture group, or `''` when the group took no part in the match.
 *
 * @example
 * group(/(a)(b)?/.exec('a') as RegExpExecArray, 2) // ''
 */
export function group(match: RegExpMatchArray, index: number): string {
  return match[index] ?? '';
}
