// process-logs: subscribed to every /aws/sagemaker/* log group. Decodes a delivery, classifies its
// lines, alerts on incidents (SNS, suppressed and idempotent) and writes EMF metrics to stdout.
// Also triggered by the flush queue: sends a held traceback no delivery completed (held-tails.ts).
import { Console } from 'node:console';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import {
  createAlertContextReaders,
  createContextCloudWatchClient,
  createContextSageMakerClient,
} from '../lib/aws/alert-context.ts';
import { type RouteDelivery, routesOf, withAlertRoutes } from '../lib/aws/alert-routes.ts';
import { createSqsFlushScheduler } from '../lib/aws/flush-queue.ts';
import { createSnsAlertPublisher } from '../lib/aws/publish-alerts.ts';
import { createTableSuppressionStore } from '../lib/aws/suppression-table.ts';
import { parseMetricDefinitions } from '../lib/classify/index.ts';
import type { DetectedIncident } from '../lib/incidents/index.ts';
import {
  loadOperatorRules,
  readOperatorRulesConfig,
  toMuteCommand,
  toMuteDestination,
} from '../lib/operator-rules/index.ts';
import { createAlertContextGatherer } from '../lib/processor/alert-context.ts';
import { logAlertsInstead, type PublishAlerts } from '../lib/processor/alerting.ts';
import { toClassificationBudget } from '../lib/processor/classification-budget.ts';
import { readProcessorConfig } from '../lib/processor/config.ts';
import { DecodeError, decodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { createDeliveryProcessor, describeReport, isNotable } from '../lib/processor/delivery-processor.ts';
import { handleFlushMessages, isFlushEvent } from '../lib/processor/flush-messages.ts';
import { createHeldFlusher } from '../lib/processor/held-tails.ts';
import { toProcessorCounts } from '../lib/processor/processor-metrics.ts';
import { createRouteDeliveryCounter } from '../lib/processor/route-deliveries.ts';
import { createMemorySuppressionStore } from '../lib/processor/suppression.ts';
import type { LogsDelivery } from '../lib/types.ts';

const config = readProcessorConfig(process.env);
// Lambda's application log filter (AWS_LAMBDA_LOG_LEVEL) stays at INFO so that the EMF documents,
// which carry no level, pass it (serverless.yml, LoggingConfig). Powertools would take that level
// over POWERTOOLS_LOG_LEVEL; sagewatch's own lines follow POWERTOOLS_LOG_LEVEL, the deploy's logLevel.
delete process.env.AWS_LAMBDA_LOG_LEVEL;
const operatorConfig = readOperatorRulesConfig(process.env);
/** Route webhook URLs are read from SSM at most this often per container, like notify-slack's. */
const WEBHOOK_CACHE_SECONDS = 300;
// The operator's rules, mutes and routes: read and validated once, at cold start; a bad document
// fails the cold start with an error naming the variable and the entry.
const operatorRules = await loadOperatorRules(operatorConfig, {
  parameter: async (name) => (await getParameter(name, { decrypt: true })) ?? undefined,
  file: (path) => readFileSync(resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), path), 'utf8'),
});
const logger = new Logger({ serviceName: 'sagewatch' });
const metrics = new Metrics({ namespace: config.namespace, serviceName: 'sagewatch' });
// A console of its own: Lambda's JSON log format wraps the global console, which would break EMF.
const emf = new Console({ stdout: process.stdout, stderr: process.stderr });
const store = config.suppressionTable
  ? createTableSuppressionStore(new DynamoDBClient({ maxAttempts: 5 }), config.suppressionTable)
  : createMemorySuppressionStore();

// Without a topic, incidents are logged (already scrubbed) and counted, not published.
const topicPublisher: PublishAlerts<DetectedIncident> = config.alertsTopicArn
  ? createSnsAlertPublisher(
      new SNSClient({ maxAttempts: 6, retryMode: 'adaptive' }),
      config.alertsTopicArn,
      (failure) => logger.error('alert not published', { ...failure }),
      (incident) => routesOf(operatorRules, incident).attributes,
    )
  : logAlertsInstead((alert) => logger.warn('incident', alert));

