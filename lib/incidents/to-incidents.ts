import { scrubSecrets } from '../text/scrub-secrets.ts';
import {
  type Category,
  type ClassifiedEvent,
  GENERAL_RULE_IDS,
  type LogEvent,
  type LogSource,
} from '../types.ts';
import { describeTitle, describeWhat, type Whereabouts } from './describe.ts';
import { computeFingerprint, computeOccurrenceKey } from './fingerprint.ts';
import { fitLines, truncateText } from './fit-lines.ts';
import {
  type GroupingLine,
  groupLines,
  isExceptionLine,
  isStructuralLine,
  type LineGroup,
} from './group-lines.ts';
import { decodeLine, normaliseLine } from './normalise-line.ts';
import {
  type GroupRating,
  isAtLeast,
  type LineRating,
  moreSevere,
  mostSpecificCategory,
  rateGroup,
} from './severity.ts';
import {
  type DetectedIncident,
  INCIDENT_SCHEMA_VERSION,
  type IncidentSeverity,
  MAX_WRITERS,
} from './types.ts';

/** Context kept per incident: at most this many lines... */
export const MAX_CONTEXT_LINES = 50;
/** ...and this many UTF-8 bytes (a Slack section holds 3,000 characters; email gets all of it). */
export const MAX_CONTEXT_BYTES = 8 * 1024;
/** Each context line is cut to this many bytes (a log event may be 1 MB on one line). */
export const MAX_CONTEXT_LINE_BYTES = 1024;
/** The headline is cut to this many characters. */
export const MAX_HEADLINE_CHARS = 500;

/** The time span a console link should show. */
export interface ConsoleWindow {
  /** First log event of the incident (ms since the epoch). */
  startMs: number;
  /** Last log event of the incident (ms since the epoch). */
  endMs: number;
}

/** Options of {@link toIncidents}. */
export interface ToIncidentsOptions {
  /** Builds the console link to the delivery's log stream for a time span; no link without it. */
  consoleUrl?: (window: ConsoleWindow) => string;
  /** Incidents below this severity are dropped (default `warning`: all are kept). */
  minSeverity?: IncidentSeverity;
  /** Copied into each incident. */
  region?: string;
  /** Copied into each incident (the delivery's `owner`). */
  accountId?: string;
}

// What a structure implies whatever the classifier said about its lines: a traceback is an error.
const IMPLIED: Readonly<Partial<Record<LineGroup['kind'], LineRating>>> = {
  python_traceback: { severity: 'error', category: 'python_exception' },
  toolkit_error: { severity: 'error', category: 'user_script_error' },
};

// A timestamp (and bracket) at the start of a headline says when, not what.
const LEADING_TIMESTAMP =
  /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?\]?\s*/;

/** Options of {@link detectIncidents}. */
export interface DetectOptions extends ToIncidentsOptions {
  /**
   * Leave out the tracebacks still open at the end of the delivery (no exception line yet) and
   * return their events as `held`, for the caller to complete with the stream's next delivery.
   */
  holdCutTracebacks?: boolean;
}

/** What {@link detectIncidents} found. */
export interface Detected {
  incidents: DetectedIncident[];
  /** Indexes (ascending) of the events of the tracebacks left out under `holdCutTracebacks`. */
  held: number[];
}

/**
 * Turns the classified events of one delivery (one log group and stream, in order) into
 * incidents: multi-line errors grouped, rated, fingerprinted and scrubbed; the same fingerprint
 * within the delivery counted once with `count` and first/last seen. Never throws on log content.
 */
export function toIncidents(
  events: readonly ClassifiedEvent[],
  source: LogSource,
  options: ToIncidentsOptions = {},
): DetectedIncident[] {
  return detectIncidents(events, source, options).incidents;
}

/**
 * {@link toIncidents}, and optionally (`holdCutTracebacks`) the events of the tracebacks the
 * delivery ended in the middle of, left out of the incidents.
 */
