/**
 * Configuration of the log group subscriber, read once at cold start from environment-style input.
 */

import { readMetricsNamespace, SAGEMAKER_LOG_GROUP_PREFIX } from '../control-plane/config.ts';
import { type Env, readList, readNumber, readOptional, readRequired } from '../env.ts';
import { ConfigError } from '../errors.ts';
import { compileNamePattern, isNamePattern, type NamePattern } from './patterns.ts';

/** Used when `INCLUDE_PATTERNS` is absent. */
export const DEFAULT_INCLUDE_PATTERNS = [`${SAGEMAKER_LOG_GROUP_PREFIX}*`] as const;

/** Used when `SUBSCRIPTION_FILTER_NAME` is absent. */
export const DEFAULT_SUBSCRIPTION_FILTER_NAME = 'sagewatch';

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`). */
export const ALLOWED_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** PutSubscriptionFilter: filter names are 1-512 characters, without `:` or `*`. */
const FILTER_NAME = /^[^:*]{1,512}$/;
/** PutSubscriptionFilter: a filter pattern is at most 1,024 characters. */
const MAX_FILTER_PATTERN_LENGTH = 1024;
/** A same-account, same-Region Lambda function ARN (CloudWatch Logs refuses others for Lambda). */
const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]{1,128})?$/;
/** A Kinesis data stream ARN (a subscription filter may deliver to one in the same account). */
const KINESIS_STREAM_ARN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/;
/** An IAM role ARN (paths allowed). */
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Log group names: 1-512 characters of `[.-_/#A-Za-z0-9]`. */
const LOG_GROUP_NAME_PREFIX = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** What the subscriber does, after validation. */
export interface SubscriptionConfig {
  /**
   * Where the subscription filters deliver: the Kinesis delivery stream (`DELIVERY_STREAM_ARN`,
   * deploy parameter `delivery=kinesis`) when set, else the processor (`PROCESSOR_FUNCTION_ARN`).
   */
  destinationArn: string;
  /**
   * `DELIVERY_ROLE_ARN`: the role CloudWatch Logs assumes to write to the stream; set exactly when
   * the destination is a stream (a Lambda destination takes none).
   */
  roleArn?: string;
  /**
   * Every destination a filter of ours may point at: the processor, and the delivery stream when
   * there is one. Switching `delivery` moves our filters between the two; removal deletes a filter
   * of our name pointing at either, never another tool's.
   */
  ownDestinationArns: readonly string[];
  /** The processor's own log group, `/aws/lambda/<function-name>`: never subscribed (recursion). */
  processorLogGroup: string;
  /** `SUBSCRIPTION_FILTER_NAME`: the one filter name sagewatch owns on every group. */
  filterName: string;
  /** `SUBSCRIPTION_FILTER_PATTERN`: empty delivers every event. */
  filterPattern: string;
  /** `INCLUDE_PATTERNS`: a group is considered only when one of these matches. */
  include: readonly NamePattern[];
  /** `EXCLUDE_PATTERNS`: a group that matches one of these is left alone. */
  exclude: readonly NamePattern[];
  /** `OWN_LOG_GROUP_PREFIX`: sagewatch's own log groups, never subscribed. */
  ownLogGroupPrefix?: string;
  /** `SET_RETENTION_DAYS`: retention to set on groups that have none; absent when off. */
  retentionDays?: number;
  /** `METRICS_NAMESPACE`: where the run report's metrics go. */
  metricsNamespace: string;
}

function readPatterns(env: Env, name: string, fallback: readonly string[]): NamePattern[] {
  const sources = readList(env, name) ?? [...fallback];
  return sources.map((source) => {
    const compiled = compileNamePattern(source);
    if (!isNamePattern(compiled)) throw new ConfigError(name, `pattern '${source}': ${compiled.problem}`);
    return compiled;
  });
}

/**
 * Reads and validates the subscriber's configuration.
 * @throws ConfigError naming the first variable whose value cannot be used.
 */
export function readSubscriptionConfig(env: Env): SubscriptionConfig {
  const destinationArn = readRequired(env, 'PROCESSOR_FUNCTION_ARN');
  const functionName = LAMBDA_FUNCTION_ARN.exec(destinationArn)?.[1];
  if (functionName === undefined) {
    throw new ConfigError('PROCESSOR_FUNCTION_ARN', `'${destinationArn}' is not a Lambda function ARN`);
  }

  const streamArn = readOptional(env, 'DELIVERY_STREAM_ARN');
  const roleArn = readOptional(env, 'DELIVERY_ROLE_ARN');
  if (streamArn !== undefined && !KINESIS_STREAM_ARN.test(streamArn)) {
    throw new ConfigError('DELIVERY_STREAM_ARN', `'${streamArn}' is not a Kinesis data stream ARN`);
  }
  if (streamArn !== undefined && roleArn === undefined) {
    throw new ConfigError(
      'DELIVERY_ROLE_ARN',
      'is required with DELIVERY_STREAM_ARN (the role CloudWatch Logs writes with)',
    );
  }
  if (roleArn !== undefined && streamArn === undefined) {
    throw new ConfigError(
      'DELIVERY_ROLE_ARN',
      'is only for a stream destination: set DELIVERY_STREAM_ARN too, or unset it',
    );
  }
  if (roleArn !== undefined && !IAM_ROLE_ARN.test(roleArn)) {
    throw new ConfigError('DELIVERY_ROLE_ARN', `'${roleArn}' is not an IAM role ARN`);
  }

  const filterName = readOptional(env, 'SUBSCRIPTION_FILTER_NAME') ?? DEFAULT_SUBSCRIPTION_FILTER_NAME;
  if (!FILTER_NAME.test(filterName)) {
    throw new ConfigError('SUBSCRIPTION_FILTER_NAME', 'must be 1-512 characters without ":" or "*"');
  }

  // Not trimmed away to nothing on purpose: an empty pattern is the documented "all events".
  const filterPattern = env.SUBSCRIPTION_FILTER_PATTERN?.trim() ?? '';
  if (filterPattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new ConfigError(
      'SUBSCRIPTION_FILTER_PATTERN',
      `is longer than ${MAX_FILTER_PATTERN_LENGTH} characters`,
    );
  }

  const ownLogGroupPrefix = readOptional(env, 'OWN_LOG_GROUP_PREFIX');
  if (ownLogGroupPrefix !== undefined && !LOG_GROUP_NAME_PREFIX.test(ownLogGroupPrefix)) {
    throw new ConfigError('OWN_LOG_GROUP_PREFIX', `'${ownLogGroupPrefix}' is not a log group name prefix`);
  }

  const retention = readNumber(env, 'SET_RETENTION_DAYS', { fallback: 0, min: 0, max: 3653, integer: true });
  if (retention !== 0 && !(ALLOWED_RETENTION_DAYS as readonly number[]).includes(retention)) {
    throw new ConfigError(
      'SET_RETENTION_DAYS',
      `${retention} is not a CloudWatch Logs retention period (${ALLOWED_RETENTION_DAYS.join(', ')}; 0 = off)`,
    );
  }

  return {
    destinationArn: streamArn ?? destinationArn,
    ...(roleArn === undefined ? {} : { roleArn }),
    ownDestinationArns: streamArn === undefined ? [destinationArn] : [streamArn, destinationArn],
    processorLogGroup: `/aws/lambda/${functionName}`,
    filterName,
    filterPattern,
    include: readPatterns(env, 'INCLUDE_PATTERNS', DEFAULT_INCLUDE_PATTERNS),
    exclude: readPatterns(env, 'EXCLUDE_PATTERNS', []),
    ...(ownLogGroupPrefix === undefined ? {} : { ownLogGroupPrefix }),
    ...(retention === 0 ? {} : { retentionDays: retention }),
    metricsNamespace: readMetricsNamespace(env),
  };
}
