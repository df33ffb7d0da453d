import { describeResource, formatTime } from './describe.ts';
import { fitLines, sizeOf, truncateText } from './fit-lines.ts';
import { formatContextLines } from './format-alert-context.ts';
import { scrubIncident } from './format-json.ts';
import type { Incident } from './types.ts';

/** SNS: an email subject has fewer than 100 characters. */
export const EMAIL_SUBJECT_MAX_CHARS = 99;
/** The tag that starts every subject, for mail filters. */
export const EMAIL_SUBJECT_TAG = 'sagewatch';
/** The body is cut to this many UTF-8 bytes (well inside SNS's 256 KiB with the JSON beside it). */
export const EMAIL_BODY_MAX_BYTES = 64 * 1024;
/** Context lines shown in an email at most. */
export const EMAIL_MAX_CONTEXT_LINES = 200;

/** A plain-text email. */
export interface EmailMessage {
  /** Under 100 characters, no line breaks or control characters. */
  subject: string;
  body: string;
}

// SNS refuses line breaks and control characters in a subject; Unicode line separators too.
const SUBJECT_UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

/**
 * `[sagewatch][critical] cuda_oom in TrainingJob my-job (algo-3)`: what and where, cut with `…`.
 * The count stays out of the subject so mail clients keep one thread per failure.
 */
export function formatEmailSubject(incident: Incident): string {
  const category = incident.category === 'none' ? 'unclassified' : incident.category;
  const where = [incident.resourceType, incident.resourceName ?? incident.logGroup].join(' ');
  const node = [incident.variantName, incident.instance].filter((part) => part).join('/');
  const detail = [node, incident.container ? `container ${incident.container}` : '']
    .filter((p) => p)
    .join(', ');
  const subject = `[${EMAIL_SUBJECT_TAG}][${incident.severity}] ${category} in ${where}${detail ? ` (${detail})` : ''}`;
  return truncateText(
    subject.replace(SUBJECT_UNSAFE, ' ').replace(/ {2,}/g, ' ').trim(),
    EMAIL_SUBJECT_MAX_CHARS,
  );
}

function contextSection(incident: Incident): string[] {
  if (!incident.alertContext) return [];
  const lines = formatContextLines(incident.alertContext, incident);
  return lines.length === 0 ? [] : ['', ...lines];
}

function row(label: string, value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : [`${`${label}:`.padEnd(13)}${value}`];
}

/**
 * The plain-text email for an incident: what, where (resource, host, container, stream), how often
 * (count, first and last seen in ISO UTC), the log lines, the console link and the fingerprint.
 * The log lines are cut (head and end kept) so the body stays within `maxBodyBytes`.
 */
export function formatEmail(incident: Incident, options: { maxBodyBytes?: number } = {}): EmailMessage {
  const maxBodyBytes = options.maxBodyBytes ?? EMAIL_BODY_MAX_BYTES;
  const safe = scrubIncident(incident);
  const times = `first ${formatTime(safe.firstSeenMs)}, last ${formatTime(safe.lastSeenMs)}`;
  const head = [
    safe.title,
    '',
    safe.headline,
    '',
    ...row('Severity', safe.severity),
    ...row('Category', safe.category),
    ...row('Resource', describeResource(safe)),
    ...row('Variant', safe.variantName),
    ...row('Instance', safe.instance),
    ...row('Host', safe.host),
    ...row('Container', safe.container),
    ...row('Log group', safe.logGroup),
    ...row('Log stream', safe.logStream),
    ...row('Account', safe.accountId),
    ...row('Region', safe.region),
    ...row('Occurrences', `${safe.count} in this log batch (${times})`),
    ...row(
      'Written by',
      safe.writers ? `${safe.writers.length} writers: ${safe.writers.join(', ')}` : undefined,
    ),
    ...row(
      'Suppressed',
      safe.suppressedBefore
        ? `${safe.suppressedBefore} earlier occurrence(s) within the alert window`
        : undefined,
    ),
    ...(safe.truncated
      ? ['', 'Note: the error was still being written when this log batch ended; the rest may follow.']
      : []),
    ...contextSection(safe),
    '',
    'Log lines:',
  ];
  const tail = [
    '',
    ...(safe.consoleUrl ? ['Open the log stream:', safe.consoleUrl, ''] : []),
    `Fingerprint: ${safe.fingerprint} (incident schema v${safe.schemaVersion})`,
    '',
  ];
  const fixed = sizeOf([...head, ...tail].join('\n'), 'bytes');
  const context = fitLines(
    safe.context.map((line) => `    ${line}`),
    {
      maxLines: EMAIL_MAX_CONTEXT_LINES,
      maxSize: maxBodyBytes - fixed - 1,
      maxLineSize: maxBodyBytes,
      measure: 'bytes',
    },
  );
  const body = [...head, ...context, ...tail].join('\n');
  return { subject: formatEmailSubject(safe), body: truncateText(body, maxBodyBytes, 'bytes') };
}
