import { type Environment, readChoice, readOptional } from '../env.ts';
import { ConfigError } from '../errors.ts';
import { IncidentSeverities, type IncidentSeverity } from '../incidents/types.ts';

/**
 * SSM parameter names: letters, digits and `_.-/`, at most 2,048 characters with the path; or the
 * parameter's ARN (a parameter shared from another account).
 */
const PARAMETER_NAME = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?\/?[A-Za-z0-9_.\-/]{1,2048}$/;

/** Configuration of `notify-slack`, read once at cold start. */
export interface NotifySlackConfig {
  /** `SLACK_WEBHOOK_PARAMETER`: name of the SSM SecureString holding the incoming-webhook URL. */
  webhookParameter: string;
  /**
   * `SLACK_MIN_SEVERITY` (default `warning`, i.e. all): incidents less severe are not posted. The
   * topic subscription's filter policy normally does this already; this is the same rule for
   * deliveries that bypass it (a test publish, a replay from the dead-letter queue).
   */
  minSeverity: IncidentSeverity;
}

/**
 * Reads and validates the configuration; throws a {@link ConfigError} naming the variable.
 * The value is never repeated in an error: a common slip is to paste the webhook URL itself, a
 * secret, which would then end up in the function's error log.
 */
export function readNotifySlackConfig(env: Environment): NotifySlackConfig {
  const name = 'SLACK_WEBHOOK_PARAMETER';
  const webhookParameter = readOptional(env, name);
  if (webhookParameter === undefined) {
    throw new ConfigError(
      name,
      'is required: the name of the SSM SecureString holding the Slack webhook URL',
    );
  }
  if (/^https?:|hooks\.slack\.com/i.test(webhookParameter)) {
    throw new ConfigError(
      name,
      'holds a URL; it must be the name of the SSM parameter that holds the webhook URL (e.g. /sagewatch/prod/slack-webhook)',
    );
  }
  if (!PARAMETER_NAME.test(webhookParameter)) {
    throw new ConfigError(
      name,
      'is not an SSM parameter name (letters, digits and _.-/, or a parameter ARN)',
    );
  }
  return {
    webhookParameter,
    minSeverity: readChoice(env, 'SLACK_MIN_SEVERITY', IncidentSeverities, 'warning'),
  };
}
