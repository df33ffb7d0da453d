import * as z from 'zod';
import { truncateText } from '../incidents/fit-lines.ts';
import { IncidentSchema } from '../incidents/parse-incident.ts';
import { INCIDENT_SCHEMA_VERSION, type Incident } from '../incidents/types.ts';
import { scrubSecrets } from '../text/scrub-secrets.ts';
import { type AlarmNotification, AlarmNotificationSchema } from './format-alarm.ts';

/**
 * Reads what the alerts topic hands to `notify-slack`: a sagewatch incident (the `default`
 * variant of the per-protocol message, or the raw JSON incident), or a CloudWatch alarm
 * notification. Anything else is a delivery this function cannot handle, and it must not be lost
 * quietly: {@link parseSnsMessage} throws an {@link InvalidMessageError} that says what is wrong
 * without repeating the message (it may carry log lines, or a secret a publisher forgot to scrub).
 */

/** Validation problems named in an error at most; the rest are counted. */
export const MAX_REPORTED_ISSUES = 5;
/** Each problem's description is cut to this many characters (enum lists can be long). */
export const MAX_ISSUE_CHARS = 160;
/** Top-level keys named when a message is neither an incident nor an alarm. */
export const MAX_REPORTED_KEYS = 10;
const MAX_KEY_CHARS = 40;

/** A message `notify-slack` cannot turn into a Slack post; retrying it will not help. */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
}

/** What an SNS message turned out to be. */
export type SnsNotification =
  | { kind: 'incident'; incident: Incident }
  | { kind: 'alarm'; alarm: AlarmNotification };

/** One SNS record of a Lambda invocation, as far as this function needs it. */
export interface SnsRecord {
  messageId: string;
  message: string;
}

const SnsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: z.string(), Message: z.string() }) })).min(1),
});

/** The records of an SNS → Lambda event; throws an {@link InvalidMessageError} for any other event. */
export function readSnsRecords(event: unknown): SnsRecord[] {
  const result = SnsEventSchema.safeParse(event);
  if (!result.success) {
    throw new InvalidMessageError(
      `the event is not an SNS notification (expected Records[].Sns.Message): ${describeIssues(result.error.issues, event)}`,
    );
  }
  return result.data.Records.map(({ Sns }) => ({ messageId: Sns.MessageId, message: Sns.Message }));
}

/**
 * Parses one SNS `Message`. Throws an {@link InvalidMessageError} naming the message id and the
 * problem: not JSON, not an object, an incident of another schema version, an incident or alarm
 * with missing or malformed fields, or JSON of an unknown kind (its top-level keys are named).
 */
export function parseSnsMessage(message: string, messageId = 'unknown'): SnsNotification {
  const fail = (problem: string): never => {
    throw new InvalidMessageError(`SNS message ${messageId}: ${problem}`);
  };
  let value = (parseJson(message) ?? fail(`is not JSON (${message.length} characters)`)).value;
  // The whole MessageStructure=json document (published without MessageStructure): its `default`.
  if (isRecord(value) && !('schemaVersion' in value) && typeof value.default === 'string') {
    value = (parseJson(value.default) ?? fail('has a `default` variant that is not JSON')).value;
  }
  if (!isRecord(value)) return fail(`is JSON but not an object (${typeOf(value)})`);
  if ('AlarmName' in value) {
    const alarm = AlarmNotificationSchema.safeParse(value);
    if (!alarm.success) {
      return fail(
        `is not a valid CloudWatch alarm notification: ${describeIssues(alarm.error.issues, value)}`,
      );
    }
    return { kind: 'alarm', alarm: alarm.data };
  }
  if (!('schemaVersion' in value)) {
    return fail(
      `is neither a sagewatch incident (no schemaVersion) nor a CloudWatch alarm (no AlarmName); keys: ${describeKeys(value)}`,
    );
  }
  if (value.schemaVersion !== INCIDENT_SCHEMA_VERSION) {
    const version =
      typeof value.schemaVersion === 'number'
        ? String(value.schemaVersion)
        : `a ${typeOf(value.schemaVersion)}`;
    return fail(
      `incident schemaVersion ${version} is not supported (this function reads version ${INCIDENT_SCHEMA_VERSION}); deploy notify-slack from the same sagewatch release as process-logs`,
    );
  }
  const incident = IncidentSchema.safeParse(value);
  if (!incident.success) {
    return fail(`is not a valid incident: ${describeIssues(incident.error.issues, value)}`);
  }
  // Optional keys zod reports as present-but-undefined are dropped (exact optional property types).
  const present = Object.fromEntries(Object.entries(incident.data).filter(([, v]) => v !== undefined));
  return { kind: 'incident', incident: present as unknown as Incident };
}

/** The parsed value (boxed: `null` is valid JSON), or `undefined` when `text` is not JSON. */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    // V8's message quotes the start of the text: never passed on.
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function describeKeys(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return '(none)';
  const named = keys.slice(0, MAX_REPORTED_KEYS).map((key) => truncateText(scrubSecrets(key), MAX_KEY_CHARS));
  const more = keys.length - named.length;
  return named.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** Whether the value at `path` is absent (a missing field rather than a malformed one). */
function isMissing(root: unknown, path: readonly PropertyKey[]): boolean {
  let node = root;
  for (const key of path) {
    if (!Object.hasOwn(Object(node), key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return false;
}

/**
 * zod's issues as `missing fingerprint, count; severity: Invalid option: ...`. zod's messages
 * name the expected and the received type, never the received value.
 */
function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown): string {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const issue of issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    if (issue.code === 'invalid_type' && isMissing(root, issue.path)) missing.push(path);
    else wrong.push(truncateText(`${path}: ${issue.message}`, MAX_ISSUE_CHARS));
  }
  const parts = [...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...wrong];
  const named = parts.slice(0, MAX_REPORTED_ISSUES);
  const more = parts.length - named.length;
  return named.join('; ') + (more > 0 ? `; and ${more} more problem(s)` : '');
}
