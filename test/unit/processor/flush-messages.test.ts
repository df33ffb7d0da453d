import { describe, expect, it, vi } from 'vitest';
import { handleFlushMessages, isFlushEvent } from '../../../lib/processor/flush-messages.ts';
import type { FlushRequest, HeldFlusher } from '../../../lib/processor/held-tails.ts';

const NOW = Date.UTC(2026, 2, 2, 10, 30, 0);
const REQUEST: FlushRequest = {
  streamKey: '/aws/sagemaker/TrainingJobs|job/algo-1-1764148443',
  occurrenceKey: 'occurrence-1',
  owner: '123456789012',
  logGroup: '/aws/sagemaker/TrainingJobs',
  logStream: 'job/algo-1-1764148443',
};

function logSpy() {
  return { info: vi.fn(), error: vi.fn() };
}

describe('isFlushEvent', () => {
  it('is true for a batch of SQS records only', () => {
    expect(isFlushEvent({ Records: [{ eventSource: 'aws:sqs', messageId: 'm', body: '{}' }] })).toBe(true);
    expect(isFlushEvent({ Records: [{ eventSource: 'aws:sqs' }, { eventSource: 'aws:sns' }] })).toBe(false);
    expect(isFlushEvent({ Records: [null] })).toBe(false);
    expect(isFlushEvent({ awslogs: { data: '' } })).toBe(false);
    expect(isFlushEvent(null)).toBe(false);
    expect(isFlushEvent(undefined)).toBe(false);
  });
});

describe('handleFlushMessages', () => {
  it('flushes each request at the clock’s time and reports only the failed messages', async () => {
    const body = JSON.stringify(REQUEST);
    const flushHeld = vi.fn<HeldFlusher>(async (request) => {
      if (request.occurrenceKey === 'boom') throw new Error('table unavailable');
      if (request.occurrenceKey === 'taken') return undefined;
      return { sent: [{}, {}] } as unknown as Awaited<ReturnType<HeldFlusher>>;
    });
    const log = logSpy();

    const result = await handleFlushMessages(
      [
        { messageId: 'ok', body },
        { messageId: 'garbage', body: 'not json' },
        { messageId: 'failing', body: JSON.stringify({ ...REQUEST, occurrenceKey: 'boom' }) },
        { messageId: 'taken', body: JSON.stringify({ ...REQUEST, occurrenceKey: 'taken' }) },
      ],
      flushHeld,
      log,
      () => NOW,
    );

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'garbage' }, { itemIdentifier: 'failing' }],
    });
    expect(flushHeld).toHaveBeenCalledTimes(3);
    expect(flushHeld.mock.calls.every(([, nowMs]) => nowMs === NOW)).toBe(true);
    expect(log.error).toHaveBeenCalledWith('not a flush request', { messageId: 'garbage' });
    expect(log.error).toHaveBeenCalledWith('flush failed', {
      messageId: 'failing',
      error: 'table unavailable',
    });
    expect(log.info).toHaveBeenCalledWith('held traceback flushed', {
      logGroup: REQUEST.logGroup,
      logStream: REQUEST.logStream,
      completedBefore: false,
      sent: 2,
    });
    expect(log.info).toHaveBeenCalledWith('held traceback flushed', {
      logGroup: REQUEST.logGroup,
      logStream: REQUEST.logStream,
      completedBefore: true,
      sent: 0,
    });
  });

  it('an empty batch fails nothing', async () => {
    const flushHeld = vi.fn<HeldFlusher>();
    expect(await handleFlushMessages([], flushHeld, logSpy())).toEqual({ batchItemFailures: [] });
    expect(flushHeld).not.toHaveBeenCalled();
  });
});