export function detectIncidents(
  events: readonly ClassifiedEvent[],
  source: LogSource,
  options: DetectOptions = {},
): Detected {
  // Most deliveries of a healthy job hold no error: then, unless a line may start a structure (a
  // traceback is an error whatever its lines were called), there is nothing to group.
  if (!events.some((event) => isSignalEvent(event) || mayStartStructure(event.event.message))) {
    return { incidents: [], held: [] };
  }
  const lines = toGroupingLines(events);
  const held = new Set<number>();
  const isSignal = (index: number): boolean =>
    isSignalEvent(events[(lines[index] as GroupingLine).event] as ClassifiedEvent);
  const where = scrubWhereabouts(source);
  const byProblem = new Map<string, Merged>();
  const naming = createNaming(where);
  let latest: Merged | undefined;
  // Reports written before the failure they report (a launcher banner, `exit_message: ...`).
  let pending: Pending[] = [];
  // Per model-server worker (`W-9000-model_1.0`): its latest incident. A worker's death shows as
  // its Python traceback (in the worker's own channel) and as the frontend's lines about it.
  const byWorker = new Map<string, Merged>();
  const add = (occurrence: Occurrence, group: LineGroup): Merged => {
    const merged = addProblem(occurrence, group);
    const worker = toWorker(occurrence);
    if (worker === undefined) return merged;
    const other = byWorker.get(worker);
    byWorker.set(worker, merged);
    if (other === undefined || other === merged || !isWorkerDeath(other, merged)) return merged;
    return joinWorkerDeath(other, merged, occurrence, group);
  };
  const joinWorkerDeath = (
    first: Merged,
    second: Merged,
    occurrence: Occurrence,
    group: LineGroup,
  ): Merged => {
    // One incident: the more specific category; headed by the Python exception when there is one.
    const category = mostSpecificCategory([first.incident.category, second.incident.category]);
    const [keep, drop] = first.incident.category === category ? [first, second] : [second, first];
    for (const [key, value] of byProblem) if (value === drop) byProblem.delete(key);
    for (const [key, value] of byWorker) if (value === drop) byWorker.set(key, keep);
    mergeInto(keep, {
      ...occurrence,
      rating: { severity: drop.incident.severity, category: keep.incident.category },
      eventIds: drop.incident.eventIds,
      firstSeenMs: drop.incident.firstSeenMs,
      lastSeenMs: drop.incident.lastSeenMs,
    });
    keep.incident.count += drop.incident.count - 1;
    if (drop.quality === 2 && keep.quality < 2) {
      const rating = { severity: keep.incident.severity, category: keep.incident.category };
      const named = {
        ...occurrence,
        headline: drop.incident.headline,
        rating,
        fingerprint: naming.fingerprint(rating.category, drop.incident.headline),
      };
      const better = toIncident(named, group, lines, where, options);
      better.context = drop.incident.context;
      adoptHeadline(keep, better, 2);
    }
    return keep;
  };
  const addProblem = (occurrence: Occurrence, group: LineGroup): Merged => {
    const key = toProblemKey(occurrence);
    const seen = byProblem.get(key);
    // A repeat only adds to the count, the times and the event ids; its context, title and keys
    // are built only when its headline says more than the first one's (a garbled rank's line).
    if (seen === undefined) {
      const merged: Merged = {
        incident: toIncident(occurrence, group, lines, where, options),
        quality: headlineQuality(occurrence.headline),
        writers: new Set(occurrence.writer ? [occurrence.writer] : []),
      };
      byProblem.set(key, merged);
      return merged;
    }
    mergeInto(seen, occurrence);
    const quality = headlineQuality(occurrence.headline);
    if (quality > seen.quality)
      adoptHeadline(seen, toIncident(occurrence, group, lines, where, options), quality);
    return seen;
  };
  const settle = (keep: (report: Pending) => boolean): void => {
    for (const report of pending) {
      if (keep(report)) continue;
      addAlone(report);
    }
    pending = [];
  };
  const addAlone = ({ occurrence, group, kind }: Pending): void => {
    // A launcher's report with nothing to fold into: a worker process failed, nothing said why.
    let alone = occurrence;
    if (
      kind === 'banner' &&
      (alone.rating.category === 'nccl' || alone.rating.category === 'python_exception')
    ) {
      const rating = { ...alone.rating, category: 'user_script_error' as const };
      alone = { ...alone, rating, fingerprint: naming.fingerprint(rating.category, alone.headline) };
    }
    latest = add(alone, group);
  };
  const found: { group: LineGroup; occurrence: Occurrence; general: boolean }[] = [];
  for (const group of groupLines(lines, isSignal)) {
    if (group.cutAtEnd && options.holdCutTracebacks) {
      for (const index of group.lines) held.add((lines[index] as GroupingLine).event);
      continue;
    }
    const occurrence = toOccurrence(group, lines, events, where, options, naming);
    if (occurrence === undefined) continue;
    found.push({ group, occurrence, general: isGeneralOnly(group, lines, events) });
  }
  // A failure named only by the general tier's words (`... FAILED`, `exit code: 1`, `is not set`)
  // next to a failure another line heads (a traceback, a specific rule) is a symptom of that
  // failure, not one of its own: it folds into the nearest such incident once all are known. A
  // warning the general tier decided never opens an incident of its own.
  const headed = found.filter(
    ({ general, occurrence }) => !general && occurrence.rating.severity !== 'warning',
  );
  const symptoms: { group: LineGroup; occurrence: Occurrence }[] = [];
  for (const { group, occurrence, general } of found) {
    if (general) {
      if (occurrence.rating.severity === 'warning') continue;
      if (headed.some((other) => gapMs(other.occurrence, occurrence) <= FAILURE_REPORT_WINDOW_MS)) {
        symptoms.push({ group, occurrence });
        continue;
      }
    }
    const kind = toReportKind(occurrence, group, lines);
    if (kind !== undefined) {
      const report: Pending = { occurrence, group, kind, text: reportText(group, lines) };
      if (latest !== undefined && reports(report, latest)) mergeInto(latest, occurrence);
      else pending.push(report);
      continue;
    }
    const merged = add(occurrence, group);
    latest = merged;
    // Reports just before it that report it fold into it (a banner, or a report that names
    // nothing: the header of what follows); the others stand alone. A toolkit report naming an
    // error folds only into an earlier one.
    settle((report) => {
      if (report.kind === 'toolkit' && !GENERIC_REPORT.test(report.occurrence.headline)) return false;
      if (!reports(report, merged)) return false;
      mergeInto(merged, report.occurrence);
      return true;
    });
  }
  settle(() => false);
  for (const { group, occurrence: symptom } of symptoms) {
    let nearest: Merged | undefined;
    let nearestGap = Number.POSITIVE_INFINITY;
    for (const merged of new Set(byProblem.values())) {
      if (merged.incident.severity === 'warning') continue;
      const gap = gapMs(merged.incident, symptom);
      if (gap < nearestGap) [nearest, nearestGap] = [merged, gap];
    }
    if (nearest !== undefined && nearestGap <= FAILURE_REPORT_WINDOW_MS) foldSymptom(nearest, symptom);
    else add(symptom, group);
  }
  // In order of their first line (a report that waited for a later failure came in after it).
  const incidents = [...byProblem.values()]
    .sort((a, b) => a.incident.firstSeenMs - b.incident.firstSeenMs)
    .map(({ incident, writers }) => {
      // Several ranks writing the same traceback at once: one incident, its writers named.
      if (writers.size > 1) incident.writers = [...writers].sort(byNumbers).slice(0, MAX_WRITERS);
      return incident;
    });
  if (options.consoleUrl) {
    for (const incident of incidents) {
      incident.consoleUrl = scrubSecrets(
        options.consoleUrl({ startMs: incident.firstSeenMs, endMs: incident.lastSeenMs }),
      );
    }
  }
  return { incidents, held: [...held].sort((a, b) => a - b) };
}

