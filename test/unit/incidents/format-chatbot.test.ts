import { describe, expect, it } from 'vitest';
import { CHATBOT_DESCRIPTION_MAX_CHARS, formatChatbot } from '../../../lib/incidents/format-chatbot.ts';
import { makeIncident, T0 } from './build.ts';

describe('formatChatbot', () => {
  it('builds a custom notification Chatbot renders, threaded by fingerprint', () => {
    const notification = formatChatbot(makeIncident());
    expect(notification).toMatchObject({
      version: '1.0',
      source: 'custom',
      id: `0123456789abcdef-${T0}`,
      content: {
        textType: 'client-markdown',
        title: 'CRITICAL: CUDA out of memory in training job my-job (algo-3)',
        keywords: ['critical', 'cuda_oom', 'TrainingJob'],
        nextSteps: [`Open the log stream: ${makeIncident().consoleUrl}`],
      },
      metadata: {
        threadId: '0123456789abcdef',
        eventType: 'sagewatch.incident',
        relatedResources: ['my-job'],
        additionalContext: { fingerprint: '0123456789abcdef', logStream: 'my-job/algo-3-1710913851' },
      },
    });
    const { description } = notification.content;
    expect(description.startsWith('torch.OutOfMemoryError: CUDA out of memory.')).toBe(true);
    expect(description).toContain('*Where:* training job my-job · my-job/algo-3');
    expect(description).toContain('*Count:* 2 (first ');
    expect(description).toContain('in &lt;module&gt;');
    expect(description.endsWith('Tried to allocate 2.00 GiB\n```')).toBe(true);
  });

  it('keeps the description bounded, and drops the code block when the headline fills it', () => {
    const context = Array.from({ length: 100 }, (_, i) => `line ${i} ${'w'.repeat(200)}`);
    expect(formatChatbot(makeIncident({ context })).content.description.length).toBeLessThanOrEqual(
      CHATBOT_DESCRIPTION_MAX_CHARS,
    );
    const huge = formatChatbot(makeIncident({ headline: 'h'.repeat(3_000) })).content.description;
    expect(huge.length).toBeLessThanOrEqual(CHATBOT_DESCRIPTION_MAX_CHARS);
    expect(huge).not.toContain('```');
  });

  it('has no next steps without a link and no related resource without a name', () => {
    const { consoleUrl: _, resourceName: __, host: ___, ...incident } = makeIncident({ context: [] });
    const notification = formatChatbot(incident);
    expect(notification.content).not.toHaveProperty('nextSteps');
    expect(notification.metadata.relatedResources).toEqual([]);
    expect(notification.content.description).not.toContain('```');
  });
});
