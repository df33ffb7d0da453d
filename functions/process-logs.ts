// process-logs: subscribed to every /aws/sagemaker/* log group. Decodes a delivery, classifies its
// lines, alerts on incidents (SNS, suppressed and idempotent) and writes EMF metrics to stdout.
import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { createSnsAlertPublisher } from '../lib/aws/publish-alerts.ts';
import { createTableSuppressionStore } from '../lib/aws/suppression-table.ts';
import { parseMetricDefinitions } from '../lib/classify/index.ts';
import type { DetectedIncident } from '../lib/incidents/index.ts';
import type { PublishAlerts } from '../lib/processor/alerting.ts';
import { readProcessorConfig } from '../lib/processor/config.ts';
import { DecodeError, decodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { createDeliveryProcessor, describeReport, isNotable } from '../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore } from '../lib/processor/suppression.ts';
import type { LogsDelivery } from '../lib/types.ts';

const config = readProcessorConfig(process.env);
// Lambda's application log filter (AWS_LAMBDA_LOG_LEVEL) stays at INFO so that the EMF documents,
// which carry no level, pass it (serverless.yml, LoggingConfig). Powertools would take that level
// over POWERTOOLS_LOG_LEVEL; sagewatch's own lines follow POWERTOOLS_LOG_LEVEL, the deploy's logLevel.
delete process.env.AWS_LAMBDA_LOG_LEVEL;
const logger = new Logger({ serviceName: 'sagewatch' });
const metrics = new Metrics({ namespace: config.namespace, serviceName: 'sagewatch' });
// A console of its own: Lambda's JSON log format wraps the global console, which would break EMF.
const emf = new Console({ stdout: process.stdout, stderr: process.stderr });
const store = config.suppressionTable
  ? createTableSuppressionStore(new DynamoDBClient({ maxAttempts: 5 }), config.suppressionTable)
  : createMemorySuppressionStore();

// Without a topic, incidents are logged (already scrubbed) and counted, not published.
const publish: PublishAlerts<DetectedIncident> = config.alertsTopicArn
  ? createSnsAlertPublisher(
      new SNSClient({ maxAttempts: 6, retryMode: 'adaptive' }),
      config.alertsTopicArn,
      (failure) => logger.error('alert not published', { ...failure }),
    )
  : async (alerts) => {
      for (const { incident, suppressedBefore } of alerts)
        logger.warn('incident', { incident: { ...incident, suppressedBefore } });
      return [];
    };

const processDelivery = createDeliveryProcessor(
  {
    ...config,
    metricDefinitions: config.metricDefinitionsJson
      ? parseMetricDefinitions(config.metricDefinitionsJson)
      : [],
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
  const report = await processDelivery(delivery, Date.now());
  // The processor's own metrics only when there is something to count: a document of zeros per
  // delivery would cost more log bytes than the metrics are worth. (Powertools' logMetrics
  // middleware would warn on every empty flush, so the flush is done here, only when needed.)
  const { outOfWindow } = report.processed.stats;
  if (outOfWindow > 0) metrics.addMetric('EventsOutOfWindow', MetricUnit.Count, outOfWindow);
  if (report.duplicate) metrics.addMetric('DuplicateDeliveries', MetricUnit.Count, 1);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  // Quiet by default: the report line only when something is notable, or at DEBUG.
  if (isNotable(report)) logger.info('delivery processed', describeReport(report));
  else logger.debug('delivery processed', describeReport(report));
}).use(injectLambdaContext(logger, { resetKeys: true }));
