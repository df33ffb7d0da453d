/**
 * The operator's alert routes as an extra publisher: after the alerts topic has taken an alert,
 * each Slack webhook its routes name gets the alert as Block Kit. The topic stays the system of
 * record (every alert reaches its subscribers whatever the routes do), so a route that fails is
 * counted and logged, never a reason to fail the delivery: a retry would post again to the routes
 * that worked. Each route is posted to independently; one failing stops none of the others.
 */
import type { Incident } from '../incidents/index.ts';
import { formatSlack } from '../incidents/index.ts';
import { type OperatorRules, type RoutedDestinations, routeAlert } from '../operator-rules/index.ts';
import type { AlertToSend, PublishAlerts } from '../processor/alerting.ts';
import { withMuteCommand } from '../slack/mute-hint.ts';
import { postToSlack, SlackPostError } from '../slack/post.ts';

/** The outcome of one post to one routed webhook. */
export interface RouteDelivery {
  route: string;
  /** The SSM parameter holding the webhook URL (never the URL). */
  parameter: string;
  fingerprint: string;
  ok: boolean;
  /** Why it failed: the error's message, which never contains the URL. */
  error?: string;
  /** `SlackPostError.failure` when Slack (or the network) refused it. */
  failure?: string;
}

/** What {@link withAlertRoutes} needs. */
export interface AlertRoutesOptions<I extends Incident> {
  rules: OperatorRules;
  /** Reads a webhook URL from its SSM SecureString (cached by the caller). */
  readWebhookUrl: (parameter: string) => Promise<string>;
  /** Called once per post, after it succeeded or failed. */
  onDelivery?: (delivery: RouteDelivery) => void;
  /** The mute command to show in the message, when there is one. */
  muteCommand?: (incident: I) => string | undefined;
  /** Posts one message (default: {@link postToSlack} with a deadline of `postTimeoutMs`). */
  post?: (url: string, message: ReturnType<typeof formatSlack>) => Promise<unknown>;
  /** Default 15 s: a rate-limited webhook is waited for at most this long. */
  postTimeoutMs?: number;
}

/** The route's target: where in the incident a route looks. */
export function routesOf(rules: OperatorRules, incident: Incident): RoutedDestinations {
  const target = {
    resourceType: incident.resourceType,
    resourceName: incident.resourceName,
    container: incident.container,
    category: incident.category,
    severity: incident.severity,
  };
  return routeAlert(rules.routes, target);
}

/**
 * Wraps a publisher: alerts go to `publish` first (the topic, with the routes' attributes added by
 * it), then those it accepted go to the Slack webhooks of their routes. Resolves to what `publish`
 * refused, so the delivery's failure semantics are the topic's alone.
 */
export function withAlertRoutes<I extends Incident>(
  publish: PublishAlerts<I>,
  options: AlertRoutesOptions<I>,
): PublishAlerts<I> {
  if (!options.rules.routes.some((route) => route.slack.length > 0)) return publish;
  const timeoutMs = options.postTimeoutMs ?? 15_000;
  const post =
    options.post ?? ((url, message) => postToSlack(url, message, { deadlineMs: Date.now() + timeoutMs }));
  return async (alerts: readonly AlertToSend<I>[]) => {
    const refused = await publish(alerts);
    const failed = new Set(refused);
    const posts: Promise<void>[] = [];
    for (const alert of alerts) {
      if (failed.has(alert)) continue;
      const { incident, suppressedBefore } = alert;
      const { slack } = routesOf(options.rules, incident);
      if (slack.length === 0) continue;
      const base = formatSlack(suppressedBefore > 0 ? { ...incident, suppressedBefore } : incident);
      const command = options.muteCommand?.(incident);
      const message = command ? withMuteCommand(base, command) : base;
      for (const { parameter, route } of slack) {
        posts.push(
          (async () => {
            const delivery: RouteDelivery = { route, parameter, fingerprint: incident.fingerprint, ok: true };
            try {
              await post(await options.readWebhookUrl(parameter), message);
            } catch (error) {
              delivery.ok = false;
              delivery.error = error instanceof Error ? error.message : String(error);
              if (error instanceof SlackPostError) delivery.failure = error.failure;
            }
            options.onDelivery?.(delivery);
          })(),
        );
      }
    }
    await Promise.all(posts);
    return refused;
  };
}