/**
 * Categories that name one cause precisely: within one delivery (one container's stream), every
 * occurrence of such a category is the same problem seen again (a dying worker logs its death three
 * ways; a CUDA OOM shows as a traceback and again in the toolkit's failure report), so they make
 * one incident, counted. Generic categories (`python_exception`, `invocation_error`) stay split by
 * fingerprint: two different exceptions are two different bugs.
 */
export const ONE_PROBLEM_PER_DELIVERY: ReadonlySet<Category> = new Set<Category>([
  'cuda_oom',
  'host_oom',
  'nccl',
  'disk_full',
  's3_access',
  'import_error',
  'model_load_failure',
  'worker_died',
  'health_check',
  'timeout',
  'user_script_error',
  'nan_loss',
  'throttling',
]);

/**
 * How soon after an error the training toolkit's (or a lifecycle script's) failure report still
 * belongs to it: `ExecuteUserScriptError` follows the traceback that caused it within seconds.
 */
export const FAILURE_REPORT_WINDOW_MS = 60_000;

function toProblemKey(occurrence: Occurrence): string {
  const { category } = occurrence.rating;
  return ONE_PROBLEM_PER_DELIVERY.has(category)
    ? `category:${category}`
    : `fingerprint:${occurrence.fingerprint}`;
}

