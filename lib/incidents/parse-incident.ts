import * as z from 'zod';
import { Categories, ResourceTypes } from '../types.ts';
import { INCIDENT_SCHEMA_VERSION, type Incident, IncidentSeverities } from './types.ts';

/**
 * Reads an incident back from its JSON (what `formatJson` wrote), for the Slack notifier and
 * automation. The topic also carries other messages (CloudWatch alarms, EventBridge events), so a
 * message that is not an incident is an expected value, not an exception.
 */

const optionalText = z.string().optional();

/** The incident JSON schema, version 1 (docs/incident-schema.md). Unknown keys are ignored. */
export const IncidentSchema = z.object({
  schemaVersion: z.literal(INCIDENT_SCHEMA_VERSION),
  fingerprint: z.string().min(1),
  severity: z.enum(IncidentSeverities),
  category: z.enum(Categories),
  title: z.string(),
  headline: z.string(),
  resourceType: z.enum(ResourceTypes),
  resourceName: optionalText,
  variantName: optionalText,
  host: optionalText,
  instance: optionalText,
  container: optionalText,
  logGroup: z.string(),
  logStream: z.string(),
  region: optionalText,
  accountId: optionalText,
  count: z.number().int().min(1),
  writers: z.array(z.string()).optional(),
  firstSeenMs: z.number(),
  lastSeenMs: z.number(),
  eventIds: z.array(z.string()),
  eventIdsOmitted: z.number().int().min(0).optional(),
  occurrenceKey: optionalText,
  suppressedBefore: z.number().int().min(0).optional(),
  context: z.array(z.string()),
  truncated: z.boolean(),
  consoleUrl: optionalText,
});

/** The outcome of {@link parseIncident}. */
export type ParsedIncident = { ok: true; incident: Incident } | { ok: false; reason: string };

/** Parses and validates an incident's JSON; says why when the text is not one. Never throws. */
export function parseIncident(text: string): ParsedIncident {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const result = IncidentSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `not an incident: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  // Optional keys that zod reports as present-but-undefined are dropped (exact optional types).
  const incident = Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined));
  return { ok: true, incident: incident as unknown as Incident };
}
