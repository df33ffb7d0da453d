/**
 * The edges of the process-logs function, wired once per container from its environment: the
 * configuration, the operator's rules, the suppression table, the alerts topic with its routes,
 * alert context, the flush queue; then the pipeline built on them (the delivery processor and the
 * flusher of held tracebacks). functions/process-logs.ts only dispatches events to what this builds.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseMetricDefinitions } from '../classify/index.ts';
import type { Environment } from '../env.ts';
import type { DetectedIncident } from '../incidents/index.ts';
import {
  loadOperatorRules,
  readOperatorRulesConfig,
  toMuteCommand,
  toMuteDestination,
} from '../operator-rules/index.ts';
import { createAlertContextGatherer } from '../processor/alert-context.ts';
import { logAlertsInstead, type PublishAlerts } from '../processor/alerting.ts';
import { type ProcessorConfig, readProcessorConfig } from '../processor/config.ts';
import { createDeliveryProcessor, type DeliveryProcessor } from '../processor/delivery-processor.ts';
import { createHeldFlusher, type HeldFlusher } from '../processor/held-tails.ts';
import { createRouteDeliveryCounter, type RouteDeliveryCounter } from '../processor/route-deliveries.ts';
import { createMemorySuppressionStore } from '../processor/suppression.ts';
import {
  createAlertContextReaders,
  createContextCloudWatchClient,
  createContextSageMakerClient,
} from './alert-context.ts';
import { type RouteDelivery, routesOf, withAlertRoutes } from './alert-routes.ts';
import { createSqsFlushScheduler } from './flush-queue.ts';
import { createSnsAlertPublisher } from './publish-alerts.ts';
import { createTableSuppressionStore } from './suppression-table.ts';

/** Route webhook URLs are read from SSM at most this often per container, like notify-slack's. */
const WEBHOOK_CACHE_SECONDS = 300;

/** Where the runtime logs; Powertools' Logger fits. */
export interface RuntimeLog {
  info: (message: string, attributes: Record<string, unknown>) => void;
  warn: (message: string, attributes: Record<string, unknown>) => void;
  error: (message: string, attributes: Record<string, unknown>) => void;
}

/** What process-logs runs on. */
export interface ProcessLogsRuntime {
  config: ProcessorConfig;
  processDelivery: DeliveryProcessor;
  flushHeld: HeldFlusher;
  routePosts: RouteDeliveryCounter<RouteDelivery>;
}

/**
 * Builds the runtime. The operator's rules are read and validated here, once: a bad document
 * fails the cold start with an error naming the variable and the entry.
 */
export async function createProcessLogsRuntime(
  env: Environment,
  edges: { log: RuntimeLog; writeEmf: (document: string) => void },
): Promise<ProcessLogsRuntime> {
  const { log } = edges;
  const config = readProcessorConfig(env);
  const operatorConfig = readOperatorRulesConfig(env);
  const operatorRules = await loadOperatorRules(operatorConfig, {
    parameter: async (name) => (await getParameter(name, { decrypt: true })) ?? undefined,
    file: (path) => readFileSync(resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), path), 'utf8'),
  });
  const store = config.suppressionTable
    ? createTableSuppressionStore(new DynamoDBClient({ maxAttempts: 5 }), config.suppressionTable)
    : createMemorySuppressionStore();

  // Without a topic, incidents are logged (already scrubbed) and counted, not published.
  const topicPublisher: PublishAlerts<DetectedIncident> = config.alertsTopicArn
    ? createSnsAlertPublisher(
        new SNSClient({ maxAttempts: 6, retryMode: 'adaptive' }),
        config.alertsTopicArn,
        (failure) => log.error('alert not published', { ...failure }),
        (incident) => routesOf(operatorRules, incident).attributes,
      )
    : logAlertsInstead((alert) => log.warn('incident', alert));

  // Routes to Slack webhooks: after the topic took an alert; a failed post is counted, not retried.
  const routePosts = createRouteDeliveryCounter<RouteDelivery>({
    routed: (delivery) => log.info('alert routed to Slack', { ...delivery }),
    failed: (delivery) => log.error('alert route failed', { ...delivery }),
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
            log.warn('alert context not read', {
              part,
              fingerprint: incident.fingerprint,
              error: error instanceof Error ? error.name : String(error),
            }),
        },
      )
    : undefined;

  const processorConfig = {
    ...config,
    metricDefinitions: config.metricDefinitionsJson
      ? parseMetricDefinitions(config.metricDefinitionsJson)
      : [],
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
    writeEmf: edges.writeEmf,
    ...(scheduleFlush ? { scheduleFlush } : {}),
    ...(gatherContext ? { gatherContext } : {}),
  });
  const flushHeld = createHeldFlusher(processorConfig, { store, publish });
  return { config, processDelivery, flushHeld, routePosts };
}