/**
 * The text that heads a group. A traceback cut before its exception line is named by where it
 * was, but never headed by a bare frame, header or chaining line.
 */
function toHeadlineText(group: LineGroup, lines: readonly GroupingLine[]): string {
  const text = group.headline ?? (lines[group.headlineLine] as GroupingLine).body;
  if (group.kind !== 'python_traceback' || !isStructuralLine(group.kind, text)) return text;
  const frame = text.trim();
  return frame.startsWith('File "')
    ? `Python traceback cut before its exception line, last at ${frame}`
    : 'Python traceback cut before its exception line';
}

const WORKER_IN_CHANNEL = /^(?:.{0,200}\/)?(W-\d{1,6}-.{1,120}?)-std(?:out|err)$/;
const WORKER_IN_LINE = /(?:^|[\s\]])(W-\d{1,6}-[\w.-]{1,120})(?= )/;

/** The model-server worker an occurrence is about: its channel, or the frontend's line naming it. */
function toWorker(occurrence: Occurrence): string | undefined {
  const channel = WORKER_IN_CHANNEL.exec(occurrence.writer);
  if (channel) return channel[1];
  return WORKER_IN_LINE.exec(occurrence.headline.slice(0, 400))?.[1];
}

/** Two incidents of one worker that are its death seen twice: within the window, one of them a death. */
function isWorkerDeath(a: Merged, b: Merged): boolean {
  const deaths: ReadonlySet<Category> = new Set<Category>(['worker_died', 'model_load_failure']);
  if (!deaths.has(a.incident.category) && !deaths.has(b.incident.category)) return false;
  if (a.incident.severity === 'warning' && b.incident.severity === 'warning') return false;
  const gap = Math.max(
    a.incident.firstSeenMs - b.incident.lastSeenMs,
    b.incident.firstSeenMs - a.incident.lastSeenMs,
  );
  return gap <= FAILURE_REPORT_WINDOW_MS;
}

/** A channel as a reader names the writer: `mpi:mpirank:2,algo-1:stderr` → `mpirank:2,algo-1`. */
function toWriter(channel: string): string {
  if (channel === '') return '';
  return scrubSecrets(channel.replace(/^mpi:/, '').replace(/:std(?:out|err)(?=\/|$)/, ''));
}

