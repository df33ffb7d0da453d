import * as z from 'zod';
import { Categories, ResourceTypes } from '../types.ts';
import { ALERT_CONTEXT_VERSION, type AlertContext, ContextParts } from './alert-context.ts';
import { INCIDENT_SCHEMA_VERSION, type Incident, IncidentSeverities } from './types.ts';

/**
 * Reads an incident back from its JSON (what `formatJson` wrote), for the Slack notifier and
 * automation. The topic also carries other messages (CloudWatch alarms, EventBridge events), so a
 * message that is not an incident is an expected value, not an exception.
 */

const optionalText = z.string().optional();

/** The `alertContext` section, version 1 (docs/incident-schema.md, "Alert context"). */
export const AlertContextSchema = z.object({
  version: z.literal(ALERT_CONTEXT_VERSION),
  startMs: z.number(),
  endMs: z.number(),
  metrics: z
    .array(
      z.object({
        namespace: z.string(),
        metricName: z.string(),
        dimensions: z.record(z.string(), z.string()),
        stat: z.enum(['Maximum', 'Sum', 'Average']),
        unit: z.enum(['Percent', 'Microseconds', 'None']),
        max: z.number(),
        last: z.number(),
        lastAtMs: z.number(),
        total: z.number().optional(),
        points: z.number().int().min(1),
      }),
    )
    .optional(),
  status: z
    .object({
      kind: z.enum(['TrainingJob', 'ProcessingJob', 'TransformJob', 'Endpoint']),
      status: z.string(),
      secondaryStatus: optionalText,
      failureReason: optionalText,
      currentInstances: z.number().int().min(0).optional(),
      desiredInstances: z.number().int().min(0).optional(),
    })
    .optional(),
  hosts: z.object({ count: z.number().int().min(1), atLeast: z.boolean().optional() }).optional(),
  missing: z.array(z.object({ part: z.enum(ContextParts), reason: z.enum(['timeout', 'error']) })).optional(),
});

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
  // Versioned on its own: a context this reader does not understand is dropped, not the incident.
  alertContext: z.unknown().optional(),
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
  if (incident.alertContext !== undefined) {
    const context = AlertContextSchema.safeParse(incident.alertContext);
    if (context.success) incident.alertContext = dropUndefined(context.data) as AlertContext;
    else delete incident.alertContext;
  }
  return { ok: true, incident: incident as unknown as Incident };
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  );
}
