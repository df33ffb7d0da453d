/**
 * Keeps every /aws/sagemaker/* log group subscribed to the processor. Triggers: EventBridge CloudTrail
 * CreateLogGroup (one group), an EventBridge schedule (full reconcile), and a CloudFormation custom
 * resource (answered SUCCESS at once on Create/Update, then a full reconcile; Delete: remove
 * sagewatch's filters, then answer), so a subscription problem never holds up or rolls back a deploy.
 * Only a configuration the function cannot run with answers Create/Update FAILED, naming the variable.
 *
 * Failure signal: the run report is always logged and published as metrics; then, when any group
 * failed, the invocation fails so the function's AWS/Lambda `Errors` metric alarms (custom resource
 * invocations never fail; their failures show in the `SubscriptionsFailed` metric).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { answerCustomResource, failForConfig } from '../lib/aws/custom-resource.ts';
import { createLogsClient, runSubscriptionTrigger } from '../lib/aws/log-groups.ts';
import { DEFAULT_METRICS_NAMESPACE } from '../lib/control-plane/config.ts';
import { parseTrigger } from '../lib/control-plane/triggers.ts';
import { tryRead } from '../lib/env.ts';
import { readSubscriptionConfig } from '../lib/subscriptions/config.ts';
import { hasFailures, type RunReport, toReportMetrics } from '../lib/subscriptions/report.ts';

/** New groups stop being started this long before the Lambda timeout: time to log and answer. */
const SAFETY_MARGIN_MS = 30_000;

// Read once at cold start; a bad value is thrown by the first invocation (see failForConfig).
const setup = tryRead(() => readSubscriptionConfig(process.env));
const namespace = setup.ok ? setup.value.metricsNamespace : DEFAULT_METRICS_NAMESPACE;
const logger = new Logger({ serviceName: 'subscribe-log-groups' });
const metrics = new Metrics({ namespace, serviceName: 'subscribe-log-groups' });
const logs = createLogsClient();

async function lambdaHandler(event: unknown, context: Context): Promise<void> {
  const trigger = parseTrigger(event);
  const request = trigger.kind === 'custom-resource' ? trigger.request : undefined;
  if (!setup.ok) return failForConfig(request, setup.error);
  const config = setup.value;
  if (request?.requestType === 'Create' || request?.requestType === 'Update') {
    await answerCustomResource(request, 'reconcile started; see the function log');
  }
  const deadlineMs = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS;
  let report: RunReport | undefined;
  try {
    report = await runSubscriptionTrigger({ logs, config, deadlineMs, rotation: Math.random() }, trigger);
  } catch (error) {
    if (request === undefined) throw error;
    logger.error('subscription run failed', { error });
  }
  // A custom resource trigger is never logged whole: its ResponseURL is a pre-signed credential.
  if (report === undefined && request === undefined) logger.info('nothing to do for this event', { trigger });
  if (report !== undefined) {
    logger.info('subscription run report', { report });
    for (const { name, value } of toReportMetrics(report)) metrics.addMetric(name, MetricUnit.Count, value);
  }
  if (request?.requestType === 'Delete') {
    await answerCustomResource(
      request,
      report ? `removed ${report.unsubscribed} filter(s)` : 'removal failed',
    );
  }
  if (request === undefined && report !== undefined && hasFailures(report)) {
    throw new Error(
      `${report.failed + report.retentionFailed} log group operation(s) failed; see the run report`,
    );
  }
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