/** Orders `rank:2` before `rank:10`. */
function byNumbers(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** What kind of report an occurrence is: of a launcher, of the toolkit, or none (a failure). */
type ReportKind = 'banner' | 'toolkit';

/** A report waiting for the failure it reports. */
interface Pending {
  occurrence: Occurrence;
  group: LineGroup;
  kind: ReportKind;
  /** The report's whole text, for finding the failure it names. */
  text: string;
}

/**
 * Launchers that say a worker process failed, not why: mpirun's closing banner, torchrun's
 * `ChildFailedError` and its elastic agent's `failed (exitcode: N)`.
 */
const LAUNCHER_BANNER =
  /Primary job\s{1,8}terminated normally, but \d{1,6} process(?:es)? returned|mpirun(?:\.real)? detected that one or more processes exited with non-zero status|ChildFailedError|\bfailed \(exitcode: -?\d{1,9}\) local_rank: \d{1,9}/;

/** A failure report that names nothing: it reports whatever failed just before it. */
const GENERIC_REPORT =
  /(?:Reporting training FAILURE|ExecuteUserScriptError:?(?: ExitCode -?\d{1,9})?|Encountered exit_code -?\d{1,9}|framework error:?)\s{0,8}$/;

function toReportKind(
  occurrence: Occurrence,
  group: LineGroup,
  lines: readonly GroupingLine[],
): ReportKind | undefined {
  if (LAUNCHER_BANNER.test(occurrence.headline)) return 'banner';
  if (group.kind === 'toolkit_error') return 'toolkit';
  if (group.kind === 'line' && occurrence.rating.category === 'user_script_error') {
    // `Reporting training FAILURE`, Clarify's `exit_message: Customer Error: ...`, but not a
    // script's own error line (`train.py: error: unrecognized arguments`).
    const text = (lines[group.headlineLine] as GroupingLine).body;
    return GENERIC_REPORT.test(occurrence.headline) || /exit_message: |Customer Error: /.test(text)
      ? 'toolkit'
      : undefined;
  }
  return undefined;
}

function reportText(group: LineGroup, lines: readonly GroupingLine[]): string {
  return group.lines.map((index) => (lines[index] as GroupingLine).body).join(' ');
}

/**
 * Whether a report belongs to an incident: written within {@link FAILURE_REPORT_WINDOW_MS} of it,
 * and (for the toolkit's report) naming it, or naming nothing at all. A toolkit report whose
 * `ErrorMessage` names another error is an incident of its own.
 */
function reports(report: Pending, target: Merged): boolean {
  const { occurrence } = report;
  const { incident } = target;
  // A warning (a retried request, a deprecation) is never what a failure report reports.
  if (incident.severity === 'warning' || occurrence.rating.severity === 'warning') return false;
  const gap = Math.max(
    occurrence.firstSeenMs - incident.lastSeenMs,
    incident.firstSeenMs - occurrence.lastSeenMs,
  );
  if (gap > FAILURE_REPORT_WINDOW_MS) return false;
  if (report.kind === 'banner' || GENERIC_REPORT.test(occurrence.headline)) return true;
  if (occurrence.rating.category !== 'user_script_error' && occurrence.rating.category === incident.category)
    return true;
  return namesFailure(report.text, incident.headline);
}

const tokens = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/\d+/g, '0')
    .split(/[^a-z0-9_]+/)
    .filter((token) => token !== '');

/**
 * Whether `text` names the failure headed by `headline`: it holds the headline's first words
 * (the exception's name without its module, and its message), or the message's first words alone.
 */
export function namesFailure(text: string, headline: string): boolean {
  const haystack = ` ${tokens(text).join(' ')} `;
  const withoutModule = headline.replace(/^(?:[A-Za-z_]\w{0,100}\.){1,10}(?=[A-Z])/, '');
  const whole = tokens(withoutModule).slice(0, 6);
  if (whole.length > 0 && haystack.includes(` ${whole.join(' ')} `)) return true;
  const colon = withoutModule.indexOf(': ');
  if (colon < 0) return false;
  const message = tokens(withoutModule.slice(colon + 2)).slice(0, 6);
  return message.length >= 3 && haystack.includes(` ${message.join(' ')} `);
}

/**
 * How well a headline says what went wrong: an exception with its message (2), another line (1),
 * a frame, a header, a chaining line or an exception name without its message (0).
 */
function headlineQuality(headline: string): number {
  if (
    /^File "|^Traceback \(most recent call last\)|^During handling of the above|^The above exception/.test(
      headline,
    )
  )
    return 0;
  if (/^(?:[A-Za-z_]\w{0,100}\.){0,10}[A-Z]\w{0,100}:?$/.test(headline)) return 0;
  return isExceptionLine(headline) ? 2 : 1;
}

