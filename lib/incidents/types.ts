import type { Category, ResourceType } from '../types.ts';
import type { AlertContext } from './alert-context.ts';

/**
 * The incident: one error occurrence as a human sees it (a whole traceback, not its 40 lines),
 * counted within one delivery. Its JSON form is documented in docs/incident-schema.md; change it
 * only additively, and bump {@link INCIDENT_SCHEMA_VERSION} on any other change.
 */

/** At most this many writers are named in an incident. */
export const MAX_WRITERS = 64;

/** The version of the incident JSON schema. */
export const INCIDENT_SCHEMA_VERSION = 1;

/** Incident severities, most severe first (see `severity.ts` for the table). */
export const IncidentSeverities = ['critical', 'error', 'warning'] as const;

/** One of {@link IncidentSeverities}. */
export type IncidentSeverity = (typeof IncidentSeverities)[number];

/** One incident. Every text in it has been through `scrubSecrets`. */
export interface Incident {
  schemaVersion: typeof INCIDENT_SCHEMA_VERSION;
  /** Hex digest of resource type, resource name, category and normalised headline. */
  fingerprint: string;
  severity: IncidentSeverity;
  category: Category;
  /** One line, what and where: `CUDA out of memory in training job my-job (algo-3)`. */
  title: string;
  /** The line that says what went wrong: a traceback's final exception line. */
  headline: string;
  resourceType: ResourceType;
  resourceName?: string;
  variantName?: string;
  /** SageMaker's `Host` dimension value: `job/algo-N`, `endpoint/variant/instance-id`, ... */
  host?: string;
  instance?: string;
  container?: string;
  logGroup: string;
  logStream: string;
  /** AWS Region of the log group, when the caller knows it. */
  region?: string;
  /** AWS account that owns the log group (the delivery's `owner`), when the caller knows it. */
  accountId?: string;
  /** Occurrences of this fingerprint in the delivery. */
  count: number;
  /**
   * Only when several writers inside the stream (MPI or torchrun ranks, model-server workers)
   * wrote this problem: their names as the wrappers give them (`mpirank:2,algo-1`, `rank:3`),
   * sorted, at most {@link MAX_WRITERS}. `count` counts their occurrences.
   */
  writers?: string[];
  /** Time of the first and last log event of all occurrences (ms since the epoch). */
  firstSeenMs: number;
  lastSeenMs: number;
  /** Ids of all log events in all occurrences, in order: the idempotency key material. */
  eventIds: string[];
  /**
   * The same for every processing of the same delivery (a hash of log group, log stream and first
   * event id): alerting's key against retries, and consumers' against SNS redelivering a message.
   * Always set by `toIncidents`; optional in the schema for incidents built elsewhere.
   */
  occurrenceKey?: string;
  /** Set only when `eventIds` was shortened to fit a message: how many ids were left out. */
  eventIdsOmitted?: number;
  /**
   * Set by alerting, not by `toIncidents`: occurrences of this fingerprint suppressed (counted,
   * not sent) since the last alert for it.
   */
  suppressedBefore?: number;
  /** The lines of the first occurrence, decoded and bounded; a `… N lines omitted …` line marks a cut. */
  context: string[];
  /** The structure had not ended (a traceback cut at the end of the delivery; it may continue). */
  truncated: boolean;
  /** Console link to the log stream at the incident's time. */
  consoleUrl?: string;
  /**
   * Set by alerting, for sent alerts only: what SageMaker knew at that minute (metrics, status,
   * other hosts), versioned on its own (`alertContext.version`).
   */
  alertContext?: AlertContext;
}

/** An incident as `toIncidents` makes it: its occurrence key is always there. */
export type DetectedIncident = Incident & { occurrenceKey: string };
