import { describe, expect, it } from 'vitest';
import { formatSlack, SLACK_MAX_BLOCKS, type SlackMessage } from '../../../lib/incidents/format-slack.ts';
import { withMuteCommand } from '../../../lib/slack/mute-hint.ts';
import { toSlackMessage } from '../../../lib/slack/to-slack-message.ts';
import { sampleIncident } from '../../helpers/slack-fixtures.ts';

const COMMAND =
  'sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 2026-12-11 --parameter /sagewatch/prod/rules';

describe('withMuteCommand', () => {
  it('adds the command as a context line before the button', () => {
    const base = formatSlack(sampleIncident());
    expect(base.blocks.at(-1)?.type).toBe('actions');
    const muted = withMuteCommand(base, COMMAND);
    expect(muted.blocks).toHaveLength(base.blocks.length + 1);
    expect(muted.blocks.at(-2)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:mute: To mute it: \`${COMMAND}\`` }],
    });
    expect(muted.blocks.at(-1)?.type).toBe('actions');
    expect(base.blocks).toHaveLength(muted.blocks.length - 1);
  });

  it('appends at the end without a button; leaves a full message or an oversized command alone', () => {
    const { consoleUrl: _dropped, ...withoutLink } = sampleIncident();
    const noButton = formatSlack(withoutLink);
    expect(withMuteCommand(noButton, COMMAND).blocks.at(-1)?.type).toBe('context');
    const full: SlackMessage = {
      text: 't',
      blocks: Array.from({ length: SLACK_MAX_BLOCKS }, () => ({ type: 'context', elements: [] })),
    };
    expect(withMuteCommand(full, COMMAND)).toBe(full);
    expect(withMuteCommand(noButton, 'x'.repeat(2_000))).toBe(noButton);
  });

  it('toSlackMessage shows the command when given one', () => {
    const incident = sampleIncident({ severity: 'error' });
    const message = toSlackMessage(
      { kind: 'incident', incident },
      'warning',
      (fingerprint) => `mute ${fingerprint}`,
    );
    expect(JSON.stringify(message)).toContain(`mute ${incident.fingerprint}`);
  });
});