/** Takes the context, headline and keys of a better-worded occurrence of the same problem. */
function adoptHeadline(target: Merged, better: DetectedIncident, quality: number): void {
  const { incident } = target;
  incident.headline = better.headline;
  incident.title = better.title;
  incident.fingerprint = better.fingerprint;
  incident.context = better.context;
  incident.truncated = better.truncated;
  target.quality = quality;
}

/** An event that deserves an incident of its own: an error, or a warning of a known category. */
function isSignalEvent({ classification }: ClassifiedEvent): boolean {
  return (
    classification.severity === 'error' ||
    (classification.severity === 'warning' && classification.category !== 'none')
  );
}

/**
 * What a decoded line must hold to start a structure: the starts group-lines.ts looks for (a
 * traceback, a Python or Java frame, a Java cause or suppressed exception, the toolkit's error),
 * anywhere in the line, since a line's body is a part of its decoded text.
 */
const STRUCTURE_MARKER =
  /Traceback \(most recent call last\):|ExecuteUserScriptError:|File "[^"]{0,2048}", line \d|Caused by: |Suppressed: |\.\.\. \d{1,9} (?:more|common frames omitted)|\sat [\w$.<>/:[\]-]{1,512}\(/;

/** How far into a delivery {@link mayContinueTraceback} looks: events, and lines of each. */
const CONTINUATION_SCAN_EVENTS = 20;
const CONTINUATION_SCAN_LINES = 5;

/**
 * Whether a delivery may begin with the rest of a traceback cut at the end of the previous one:
 * one of its first lines (any writer) is a frame, a code line, a chaining line or an exception
 * line. Cheap, and only a hint: the caller then asks for a held traceback of the stream.
 */
export function mayContinueTraceback(events: readonly LogEvent[]): boolean {
  const scanned = Math.min(events.length, CONTINUATION_SCAN_EVENTS);
  for (let i = 0; i < scanned; i++) {
    const raws = (events[i] as LogEvent).message.split('\n', CONTINUATION_SCAN_LINES);
    for (const raw of raws) {
      const { body } = normaliseLine(raw);
      if (body.trim() === '') continue;
      if (isStructuralLine('python_traceback', body) || isExceptionLine(body)) return true;
    }
  }
  return false;
}

/** Whether a line of `message` may start a structure once decoded (escapes can hide a marker). */
function mayStartStructure(message: string): boolean {
  if (!message.includes('\n')) return STRUCTURE_MARKER.test(decodeLine(message));
  return message.split('\n').some((raw) => STRUCTURE_MARKER.test(decodeLine(raw)));
}

function toGroupingLines(events: readonly ClassifiedEvent[]): GroupingLine[] {
  const lines: GroupingLine[] = [];
  for (let index = 0; index < events.length; index++) {
    const { event, classification } = events[index] as ClassifiedEvent;
    const { message } = event;
    for (const raw of message.includes('\n') ? message.split('\n') : [message]) {
      if (raw === '') continue;
      // normaliseLine's result is fresh: completed in place rather than copied.
      const line = normaliseLine(raw) as GroupingLine;
      line.event = index;
      line.timestamp = event.timestamp;
      line.severity = classification.severity;
      lines.push(line);
    }
  }
  return lines;
}

type ScrubbedSource = Whereabouts & Pick<DetectedIncident, 'host' | 'logStream'>;

function scrubWhereabouts(source: LogSource): ScrubbedSource {
  const where: ScrubbedSource = {
    resourceType: source.resourceType,
    logGroup: scrubSecrets(source.logGroup),
    logStream: scrubSecrets(source.logStream),
  };
  for (const key of ['resourceName', 'variantName', 'host', 'instance', 'container'] as const) {
    const value = source[key];
    if (value !== undefined) where[key] = scrubSecrets(value);
  }
  return where;
}

/** An incident as far as deduplication needs it: rated, named and fingerprinted. */
interface Occurrence {
  fingerprint: string;
  rating: GroupRating;
  headline: string;
  firstSeenMs: number;
  lastSeenMs: number;
  eventIds: string[];
  /** Who wrote it inside the stream (a rank, a worker), from its first line's wrapper; `''`: none said. */
  writer: string;
}

