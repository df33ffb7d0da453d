/** What a routed post reports (lib/aws/alert-routes.ts's `RouteDelivery`, as much as is read here). */
export interface RoutePostOutcome {
  ok: boolean;
  /** `SlackPostError.failure` when Slack (or the network) refused the post. */
  failure?: string;
}

/** Where the counter reports each post, and what it does when a webhook is gone. */
export interface RouteDeliveryHooks<D extends RoutePostOutcome> {
  routed: (delivery: D) => void;
  failed: (delivery: D) => void;
  /** A revoked or rotated webhook: the caller drops its cached URLs, so the next post reads afresh. */
  webhookGone: () => void;
}

/** Counts the failed route posts of one delivery; `onDelivery` goes to `withAlertRoutes`. */
export interface RouteDeliveryCounter<D extends RoutePostOutcome> {
  onDelivery: (delivery: D) => void;
  /** Starts a new count (at the start of each delivery). */
  reset: () => void;
  /** The posts that failed since the last {@link RouteDeliveryCounter.reset}. */
  failures: () => number;
}

/** Builds the route posts' counter: a failed post is counted and reported, never retried. */
export function createRouteDeliveryCounter<D extends RoutePostOutcome>(
  hooks: RouteDeliveryHooks<D>,
): RouteDeliveryCounter<D> {
  let failures = 0;
  return {
    onDelivery: (delivery) => {
      if (delivery.ok) {
        hooks.routed(delivery);
        return;
      }
      failures++;
      hooks.failed(delivery);
      if (delivery.failure === 'webhook-gone') hooks.webhookGone();
    },
    reset: () => {
      failures = 0;
    },
    failures: () => failures,
  };
}
