import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import { readNotifySlackConfig } from '../../../lib/slack/config.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    readNotifySlackConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readNotifySlackConfig', () => {
  it('reads the parameter name and defaults the minimum severity to warning', () => {
    expect(readNotifySlackConfig({ SLACK_WEBHOOK_PARAMETER: ' /sagewatch/prod/slack-webhook ' })).toEqual({
      webhookParameter: '/sagewatch/prod/slack-webhook',
      minSeverity: 'warning',
    });
  });

  it('reads a minimum severity and a parameter ARN', () => {
    const arn = 'arn:aws:ssm:eu-west-1:123456789012:parameter/shared/slack-webhook';
    expect(readNotifySlackConfig({ SLACK_WEBHOOK_PARAMETER: arn, SLACK_MIN_SEVERITY: 'critical' })).toEqual({
      webhookParameter: arn,
      minSeverity: 'critical',
    });
  });

  it.each([undefined, '', '  '])('requires SLACK_WEBHOOK_PARAMETER (%j)', (value) => {
    const error = configError({ SLACK_WEBHOOK_PARAMETER: value });
    expect(error.variable).toBe('SLACK_WEBHOOK_PARAMETER');
    expect(error.message).toMatch(/^SLACK_WEBHOOK_PARAMETER: is required/);
  });

  it.each([WEBHOOK, 'hooks.slack.com/services/T0000000/B0000000/XXXXXXXX'])(
    'refuses the webhook URL itself without repeating it',
    (value) => {
      const error = configError({ SLACK_WEBHOOK_PARAMETER: value });
      expect(error.variable).toBe('SLACK_WEBHOOK_PARAMETER');
      expect(error.message).toContain('must be the name of the SSM parameter');
      expect(error.message).not.toContain('XXXXXXXX');
    },
  );

  it('refuses a value that is not a parameter name without repeating it', () => {
    const error = configError({ SLACK_WEBHOOK_PARAMETER: 'my secret value' });
    expect(error.message).toBe(
      'SLACK_WEBHOOK_PARAMETER: is not an SSM parameter name (letters, digits and _.-/, or a parameter ARN)',
    );
  });

  it('refuses an unknown severity, naming the variable', () => {
    const error = configError({ SLACK_WEBHOOK_PARAMETER: '/p', SLACK_MIN_SEVERITY: 'info' });
    expect(error.variable).toBe('SLACK_MIN_SEVERITY');
    expect(error.message).toContain('expected one of critical, error, warning');
  });
});