/** An incident being built, and (after its first repeat) the set of its event ids. */
interface Merged {
  incident: DetectedIncident;
  /** {@link headlineQuality} of the incident's headline. */
  quality: number;
  /** The writers of its occurrences. */
  writers: Set<string>;
  eventIds?: Set<string>;
}

/**
 * Headlines and fingerprints, remembered for one delivery: the same error repeated (a crash loop,
 * a failing request) is scrubbed and fingerprinted once.
 */
interface Naming {
  headline: (raw: string) => string;
  fingerprint: (category: Category, headline: string) => string;
}

function createNaming(where: ScrubbedSource): Naming {
  const headlines = new Map<string, string>();
  // By category, then by headline: the headline strings are those remembered above, so a lookup
  // builds no key.
  const fingerprints = new Map<Category, Map<string, string>>();
  return {
    headline: (raw) => {
      let headline = headlines.get(raw);
      if (headline === undefined) {
        headline = truncateText(
          scrubSecrets(raw).replace(/\s+/g, ' ').trim().replace(LEADING_TIMESTAMP, ''),
          MAX_HEADLINE_CHARS,
        );
        headlines.set(raw, headline);
      }
      return headline;
    },
    fingerprint: (category, headline) => {
      let byHeadline = fingerprints.get(category);
      if (byHeadline === undefined) {
        byHeadline = new Map();
        fingerprints.set(category, byHeadline);
      }
      let fingerprint = byHeadline.get(headline);
      if (fingerprint === undefined) {
        fingerprint = computeFingerprint({ ...where, category, headline });
        byHeadline.set(headline, fingerprint);
      }
      return fingerprint;
    },
  };
}

function toOccurrence(
  group: LineGroup,
  lines: readonly GroupingLine[],
  events: readonly ClassifiedEvent[],
  where: ScrubbedSource,
  options: ToIncidentsOptions,
  naming: Naming,
): Occurrence | undefined {
  // Most groups are one line, of one event.
  const eventIndexes =
    group.lines.length === 1
      ? [(lines[group.lines[0] as number] as GroupingLine).event]
      : [...new Set(group.lines.map((index) => (lines[index] as GroupingLine).event))];
  const members = eventIndexes.map((index) => events[index] as ClassifiedEvent);
  // In a structure, a line whose category only says where it was written (a lead-in `Error in
  // atexit._run_exitfuncs:` in an endpoint) leaves the category to the structure's own lines.
  const ratings: LineRating[] = ratedEvents(group, lines).map((index) => {
    const { classification } = events[index] as ClassifiedEvent;
    return group.kind !== 'line' && classification.categoryFrom === 'context'
      ? { severity: classification.severity, category: 'python_exception' as const }
      : classification;
  });
  const implied = IMPLIED[group.kind];
  if (implied) ratings.push(implied);
  const rating = rateGroup(ratings, where.resourceType);
  if (rating === undefined || !isAtLeast(rating.severity, options.minSeverity ?? 'warning')) return undefined;

  const headline = naming.headline(toHeadlineText(group, lines));
  const timestamps = members.map(({ event }) => event.timestamp);
  return {
    fingerprint: naming.fingerprint(rating.category, headline),
    rating,
    headline,
    firstSeenMs: Math.min(...timestamps),
    lastSeenMs: Math.max(...timestamps),
    eventIds: members.map(({ event }) => event.id),
    writer: toWriter((lines[group.lines[0] as number] as GroupingLine).channel),
  };
}

/**
 * The events whose classification counts for a group: in a stack trace, not those that hold only
 * frames, code lines, headers or chaining lines (a frame's `get_model(` says nothing about what
 * failed); elsewhere every event.
 */
function ratedEvents(group: LineGroup, lines: readonly GroupingLine[]): number[] {
  const rated = new Set<number>();
  for (const index of group.lines) {
    const line = lines[index] as GroupingLine;
    if (!isStructuralLine(group.kind, line.body)) rated.add(line.event);
  }
  return [...rated];
}

