/**
 * What the control functions' run reports share: how long their lists and error texts may get.
 */

/** At most this many names per list in the report: the log line must stay readable. */
export const REPORT_LIST_LIMIT = 50;

/** An AWS error message is cut to this length in the report. */
export const MAX_ERROR_TEXT_LENGTH = 300;

/** Renders an unknown thrown value as `Name: message`, bounded. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === 'string'
        ? error
        : 'unknown error';
  return text.length > MAX_ERROR_TEXT_LENGTH ? `${text.slice(0, MAX_ERROR_TEXT_LENGTH - 1)}…` : text;
}
