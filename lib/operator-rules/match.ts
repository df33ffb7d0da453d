/**
 * Applying the operator's rules: custom rules around the built-in classifier, mutes between
 * incidents and alerting, routes per alert. Precedence: a mute beats a custom rule, which beats
 * the built-in rules.
 */
import type { Category, Classification, LogSource, ResourceType } from '../types.ts';
import { matchesGlob } from './glob.ts';
import type { CompiledScope, CustomRule, Mute, OperatorRules, Route } from './parse.ts';

/** Custom rules see at most this much of a message, as the built-in classifier does (16 KiB). */
export const MAX_MATCHED_CHARS = 16_384;

/** A line-only classifier (`createClassifier`'s result). */
export type LineClassifier = (message: string) => Classification;

/** What a scope is matched against. */
export interface ScopeTarget {
  resourceType: ResourceType;
  resourceName?: string | undefined;
  container?: string | undefined;
}

/** Whether every field the scope names matches the target. */
export function inScope(scope: CompiledScope, target: ScopeTarget): boolean {
  if (scope.resourceTypes && !scope.resourceTypes.has(target.resourceType)) return false;
  if (scope.resourceName && !matchesGlob(scope.resourceName, target.resourceName)) return false;
  if (scope.container && !matchesGlob(scope.container, target.container)) return false;
  return true;
}

/** The custom rules whose scope includes the source, in document order. */
export function rulesForSource(rules: readonly CustomRule[], source: LogSource): CustomRule[] {
  return rules.filter((rule) => inScope(rule.scope, source));
}

/**
 * The classifier for one log stream: the custom rules in scope are tried first (first match wins,
 * and decides severity, category and rule id), the built-in classifier decides otherwise. The
 * built-in classifier still runs on every line for what custom rules do not decide: training
 * metrics and the HTTP request. Without a custom rule in scope, `classify` itself is returned.
 */
export function withCustomRules(
  classify: LineClassifier,
  rules: readonly CustomRule[],
  source: LogSource,
): LineClassifier {
  const scoped = rulesForSource(rules, source);
  if (scoped.length === 0) return classify;
  return (message) => {
    const classification = classify(message);
    if (typeof message !== 'string' || message.length === 0) return classification;
    const text = message.length > MAX_MATCHED_CHARS ? message.slice(0, MAX_MATCHED_CHARS) : message;
    for (const rule of scoped) {
      if (rule.pattern.test(text)) {
        classification.severity = rule.severity;
        classification.category = rule.category;
        classification.ruleId = rule.ruleId;
        // The operator's rule names the category; where the line was written no longer does.
        delete classification.categoryFrom;
        return classification;
      }
    }
    return classification;
  };
}

/** What a mute is matched against: an incident's identity, resource and lines. */
export interface MuteTarget {
  fingerprint: string;
  resourceName?: string | undefined;
  headline: string;
  context: readonly string[];
}

/** Whether the mute is active at `nowMs` and every field it names matches the incident. */
export function mutes(mute: Mute, incident: MuteTarget, nowMs: number): boolean {
  if (mute.untilMs !== undefined && nowMs >= mute.untilMs) return false;
  if (mute.fingerprint !== undefined && mute.fingerprint !== incident.fingerprint) return false;
  if (mute.resourceName && !matchesGlob(mute.resourceName, incident.resourceName)) return false;
  if (mute.pattern) {
    const pattern = mute.pattern;
    const test = (line: string) =>
      pattern.test(line.length > MAX_MATCHED_CHARS ? line.slice(0, MAX_MATCHED_CHARS) : line);
    if (!test(incident.headline) && !incident.context.some(test)) return false;
  }
  return true;
}

/** The first active mute that matches the incident, if any. */
export function findMute(list: readonly Mute[], incident: MuteTarget, nowMs: number): Mute | undefined {
  return list.find((mute) => mutes(mute, incident, nowMs));
}

/**
 * Splits incidents into those to alert on and those an active mute silences (with the mute).
 * Muted incidents raise no alert and touch no suppression state; their lines were already counted.
 */
export function partitionMuted<I extends MuteTarget>(
  incidents: readonly I[],
  list: readonly Mute[],
  nowMs: number,
): { alert: I[]; muted: { incident: I; mute: Mute }[] } {
  if (list.length === 0) return { alert: [...incidents], muted: [] };
  const alert: I[] = [];
  const muted: { incident: I; mute: Mute }[] = [];
  for (const incident of incidents) {
    const mute = findMute(list, incident, nowMs);
    if (mute) muted.push({ incident, mute });
    else alert.push(incident);
  }
  return { alert, muted };
}

/** What a route is matched against. */
export interface RouteTarget extends ScopeTarget {
  category: Category;
  severity: 'critical' | 'error' | 'warning';
}

const SEVERITY_RANK = { warning: 0, error: 1, critical: 2 } as const;

/** The destinations of one alert: every matching route's Slack webhooks, and SNS attributes. */
export interface RoutedDestinations {
  /** Ids of the routes that matched, in document order. */
  routes: string[];
  /** Slack webhook parameters, each once, with the first route that named it. */
  slack: { parameter: string; route: string }[];
  /** Attributes of all matching routes; for a name set by two, the first route's value. */
  attributes: Record<string, string>;
}

/** Whether a route takes an alert. */
export function routeMatches(route: Route, alert: RouteTarget): boolean {
  if (!inScope(route.scope, alert)) return false;
  if (route.categories && !route.categories.has(alert.category)) return false;
  if (route.minSeverity && SEVERITY_RANK[alert.severity] < SEVERITY_RANK[route.minSeverity]) return false;
  return true;
}

/** Where an alert goes, besides the topic's own subscribers. */
export function routeAlert(routes: readonly Route[], alert: RouteTarget): RoutedDestinations {
  const destinations: RoutedDestinations = { routes: [], slack: [], attributes: {} };
  const parameters = new Set<string>();
  for (const route of routes) {
    if (!routeMatches(route, alert)) continue;
    destinations.routes.push(route.id);
    for (const parameter of route.slack) {
      if (parameters.has(parameter)) continue;
      parameters.add(parameter);
      destinations.slack.push({ parameter, route: route.id });
    }
    for (const [name, value] of Object.entries(route.attributes)) {
      if (!(name in destinations.attributes)) destinations.attributes[name] = value;
    }
  }
  return destinations;
}

/** Whether the rules hold anything at all. */
export function hasOperatorRules(rules: OperatorRules): boolean {
  return rules.rules.length + rules.mutes.length + rules.routes.length > 0;
}
