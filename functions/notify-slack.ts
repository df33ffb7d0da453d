/**
 * notify-slack: subscribed to the alerts topic. Posts each incident (and each of sagewatch's own
 * CloudWatch alarms) to Slack as Block Kit through an incoming webhook whose URL is an SSM
 * SecureString. A message it cannot read, or a post Slack does not accept, fails the invocation:
 * SNS invokes asynchronously, so Lambda retries it and then keeps it in the dead-letter queue.
 * The webhook URL is a credential and is never logged.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { readOperatorRulesConfig, toMuteCommand } from '../lib/operator-rules/index.ts';
import { readNotifySlackConfig } from '../lib/slack/config.ts';
import { parseSnsMessage, readSnsRecords } from '../lib/slack/parse-sns-message.ts';
import { postToSlack, SlackPostError } from '../lib/slack/post.ts';
import { describeNotification, toSlackMessage } from '../lib/slack/to-slack-message.ts';

/** The webhook URL is read from SSM at most this often per container: a new URL applies within 5 min. */
const WEBHOOK_CACHE_SECONDS = 300;
/** Rate-limit waits end this long before the Lambda timeout, leaving time to fail cleanly. */
const SAFETY_MARGIN_MS = 3_000;

const config = readNotifySlackConfig(process.env);
const logger = new Logger({ serviceName: 'notify-slack' });
// Where the processor's mutes live, so each incident's message shows the command that mutes it.
const { source: rulesSource } = readOperatorRulesConfig(process.env);
const muteCommand = rulesSource
  ? (fingerprint: string) =>
      toMuteCommand(
        fingerprint,
        Date.now(),
        rulesSource.kind === 'parameter' ? { parameter: rulesSource.name } : { file: rulesSource.path },
      )
  : undefined;

async function lambdaHandler(event: unknown, context: Context): Promise<void> {
  // SNS hands Lambda one record per invocation; a loop keeps a hand-made event with more honest.
  for (const { messageId, message } of readSnsRecords(event)) {
    const notification = parseSnsMessage(message, messageId);
    const about = { messageId, ...describeNotification(notification) };
    const slackMessage = toSlackMessage(notification, config.minSeverity, muteCommand);
    if (slackMessage === undefined) {
      logger.info('below SLACK_MIN_SEVERITY, not posted', about);
      continue;
    }
    const webhookUrl = await getParameter(config.webhookParameter, {
      decrypt: true,
      maxAge: WEBHOOK_CACHE_SECONDS,
      throwOnMissing: true,
    });
    try {
      const deadlineMs = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS;
      const result = await postToSlack(webhookUrl, slackMessage, { deadlineMs });
      logger.info('posted to Slack', { ...about, ...result });
    } catch (error) {
      logger.error('Slack post failed', { ...about, error });
      // A revoked or rotated webhook: the retry reads the parameter afresh instead of the cache.
      if (error instanceof SlackPostError && error.failure === 'webhook-gone') clearCaches();
      throw error;
    }
  }
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger, { resetKeys: true }));
