/**
 * PutMetricData for a backfill (`sagewatch replay --put-metrics`). The requests are planned by
 * `toMetricDataRequests` (cli/metric-datums.ts) within PutMetricData's limits; this adapter only
 * sends them. The client is injected.
 */
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';

/** SDK attempts per request: a large backfill meets PutMetricData's TPS quota. */
export const METRICS_MAX_ATTEMPTS = 10;

/** A CloudWatch client for backfills: adaptive retries (rate limiting and backoff on throttling). */
export function createMetricsClient(config: CloudWatchClientConfig = {}): CloudWatchClient {
  return new CloudWatchClient({ retryMode: 'adaptive', maxAttempts: METRICS_MAX_ATTEMPTS, ...config });
}

/**
 * Sends the requests one after another (a backfill is not urgent; the quota is shared with the
 * account's live publishers). Rejects on the first request that still fails after the retries.
 *
 * @param onRequest called after each request with how many were sent.
 */
export async function putMetricData(
  cloudwatch: CloudWatchClient,
  namespace: string,
  requests: readonly MetricDatum[][],
  onRequest?: (sent: number) => void,
): Promise<void> {
  let sent = 0;
  for (const datums of requests) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: datums }));
    onRequest?.(++sent);
  }
}
