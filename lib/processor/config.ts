import { type Environment, readArn, readChoice, readInteger, readOptional } from '../env.ts';
import { ConfigError } from '../errors.ts';
import { type MetricsDetail, MetricsDetails } from '../metrics/dimensions.ts';
import { NAMESPACE_PATTERN } from '../metrics/emf.ts';
import { DEFAULT_CLASSIFICATION_BUDGET_CAP_MS } from './classification-budget.ts';

/** Configuration of the log processor, read once at cold start. */
export interface ProcessorConfig {
  /** CloudWatch namespace of the derived metrics (`METRICS_NAMESPACE`, default `SageMaker/Logs`). */
  namespace: string;
  /** Dimension detail (`METRICS_DETAIL`: resource | host | container, default host). */
  detail: MetricsDetail;
  /**
   * Values that repeat are written once each with their counts (`EMF_VALUE_COUNTS`: true | false,
   * default true; docs/metrics.md). `false` writes plain value arrays only.
   */
  valueCounts: boolean;
  /** Topic incidents go to (`ALERTS_TOPIC_ARN`); absent: incidents are logged and counted only. */
  alertsTopicArn?: string;
  /** DynamoDB table for suppression and idempotency (`SUPPRESSION_TABLE`); absent: in memory. */
  suppressionTable?: string;
  /** Suppression window (`SUPPRESSION_WINDOW_MINUTES`, default 15, 1–1440). */
  suppressionWindowMs: number;
  /** Operator-defined metric definitions, raw JSON (`METRIC_DEFINITIONS`), validated by the classifier. */
  metricDefinitionsJson?: string;
  /**
   * SQS queue that flushes held tracebacks (`FLUSH_QUEUE_URL`, lib/processor/held-tails.ts); held
   * only with a suppression table too (a container's memory is not seen by the flush).
   */
  flushQueueUrl?: string;
  /** The region, for console links (`AWS_REGION`). */
  region: string;
  /** Gather SageMaker's metrics and status into each sent alert (`ALERT_CONTEXT`: true | false, default true). */
  alertContext: boolean;
  /** The most enrichment may delay a delivery's alerts (`ALERT_CONTEXT_BUDGET_MS`, default 2000, 100–10000). */
  alertContextBudgetMs: number;
  /**
   * The most one delivery may spend classifying its events (`CLASSIFICATION_BUDGET_SECONDS`,
   * 1–900); half the invocation's remaining time when that is less. Absent: the default,
   * `DEFAULT_CLASSIFICATION_BUDGET_CAP_MS` (./classification-budget.ts).
   */
  classificationBudgetCapMs?: number;
}

/**
 * Reads and validates the processor's configuration.
 *
 * @throws {ConfigError} naming the first variable with a bad value.
 */
export function readProcessorConfig(env: Environment): ProcessorConfig {
  const namespace = readOptional(env, 'METRICS_NAMESPACE') ?? 'SageMaker/Logs';
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new ConfigError(
      'METRICS_NAMESPACE',
      `'${namespace}' is not a usable namespace (1–255 of A-Z a-z 0-9 space . _ # : / -, not starting with AWS/)`,
    );
  }
  const config: ProcessorConfig = {
    namespace,
    detail: readChoice(env, 'METRICS_DETAIL', MetricsDetails, 'host'),
    valueCounts: readChoice(env, 'EMF_VALUE_COUNTS', ['true', 'false'], 'true') === 'true',
    suppressionWindowMs: readInteger(env, 'SUPPRESSION_WINDOW_MINUTES', 15, 1, 1440) * 60_000,
    region: readOptional(env, 'AWS_REGION') ?? 'us-east-1',
    alertContext: readChoice(env, 'ALERT_CONTEXT', ['true', 'false'], 'true') === 'true',
    alertContextBudgetMs: readInteger(env, 'ALERT_CONTEXT_BUDGET_MS', 2000, 100, 10_000),
  };
  const topic = readArn(env, 'ALERTS_TOPIC_ARN', 'sns');
  if (topic) config.alertsTopicArn = topic;
  const table = readOptional(env, 'SUPPRESSION_TABLE');
  if (table) {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
      throw new ConfigError('SUPPRESSION_TABLE', `'${table}' is not a table name`);
    config.suppressionTable = table;
  }
  const queue = readOptional(env, 'FLUSH_QUEUE_URL');
  if (queue) {
    if (!/^https?:\/\/[^\s/]{1,255}\/\d{12}\/[\w-]{1,80}$/.test(queue))
      throw new ConfigError('FLUSH_QUEUE_URL', `'${queue}' is not an SQS queue URL`);
    config.flushQueueUrl = queue;
  }
  if (readOptional(env, 'CLASSIFICATION_BUDGET_SECONDS') !== undefined) {
    config.classificationBudgetCapMs =
      readInteger(env, 'CLASSIFICATION_BUDGET_SECONDS', DEFAULT_CLASSIFICATION_BUDGET_CAP_MS / 1000, 1, 900) *
      1000;
  }
  const definitions = readOptional(env, 'METRIC_DEFINITIONS');
  if (definitions) config.metricDefinitionsJson = definitions;
  return config;
}
