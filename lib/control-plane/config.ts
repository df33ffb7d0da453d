/**
 * Settings both control functions (subscribe-log-groups, manage-endpoint-alarms) read the same way.
 */

import { type Env, readOptional } from '../env.ts';
import { ConfigError } from '../errors.ts';

/** Every SageMaker log group lives under this prefix; the subscriber lists nothing else. */
export const SAGEMAKER_LOG_GROUP_PREFIX = '/aws/sagemaker/';

/** Used when `METRICS_NAMESPACE` is absent. */
export const DEFAULT_METRICS_NAMESPACE = 'SageMaker/Logs';

/** CloudWatch: namespaces are 1-255 characters and may not start with `AWS/` (reserved) or `:`. */
const MAX_NAMESPACE_LENGTH = 255;

/** Reads and validates `METRICS_NAMESPACE`. */
export function readMetricsNamespace(env: Env): string {
  const namespace = readOptional(env, 'METRICS_NAMESPACE') ?? DEFAULT_METRICS_NAMESPACE;
  if (namespace.length > MAX_NAMESPACE_LENGTH || namespace.startsWith('AWS/') || namespace.startsWith(':')) {
    throw new ConfigError(
      'METRICS_NAMESPACE',
      `'${namespace}' must be 1-255 characters and not start with 'AWS/' or ':'`,
    );
  }
  return namespace;
}