// Routes to Slack webhooks: after the topic took an alert; a failed post is counted, not retried.
const routePosts = createRouteDeliveryCounter<RouteDelivery>({
  routed: (delivery) => logger.info('alert routed to Slack', { ...delivery }),
  failed: (delivery) => logger.error('alert route failed', { ...delivery }),
  webhookGone: clearCaches,
});
const muteTarget = toMuteDestination(operatorConfig.source);
const publish = withAlertRoutes(topicPublisher, {
  rules: operatorRules,
  readWebhookUrl: async (parameter) =>
    (await getParameter(parameter, {
      decrypt: true,
      maxAge: WEBHOOK_CACHE_SECONDS,
      throwOnMissing: true,
    })) as string,
  muteCommand: (incident) =>
    muteTarget ? toMuteCommand(incident.fingerprint, Date.now(), muteTarget) : undefined,
  onDelivery: routePosts.onDelivery,
});

// What SageMaker knew at that minute, read within the budget; off with ALERT_CONTEXT=false.
const gatherContext = config.alertContext
  ? createAlertContextGatherer(
      createAlertContextReaders(
        createContextCloudWatchClient(),
        createContextSageMakerClient(),
        store.readHosts?.bind(store),
      ),
      {
        budgetMs: config.alertContextBudgetMs,
        onReadError: (part, error, incident) =>
          logger.warn('alert context not read', {
            part,
            fingerprint: incident.fingerprint,
            error: error instanceof Error ? error.name : String(error),
          }),
      },
    )
  : undefined;

const processorConfig = {
  ...config,
  metricDefinitions: config.metricDefinitionsJson ? parseMetricDefinitions(config.metricDefinitionsJson) : [],
  operatorRules,
};
// Tracebacks cut at a delivery's end are held only where a flush can find them again: in the
// table, with the flush queue to send them if no delivery completes them.
const scheduleFlush =
  config.suppressionTable && config.flushQueueUrl
    ? createSqsFlushScheduler(new SQSClient({ maxAttempts: 5 }), config.flushQueueUrl)
    : undefined;
const processDelivery = createDeliveryProcessor(processorConfig, {
  store,
  publish,
  writeEmf: (document) => emf.log(document),
  ...(scheduleFlush ? { scheduleFlush } : {}),
  ...(gatherContext ? { gatherContext } : {}),
});
const flushHeld = createHeldFlusher(processorConfig, { store, publish });

type Handled = SQSBatchResponse | undefined;
export const handler = middy(async (event: unknown, context: Context): Promise<Handled> => {
  // The flush queue: each message on its own; a failed one is retried by SQS, then dead-lettered.
  if (isFlushEvent(event)) return handleFlushMessages(event.Records, flushHeld, logger);
  let delivery: LogsDelivery;
  try {
    delivery = decodeSubscriptionPayload(event);
  } catch (error) {
    // Rejecting keeps the payload: Lambda retries it, then parks it intact in the dead-letter queue.
    // The payload itself is never logged (it may hold secrets); the failed step is.
    if (error instanceof DecodeError)
      logger.error('undecodable delivery', { step: error.step, reason: error.message });
    throw error;
  }
  logger.appendKeys({ logGroup: delivery.logGroup, logStream: delivery.logStream });
  if (delivery.messageType === 'CONTROL_MESSAGE') {
    logger.debug('control message acknowledged');
    return undefined;
  }
  routePosts.reset();
  // Classifying takes at most half the time left, so the delivery completes (classification-budget.ts).
  const remainingMs = context.getRemainingTimeInMillis();
  const budget = toClassificationBudget(remainingMs, config.classificationBudgetCapMs, () =>
    performance.now(),
  );
  const report = await processDelivery(delivery, Date.now(), { budget });
  const skipped = report.processed.stats.classificationSkipped;
  if (skipped > 0) logger.warn('classification budget spent: events counted, not classified', { skipped });
  // Powertools' logMetrics middleware would warn on every empty flush: flushed here, only when needed.
  for (const [name, count] of toProcessorCounts({ ...report, routeFailures: routePosts.failures() }))
    metrics.addMetric(name, MetricUnit.Count, count);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  // Quiet by default: the report line only when something is notable, or at DEBUG.
  logger[isNotable(report) ? 'info' : 'debug']('delivery processed', describeReport(report));
  return undefined;
}).use(injectLambdaContext(logger, { resetKeys: true }));