function toIncident(
  occurrence: Occurrence,
  group: LineGroup,
  lines: readonly GroupingLine[],
  where: ScrubbedSource,
  options: ToIncidentsOptions,
): DetectedIncident {
  const { rating, headline, eventIds } = occurrence;
  const incident: DetectedIncident = {
    schemaVersion: INCIDENT_SCHEMA_VERSION,
    fingerprint: occurrence.fingerprint,
    severity: rating.severity,
    category: rating.category,
    title: describeTitle(describeWhat(rating.category, headline, rating.severity === 'warning'), where),
    headline,
    ...where,
    count: 1,
    firstSeenMs: occurrence.firstSeenMs,
    lastSeenMs: occurrence.lastSeenMs,
    eventIds,
    occurrenceKey: computeOccurrenceKey(where.logGroup, where.logStream, eventIds[0] as string),
    context: toContext(group, lines),
    truncated: !group.complete,
  };
  if (options.region !== undefined) incident.region = options.region;
  if (options.accountId !== undefined) incident.accountId = options.accountId;
  return incident;
}

/** The group's lines for a reader: the first in full (it has the timestamp), the rest as written. */
function toContext(group: LineGroup, lines: readonly GroupingLine[]): string[] {
  const texts = group.lines.map((index, i) => {
    const line = lines[index] as GroupingLine;
    return i === 0 ? line.display : line.body;
  });
  // Scrubbed as one text, so a private key printed over many lines goes as one block.
  const scrubbed = scrubSecrets(texts.join('\n'))
    .split('\n')
    .map((text) => text.trimEnd());
  return fitLines(scrubbed, {
    maxLines: MAX_CONTEXT_LINES,
    maxSize: MAX_CONTEXT_BYTES,
    maxLineSize: MAX_CONTEXT_LINE_BYTES,
    measure: 'bytes',
  });
}

function mergeInto(seen: Merged, next: Occurrence): void {
  const { incident } = seen;
  if (next.writer) seen.writers.add(next.writer);
  incident.count += 1;
  incident.firstSeenMs = Math.min(incident.firstSeenMs, next.firstSeenMs);
  incident.lastSeenMs = Math.max(incident.lastSeenMs, next.lastSeenMs);
  incident.severity = moreSevere(incident.severity, next.rating.severity);
  // Event ids in order of first appearance, each once; a set kept beside the list makes a long
  // run of repeats linear.
  if (seen.eventIds === undefined) {
    seen.eventIds = new Set(incident.eventIds);
    incident.eventIds = [...seen.eventIds];
  }
  for (const id of next.eventIds) {
    if (seen.eventIds.has(id)) continue;
    seen.eventIds.add(id);
    incident.eventIds.push(id);
  }
}

/** The time between two spans of log events (0 when they overlap). */
function gapMs(
  a: { firstSeenMs: number; lastSeenMs: number },
  b: { firstSeenMs: number; lastSeenMs: number },
): number {
  return Math.max(0, a.firstSeenMs - b.lastSeenMs, b.firstSeenMs - a.lastSeenMs);
}

const GENERAL_TIER: ReadonlySet<string> = new Set([
  GENERAL_RULE_IDS.failureWords,
  GENERAL_RULE_IDS.exceptionName,
]);

/**
 * Whether a group is one line (not a structure) whose every rated event the general tier
 * decided: a failure named by words alone, no specific rule, no exception's shape around it.
 */
function isGeneralOnly(
  group: LineGroup,
  lines: readonly GroupingLine[],
  events: readonly ClassifiedEvent[],
): boolean {
  if (group.kind !== 'line') return false;
  const rated = ratedEvents(group, lines);
  return (
    rated.length > 0 &&
    rated.every((index) => {
      const { ruleId } = (events[index] as ClassifiedEvent).classification;
      return ruleId !== undefined && GENERAL_TIER.has(ruleId);
    })
  );
}

/** Adds a symptom's events and times to the failure it belongs to, without counting it again. */
function foldSymptom(seen: Merged, symptom: Occurrence): void {
  mergeInto(seen, symptom);
  seen.incident.count -= 1;
}
