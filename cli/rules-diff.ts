/**
 * What an operator rules file would change, found by running the same input twice (without and
 * with the file): lines whose decision changes, incidents added, gone or muted, and where the
 * alerts would be routed. Used by `sagewatch classify --rules` and `sagewatch replay --rules`.
 */
import type { DetectedIncident } from '../lib/incidents/index.ts';
import { type OperatorRules, routeAlert } from '../lib/operator-rules/index.ts';
import type { DeliveryReport } from '../lib/processor/delivery-processor.ts';
import type { Classification } from '../lib/types.ts';
import { formatCount } from './table.ts';

/** A decision: what the classifier said about one line. */
export interface Decision {
  severity: Classification['severity'];
  category: Classification['category'];
  ruleId?: string;
}

/** One line whose decision the rules change. */
export interface ChangedLine {
  logStream?: string;
  eventId?: string;
  message: string;
  before: Decision;
  after: Decision;
}

/** An incident, as the diff names it. */
export interface IncidentRef {
  fingerprint: string;
  title: string;
  category: string;
  severity: string;
  logStream: string;
  count: number;
}

/** Where one alert would go with the rules. */
export interface RoutedIncident extends IncidentRef {
  routes: string[];
  slack: string[];
  attributes: Record<string, string>;
}

/** Everything the rules change in a replay. */
export interface RulesDiff {
  changedLines: ChangedLine[];
  /** Incidents that only exist with the rules (a custom rule made an error of a line). */
  added: IncidentRef[];
  /** Incidents that only exist without them (a custom rule made a line benign). */
  removed: IncidentRef[];
  /** Incidents a mute silences, with the mute. */
  muted: (IncidentRef & { mute: string })[];
  /** Alerts (sent with the rules) that a route takes. */
  routed: RoutedIncident[];
}

/** The decision part of a classification. */
export function toDecision(classification: Classification): Decision {
  return classification.ruleId === undefined
    ? { severity: classification.severity, category: classification.category }
    : { severity: classification.severity, category: classification.category, ruleId: classification.ruleId };
}

/** Whether two decisions differ in severity, category or rule. */
export function decisionChanged(before: Decision, after: Decision): boolean {
  return (
    before.severity !== after.severity || before.category !== after.category || before.ruleId !== after.ruleId
  );
}

function toRef(incident: DetectedIncident): IncidentRef {
  return {
    fingerprint: incident.fingerprint,
    title: incident.title,
    category: incident.category,
    severity: incident.severity,
    logStream: incident.logStream,
    count: incident.count,
  };
}

/** Identifies an incident across the two runs: its first event (the occurrence key) and fingerprint. */
function incidentKey(incident: DetectedIncident): string {
  return `${incident.occurrenceKey}:${incident.fingerprint}`;
}

/** Every incident a run found (sent, suppressed, duplicates; not the muted ones). */
function detected(reports: readonly DeliveryReport[]): DetectedIncident[] {
  return reports.flatMap((report) => [
    ...report.alerts.sent.map(({ incident }) => incident),
    ...report.alerts.suppressed,
    ...report.alerts.duplicates,
  ]);
}

/**
 * Compares a replay without the rules (`before`) with the same replay with them (`after`); both
 * ran the same deliveries in the same order.
 */
export function diffReplays(
  before: readonly DeliveryReport[],
  after: readonly DeliveryReport[],
  rules: OperatorRules,
): RulesDiff {
  const changedLines: ChangedLine[] = [];
  after.forEach((report, r) => {
    const baseline = before[r]?.processed.classified ?? [];
    report.processed.classified.forEach(({ event, classification }, i) => {
      const old = baseline[i]?.classification;
      if (old === undefined) return;
      const beforeDecision = toDecision(old);
      const afterDecision = toDecision(classification);
      if (decisionChanged(beforeDecision, afterDecision)) {
        changedLines.push({
          logStream: report.processed.source.logStream,
          eventId: event.id,
          message: event.message,
          before: beforeDecision,
          after: afterDecision,
        });
      }
    });
  });
  const mutedIncidents = after.flatMap((report) => report.muted);
  const withRules = new Set(
    [...detected(after), ...mutedIncidents.map(({ incident }) => incident)].map(incidentKey),
  );
  const withoutRules = new Set(detected(before).map(incidentKey));
  const routed: RoutedIncident[] = [];
  for (const { incident } of after.flatMap((report) => report.alerts.sent)) {
    const destinations = routeAlert(rules.routes, incident);
    if (destinations.routes.length === 0) continue;
    routed.push({
      ...toRef(incident),
      routes: destinations.routes,
      slack: destinations.slack.map(({ parameter }) => parameter),
      attributes: destinations.attributes,
    });
  }
  return {
    changedLines,
    added: detected(after)
      .filter((incident) => !withoutRules.has(incidentKey(incident)))
      .map(toRef),
    removed: detected(before)
      .filter((incident) => !withRules.has(incidentKey(incident)))
      .map(toRef),
    muted: mutedIncidents.map(({ incident, mute }) => ({ ...toRef(incident), mute: mute.id })),
    routed,
  };
}

function describeDecision(decision: Decision): string {
  return `${decision.severity} ${decision.category}${decision.ruleId ? ` (${decision.ruleId})` : ''}`;
}

/** A message on one line, cut to `width` characters. */
function oneLine(message: string, width: number): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** Lines shown per section at most; the rest are counted. */
export const MAX_SHOWN = 20;

/**
 * The diff as text, section by section. `linesOnly`: just the lines whose decision changes (what
 * `classify` can tell, having no incidents).
 */
export function renderRulesDiff(diff: RulesDiff, source: string, linesOnly = false): string[] {
  const out: string[] = [`What ${source} changes:`];
  const section = <T>(title: string, items: readonly T[], render: (item: T) => string) => {
    out.push('', `${title} (${formatCount(items.length)}):`);
    if (items.length === 0) out.push('  none');
    for (const item of items.slice(0, MAX_SHOWN)) out.push(`  ${render(item)}`);
    if (items.length > MAX_SHOWN)
      out.push(`  … and ${formatCount(items.length - MAX_SHOWN)} more (--json has them all)`);
  };
  const incident = (ref: IncidentRef) =>
    `${ref.severity} ${ref.category} ${ref.fingerprint} ×${ref.count} ${ref.title} [${ref.logStream}]`;
  section(
    'Lines whose decision changes',
    diff.changedLines,
    (line) =>
      `${describeDecision(line.before)} → ${describeDecision(line.after)}: ${oneLine(line.message, 100)}`,
  );
  if (linesOnly) return out;
  section('Incidents added', diff.added, incident);
  section('Incidents gone', diff.removed, incident);
  section('Incidents muted', diff.muted, (ref) => `${incident(ref)} by mute ${ref.mute}`);
  section('Alerts routed', diff.routed, (ref) => {
    const to = [
      ...ref.slack.map((parameter) => `slack ${parameter}`),
      ...Object.entries(ref.attributes).map(([name, value]) => `${name}=${value}`),
    ].join(', ');
    return `${ref.category} ${ref.fingerprint} ${ref.title} → ${ref.routes.join(', ')}: ${to}`;
  });
  return out;
}
