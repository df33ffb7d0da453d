import { type Environment, readOptional } from '../env.ts';
import { ConfigError } from '../errors.ts';
import { SSM_PARAMETER_NAME } from './parse.ts';

/** Where the operator's rules document comes from. */
export type OperatorRulesSource =
  | { kind: 'parameter'; variable: 'OPERATOR_RULES_PARAMETER'; name: string }
  | { kind: 'file'; variable: 'OPERATOR_RULES_FILE'; path: string };

/** The operator-rules settings of a function, read once at cold start. */
export interface OperatorRulesConfig {
  /** `OPERATOR_RULES_PARAMETER` (an SSM parameter name) or `OPERATOR_RULES_FILE` (a packaged file). */
  source?: OperatorRulesSource;
  /**
   * `ROUTE_WEBHOOK_PATH`: the SSM path every route's Slack webhook parameter must lie under (the
   * function's role may read only there). Absent: routes may not name Slack webhooks.
   */
  webhookPath?: string;
}

/**
 * Reads where the rules come from. At most one source: both set is refused, naming both.
 *
 * @throws {ConfigError} naming the variable.
 */
export function readOperatorRulesConfig(env: Environment): OperatorRulesConfig {
  const parameter = readOptional(env, 'OPERATOR_RULES_PARAMETER');
  const file = readOptional(env, 'OPERATOR_RULES_FILE');
  const config: OperatorRulesConfig = {};
  if (parameter !== undefined && file !== undefined) {
    throw new ConfigError('OPERATOR_RULES_PARAMETER', 'and OPERATOR_RULES_FILE are both set: choose one');
  }
  if (parameter !== undefined) {
    if (!SSM_PARAMETER_NAME.test(parameter)) {
      throw new ConfigError(
        'OPERATOR_RULES_PARAMETER',
        `'${parameter}' is not an SSM parameter name (starting with /)`,
      );
    }
    config.source = { kind: 'parameter', variable: 'OPERATOR_RULES_PARAMETER', name: parameter };
  }
  if (file !== undefined) config.source = { kind: 'file', variable: 'OPERATOR_RULES_FILE', path: file };
  const path = readOptional(env, 'ROUTE_WEBHOOK_PATH');
  if (path !== undefined) {
    if (!/^\/[A-Za-z0-9_.\-/]{0,1000}\/$/.test(path)) {
      throw new ConfigError(
        'ROUTE_WEBHOOK_PATH',
        `'${path}' is not an SSM path (starting and ending with /)`,
      );
    }
    config.webhookPath = path;
  }
  return config;
}

/**
 * Checks that every route's Slack webhook parameter lies under the path the function may read.
 *
 * @throws {ConfigError} naming `variable` (where the rules came from), the route and the parameter.
 */
export function checkWebhookParameters(
  routes: readonly { id: string; slack: readonly string[] }[],
  webhookPath: string | undefined,
  variable: string,
): void {
  for (const [index, route] of routes.entries()) {
    for (const parameter of route.slack) {
      if (webhookPath === undefined || !parameter.startsWith(webhookPath)) {
        throw new ConfigError(
          variable,
          `routes[${index}] (id '${route.id}').slack: '${parameter}' is not under ROUTE_WEBHOOK_PATH (${webhookPath ?? 'not set'}), the only path the processor may read`,
        );
      }
    }
  }
}
