import { scrubSecrets } from '../text/scrub-secrets.ts';
import { scrubAlertContext } from './alert-context.ts';
import type { Incident } from './types.ts';

/** The order of keys in an incident's JSON (stable, documented in docs/incident-schema.md). */
export const INCIDENT_KEYS = [
  'schemaVersion',
  'fingerprint',
  'severity',
  'category',
  'title',
  'headline',
  'resourceType',
  'resourceName',
  'variantName',
  'host',
  'instance',
  'container',
  'logGroup',
  'logStream',
  'region',
  'accountId',
  'count',
  'writers',
  'firstSeenMs',
  'lastSeenMs',
  'eventIds',
  'eventIdsOmitted',
  'occurrenceKey',
  'suppressedBefore',
  'context',
  'truncated',
  'consoleUrl',
  'alertContext',
] as const satisfies readonly (keyof Incident)[];

const TEXT_KEYS = [
  'title',
  'headline',
  'resourceName',
  'variantName',
  'host',
  'instance',
  'container',
  'logGroup',
  'logStream',
  'consoleUrl',
] as const satisfies readonly (keyof Incident)[];

/**
 * The incident with every text scrubbed again. `toIncidents` already scrubs; the formatters call
 * this too because they are where text leaves the function, and an incident may come from
 * elsewhere (parsed from a message). Scrubbing is idempotent.
 */
export function scrubIncident(incident: Incident): Incident {
  const scrubbed: Incident = { ...incident, eventIds: [...incident.eventIds] };
  for (const key of TEXT_KEYS) {
    const value = incident[key];
    if (value !== undefined) scrubbed[key] = scrubSecrets(value);
  }
  if (incident.writers) scrubbed.writers = incident.writers.map((writer) => scrubSecrets(writer));
  // As one text, so a private key spread over several lines goes as one block.
  scrubbed.context =
    incident.context.length === 0 ? [] : scrubSecrets(incident.context.join('\n')).split('\n');
  if (incident.alertContext) scrubbed.alertContext = scrubAlertContext(incident.alertContext);
  return scrubbed;
}

/** The incident as a plain object with its keys in {@link INCIDENT_KEYS} order, absent ones left out. */
export function toIncidentObject(incident: Incident): Incident {
  const ordered: Record<string, unknown> = {};
  for (const key of INCIDENT_KEYS) {
    if (incident[key] !== undefined) ordered[key] = incident[key];
  }
  return ordered as unknown as Incident;
}

/** The incident as compact JSON for automation (schema: docs/incident-schema.md). */
export function formatJson(incident: Incident): string {
  return JSON.stringify(toIncidentObject(scrubIncident(incident)));
}
