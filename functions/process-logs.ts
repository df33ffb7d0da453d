// process-logs: subscribed to every /aws/sagemaker/* log group. Decodes a delivery, classifies its
// lines, alerts on incidents (SNS, suppressed and idempotent) and writes EMF metrics to stdout.
import { Console } from 'node:console';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { type RouteDelivery, routesOf, withAlertRoutes } from '../lib/aws/alert-routes.ts';
import { createSnsAlertPublisher } from '../lib/aws/publish-alerts.ts';
import { createTableSuppressionStore } from '../lib/aws/suppression-table.ts';
import { parseMetricDefinitions } from '../lib/classify/index.ts';
import type { DetectedIncident } from '../lib/incidents/index.ts';
import { loadOperatorRules, readOperatorRulesConfig, toMuteCommand } from '../lib/operator-rules/index.ts';
import type { PublishAlerts } from '../lib/processor/alerting.ts';
import { readProcessorConfig } from '../lib/processor/config.ts';
import { DecodeError, decodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { createDeliveryProcessor, describeReport } from '../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore } from '../lib/processor/suppression.ts';
import type { LogsDelivery } from '../lib/types.ts';

const config = readProcessorConfig(process.env);
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
  : async (alerts) => {
      for (const { incident, suppressedBefore } of alerts)
        logger.warn('incident', { incident: { ...incident, suppressedBefore } });
      return [];
    };

// Routes to Slack webhooks: after the topic took an alert; a failed post is counted, not retried.
let routeFailures = 0;
const muteTarget = operatorConfig.source
  ? operatorConfig.source.kind === 'parameter'
    ? { parameter: operatorConfig.source.name }
    : { file: operatorConfig.source.path }
  : undefined;
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
  onDelivery: (delivery: RouteDelivery) => {
    if (delivery.ok) {
      logger.info('alert routed to Slack', { ...delivery });
      return;
    }
    routeFailures++;
    logger.error('alert route failed', { ...delivery });
    // A revoked or rotated webhook: the next post reads the parameter afresh.
    if (delivery.failure === 'webhook-gone') clearCaches();
  },
});

const processDelivery = createDeliveryProcessor(
  {
    ...config,
    metricDefinitions: config.metricDefinitionsJson
      ? parseMetricDefinitions(config.metricDefinitionsJson)
      : [],
    operatorRules,
  },
  { store, publish, writeEmf: (document) => emf.log(document) },
);

export const handler = middy(async (event: unknown): Promise<void> => {
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
    return;
  }
  routeFailures = 0;
  const report = await processDelivery(delivery, Date.now());
  if (operatorRules.routes.length > 0)
    metrics.addMetric('RouteDeliveryFailures', MetricUnit.Count, routeFailures);
  metrics.addMetric('EventsOutOfWindow', MetricUnit.Count, report.processed.stats.outOfWindow);
  metrics.addMetric('DuplicateDeliveries', MetricUnit.Count, report.duplicate ? 1 : 0);
  logger.info('delivery processed', describeReport(report));
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
