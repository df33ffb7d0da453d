import { fitLines, sizeOf, truncateText } from './fit-lines.ts';
import { formatEmailSubject } from './format-email.ts';
import { formatJson } from './format-json.ts';
import type { Incident } from './types.ts';

/**
 * The SNS message of an incident: the JSON incident as a plain message, with the String message
 * attributes `severity`, `resourceType`, `category` and `resourceName` for subscription filter
 * policies (scope `MessageAttributes`). Why this shape: docs/incident-schema.md, "SNS message".
 */

/** SNS: a published message, attributes included, is at most 256 KiB. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** A resource name attribute longer than this is cut (SageMaker names are at most 63 characters). */
export const SNS_ATTRIBUTE_VALUE_MAX_CHARS = 256;

/** Options of {@link toSnsMessage}. */
export interface SnsMessageOptions {
  /** Default {@link SNS_MAX_MESSAGE_BYTES}. */
  maxBytes?: number;
  /** Occurrences suppressed before this alert (from alerting); set into the incident when given. */
  suppressedBefore?: number;
}

/** What to hand to SNS `Publish` / `PublishBatch` (the adapter maps the names). */
export interface SnsMessage {
  /** `Subject`: the email subject. */
  subject: string;
  /** `Message`. */
  message: string;
  /** `MessageAttributes`, all of data type `String`. */
  messageAttributes: Record<string, string>;
}

/** Sizes the incident's context (UTF-8 bytes) and event ids are cut to, in turn, until it fits. */
const SHRINK_STEPS: readonly { contextBytes: number; eventIds: number }[] = [
  { contextBytes: Number.POSITIVE_INFINITY, eventIds: Number.POSITIVE_INFINITY },
  { contextBytes: 8 * 1024, eventIds: 1_000 },
  { contextBytes: 4 * 1024, eventIds: 100 },
  { contextBytes: 1024, eventIds: 10 },
  { contextBytes: 0, eventIds: 1 },
];
/** Last resort for an incident built elsewhere with huge texts: every text cut to this. */
const LAST_RESORT_TEXT_CHARS = 1_024;

/** Bytes SNS counts for a message: body, subject, and each attribute's name, type and value. */
export function snsMessageBytes(message: SnsMessage): number {
  let bytes = sizeOf(message.message, 'bytes') + sizeOf(message.subject, 'bytes');
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    bytes += sizeOf(name, 'bytes') + sizeOf(value, 'bytes') + 'String'.length;
  }
  return bytes;
}

/** The String attributes subscription filter policies match on. */
export function toMessageAttributes(incident: Incident): Record<string, string> {
  const attributes: Record<string, string> = {
    severity: incident.severity,
    resourceType: incident.resourceType,
    category: incident.category,
  };
  if (incident.resourceName) {
    attributes.resourceName = truncateText(incident.resourceName, SNS_ATTRIBUTE_VALUE_MAX_CHARS);
  }
  return attributes;
}

function shrink(incident: Incident, step: { contextBytes: number; eventIds: number }): Incident {
  const shrunk: Incident = { ...incident };
  if (Number.isFinite(step.contextBytes)) {
    shrunk.context =
      step.contextBytes === 0
        ? []
        : fitLines(incident.context, {
            maxLines: incident.context.length,
            maxSize: step.contextBytes,
            maxLineSize: step.contextBytes,
            measure: 'bytes',
          });
  }
  if (incident.eventIds.length > step.eventIds) {
    shrunk.eventIds = incident.eventIds.slice(0, step.eventIds);
    shrunk.eventIdsOmitted = (incident.eventIdsOmitted ?? 0) + incident.eventIds.length - step.eventIds;
  }
  return shrunk;
}

function lastResort(incident: Incident): Incident {
  const cut = (text: string): string => truncateText(text, LAST_RESORT_TEXT_CHARS);
  const shrunk: Incident = { ...incident, title: cut(incident.title), headline: cut(incident.headline) };
  for (const key of ['resourceName', 'variantName', 'host', 'instance', 'container', 'consoleUrl'] as const) {
    const value = incident[key];
    if (value !== undefined) shrunk[key] = cut(value);
  }
  shrunk.logGroup = cut(incident.logGroup);
  shrunk.logStream = cut(incident.logStream);
  return shrunk;
}

function build(incident: Incident): SnsMessage {
  return {
    subject: formatEmailSubject(incident),
    message: formatJson(incident),
    messageAttributes: toMessageAttributes(incident),
  };
}

/**
 * The SNS message for an incident, within SNS's size limit: the context lines (then the event
 * ids) are cut until it fits; the title and headline are kept.
 */
export function toSnsMessage(incident: Incident, options: SnsMessageOptions = {}): SnsMessage {
  const maxBytes = options.maxBytes ?? SNS_MAX_MESSAGE_BYTES;
  const full: Incident =
    options.suppressedBefore === undefined
      ? incident
      : { ...incident, suppressedBefore: options.suppressedBefore };
  for (const step of SHRINK_STEPS) {
    const message = build(shrink(full, step));
    if (snsMessageBytes(message) <= maxBytes) return message;
  }
  return build(lastResort(shrink(full, SHRINK_STEPS.at(-1) as (typeof SHRINK_STEPS)[number])));
}
