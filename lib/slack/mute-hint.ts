import type { SlackMessage } from '../incidents/format-slack.ts';
import { SLACK_CONTEXT_TEXT_MAX_CHARS, SLACK_MAX_BLOCKS } from '../incidents/format-slack.ts';

/**
 * The message with one more context line: the command that mutes this incident
 * (`sagewatch mute --fingerprint … --until …`), in code style so it copies cleanly. Placed before
 * the button when there is one. A message already at Slack's block limit is left as it is.
 */
export function withMuteCommand(message: SlackMessage, command: string): SlackMessage {
  if (message.blocks.length >= SLACK_MAX_BLOCKS || command.length + 20 > SLACK_CONTEXT_TEXT_MAX_CHARS)
    return message;
  const blocks = [...message.blocks];
  const at = blocks.at(-1)?.type === 'actions' ? blocks.length - 1 : blocks.length;
  blocks.splice(at, 0, {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `:mute: To mute it: \`${command}\`` }],
  });
  return { ...message, blocks };
}
