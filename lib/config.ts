import { ConfigError } from './errors.ts';
import { type MetricsDetail, MetricsDetails } from './metrics/dimensions.ts';
import { NAMESPACE_PATTERN } from './metrics/emf.ts';

/** The environment, as a plain map (lib never reads `process.env` itself). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads an optional string; blank counts as absent. */
export function readOptional(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reads an integer in `[min, max]`, or `fallback` when absent. */
export function readInteger(
  env: Environment,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected an integer, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}–${max}, got ${value}`);
  return value;
}

/** Reads one of `allowed`, or `fallback` when absent. */
export function readChoice<T extends string>(
  env: Environment,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

/** Reads an ARN of `service` (e.g. `sns`), or undefined when absent. */
export function readArn(env: Environment, name: string, service: string): string | undefined {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+$`).test(raw)) {
    throw new ConfigError(name, `expected an ${service} ARN, got '${raw}'`);
  }
  return raw;
}

/** Configuration of the log processor, read once at cold start. */
export interface ProcessorConfig {
  /** CloudWatch namespace of the derived metrics (`METRICS_NAMESPACE`, default `SageMaker/Logs`). */
  namespace: string;
  /** Dimension detail (`METRICS_DETAIL`: resource | host | container, default host). */
  detail: MetricsDetail;
  /** Topic incidents go to (`ALERTS_TOPIC_ARN`); absent: incidents are logged and counted only. */
  alertsTopicArn?: string;
  /** DynamoDB table for suppression and idempotency (`SUPPRESSION_TABLE`); absent: in memory. */
  suppressionTable?: string;
  /** Suppression window (`SUPPRESSION_WINDOW_MINUTES`, default 15, 1–1440). */
  suppressionWindowMs: number;
  /** Operator-defined metric definitions, raw JSON (`METRIC_DEFINITIONS`), validated by the classifier. */
  metricDefinitionsJson?: string;
  /** The region, for console links (`AWS_REGION`). */
  region: string;
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
    suppressionWindowMs: readInteger(env, 'SUPPRESSION_WINDOW_MINUTES', 15, 1, 1440) * 60_000,
    region: readOptional(env, 'AWS_REGION') ?? 'us-east-1',
  };
  const topic = readArn(env, 'ALERTS_TOPIC_ARN', 'sns');
  if (topic) config.alertsTopicArn = topic;
  const table = readOptional(env, 'SUPPRESSION_TABLE');
  if (table) {
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
      throw new ConfigError('SUPPRESSION_TABLE', `'${table}' is not a table name`);
    config.suppressionTable = table;
  }
  const definitions = readOptional(env, 'METRIC_DEFINITIONS');
  if (definitions) config.metricDefinitionsJson = definitions;
  return config;
}
