import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  formatSlack,
  SLACK_FALLBACK_TEXT_MAX_CHARS,
  SLACK_FIELD_MAX_CHARS,
  SLACK_HEADER_MAX_CHARS,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_FIELDS,
  SLACK_SECTION_TEXT_MAX_CHARS,
  type SlackBlock,
  type SlackMessage,
} from '../../../lib/incidents/format-slack.ts';
import { makeIncident, T0 } from './build.ts';

function block<T extends SlackBlock['type']>(message: SlackMessage, type: T, nth = 0) {
  return message.blocks.filter((b) => b.type === type)[nth] as Extract<SlackBlock, { type: T }> | undefined;
}

describe('escapeMrkdwn', () => {
  it('escapes &, < and >', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });
});

describe('formatSlack', () => {
  it('builds header, fields, code block, context and button within Block Kit limits', () => {
    const message = formatSlack(makeIncident());
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(block(message, 'header')?.text).toEqual({
      type: 'plain_text',
      text: ':rotating_light: CUDA out of memory in training job my-job (algo-3)',
      emoji: true,
    });
    const fields = block(message, 'section')?.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(SLACK_MAX_FIELDS);
    expect(fields.map((f) => f.text)).toEqual([
      '*Resource*\ntraining job my-job',
      '*Host*\nmy-job/algo-3',
      '*Container*\n—',
      '*Category*\n`cuda_oom`',
      '*Severity*\ncritical',
      '*Count*\n2',
      `*First seen*\n<!date^${Math.floor(T0 / 1000)}^{date_short_pretty} {time_secs}|${new Date(T0).toISOString()}>`,
      `*Last seen*\n<!date^${Math.floor((T0 + 2000) / 1000)}^{date_short_pretty} {time_secs}|${new Date(T0 + 2000).toISOString()}>`,
    ]);
    expect(block(message, 'section', 1)?.text?.text).toBe(
      [
        '```',
        'Traceback (most recent call last):',
        '  File "/opt/ml/code/train.py", line 42, in &lt;module&gt;',
        '    loss.backward()',
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
        '```',
      ].join('\n'),
    );
    expect(block(message, 'context')?.elements).toEqual([
      { type: 'mrkdwn', text: 'Fingerprint `0123456789abcdef` · log stream `my-job/algo-3-1710913851`' },
    ]);
    expect(block(message, 'actions')?.elements[0]).toMatchObject({
      type: 'button',
      url: makeIncident().consoleUrl,
      action_id: 'open-log-stream',
    });
    expect(message.text).toBe(
      '[critical] CUDA out of memory in training job my-job (algo-3): torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    );
  });

  it('is accepted by @slack/webhook', () => {
    const args: IncomingWebhookSendArguments = formatSlack(makeIncident());
    expect(args.blocks).toHaveLength(5);
  });

  it('keeps the last exception line when the context is too long for one section', () => {
    const context = [
      ...Array.from({ length: 500 }, (_, i) => `  File "/x/${i}.py", line ${i}, in f <${'z'.repeat(80)}>`),
      'FinalError: a < b',
    ];
    const message = formatSlack(makeIncident({ context }));
    const code = block(message, 'section', 1)?.text?.text ?? '';
    expect(code.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT_MAX_CHARS);
    expect(code.endsWith('FinalError: a &lt; b\n```')).toBe(true);
    expect(code.startsWith('```\n  File "/x/0.py"')).toBe(true);
  });

  it('neutralises code fences inside the log and shows the headline when there is no context', () => {
    const message = formatSlack(makeIncident({ context: ['print("```")'] }));
    expect(block(message, 'section', 1)?.text?.text).toBe('```\nprint("`\u200b``")\n```');
    expect(block(formatSlack(makeIncident({ context: [] })), 'section', 1)?.text?.text).toBe(
      '```\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```',
    );
  });

  it('bounds header, fields and fallback text', () => {
    const long = 'x'.repeat(5_000);
    const message = formatSlack(
      makeIncident({
        title: long,
        headline: long,
        host: long,
        resourceName: long,
        container: long,
        logStream: long,
      }),
    );
    expect(block(message, 'header')?.text.text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX_CHARS);
    for (const field of block(message, 'section')?.fields ?? []) {
      expect(field.text.length).toBeLessThanOrEqual(SLACK_FIELD_MAX_CHARS);
    }
    expect(message.text.length).toBeLessThanOrEqual(SLACK_FALLBACK_TEXT_MAX_CHARS);
  });

  it('escapes mrkdwn in fields and fallback text', () => {
    const message = formatSlack(makeIncident({ host: 'a<b>&c', title: 'T <x>' }));
    expect(block(message, 'section')?.fields?.[1]?.text).toBe('*Host*\na&lt;b&gt;&amp;c');
    expect(message.text.startsWith('[critical] T &lt;x&gt;:')).toBe(true);
  });

  it('adds notes for suppressed occurrences and an open traceback; uses the instance as host', () => {
    const { host: _, ...incident } = makeIncident({
      suppressedBefore: 7,
      truncated: true,
      severity: 'warning',
    });
    const message = formatSlack(incident);
    expect(block(message, 'header')?.text.text.startsWith(':warning: ')).toBe(true);
    const fields = block(message, 'section')?.fields?.map((f) => f.text);
    expect(fields).toContain('*Host*\nalgo-3');
    const { instance: __, ...nowhere } = incident;
    expect(block(formatSlack(nowhere), 'section')?.fields?.[1]?.text).toBe('*Host*\n—');
    expect(fields).toContain('*Count*\n2 (+7 suppressed before)');
    expect(block(message, 'context')?.elements).toHaveLength(2);
  });

  it('leaves the button out without a usable link, and says unknown for a bad time', () => {
    const { consoleUrl: _, ...noLink } = makeIncident({ severity: 'error', firstSeenMs: Number.NaN });
    const message = formatSlack(noLink);
    expect(block(message, 'actions')).toBeUndefined();
    expect(block(message, 'header')?.text.text.startsWith(':red_circle: ')).toBe(true);
    expect(block(message, 'section')?.fields?.[6]?.text).toBe('*First seen*\nunknown');
    expect(
      block(formatSlack(makeIncident({ consoleUrl: 'javascript:alert(1)' })), 'actions'),
    ).toBeUndefined();
    expect(
      block(formatSlack(makeIncident({ consoleUrl: `https://x/${'a'.repeat(3_000)}` })), 'actions'),
    ).toBeUndefined();
  });
});
