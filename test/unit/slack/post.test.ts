import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FetchFunction, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { describe, expect, it, vi } from 'vitest';
import { formatSlack, type SlackMessage } from '../../../lib/incidents/format-slack.ts';
import {
  DEFAULT_RETRY_AFTER_MS,
  MAX_QUOTED_BODY_CHARS,
  type PostOptions,
  parseRetryAfter,
  postToSlack,
  SLACK_REQUEST_TIMEOUT_MS,
  SlackPostError,
  toSlackPostError,
} from '../../../lib/slack/post.ts';
import { sampleIncident } from '../../helpers/slack-fixtures.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const NOW = 1_772_445_900_000;
const message: SlackMessage = formatSlack(sampleIncident());

interface Answer {
  status: number;
  body?: string;
  statusText?: string;
  headers?: Record<string, string>;
}

/** A transport answering each request with the next answer (or throwing), recording the requests. */
function scriptedTransport(answers: (Answer | Error)[]) {
  const requests: {
    url: string;
    method: string | undefined;
    headers: Record<string, string>;
    body: string;
  }[] = [];
  const transport = vi.fn<FetchFunction>(async (url, init) => {
    requests.push({
      url: String(url),
      method: init?.method,
      headers: init?.headers ?? {},
      body: String(init?.body),
    });
    const answer = answers.shift() ?? { status: 200, body: 'ok' };
    if (answer instanceof Error) throw answer;
    return new Response(answer.body ?? '', {
      status: answer.status,
      statusText: answer.statusText ?? '',
      headers: answer.headers ?? {},
    });
  });
  return { transport, requests };
}

/** Options with a fake clock that the fake sleep advances. */
function fakeTime(deadlineInMs = 27_000): Required<Pick<PostOptions, 'sleep' | 'now' | 'deadlineMs'>> & {
  slept: number[];
} {
  let clock = NOW;
  const slept: number[] = [];
  return {
    slept,
    deadlineMs: NOW + deadlineInMs,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  };
}

async function postError(promise: Promise<unknown>): Promise<SlackPostError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof SlackPostError) return error;
  throw new Error(`expected a SlackPostError, got ${String(error)}`);
}

describe('postToSlack', () => {
  it('posts the message as JSON once when Slack accepts it', async () => {
    const { transport, requests } = scriptedTransport([{ status: 200, body: 'ok' }]);
    const { slept, ...time } = fakeTime();
    await expect(postToSlack(WEBHOOK, message, { transport, ...time })).resolves.toEqual({
      attempts: 1,
      waitedMs: 0,
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe(WEBHOOK);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual(message);
    expect(slept).toEqual([]);
  });

  it('waits Retry-After seconds after a 429, then posts again', async () => {
    const { transport, requests } = scriptedTransport([
      { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } },
      { status: 200, body: 'ok' },
    ]);
    const { slept, ...time } = fakeTime();
    await expect(postToSlack(WEBHOOK, message, { transport, ...time })).resolves.toEqual({
      attempts: 2,
      waitedMs: 2_000,
    });
    expect(slept).toEqual([2_000]);
    expect(requests[1]?.body).toBe(requests[0]?.body);
  });

  it('waits the default second after a 429 without Retry-After', async () => {
    const { transport } = scriptedTransport([{ status: 429 }, { status: 200 }]);
    const { slept, ...time } = fakeTime();
    await postToSlack(WEBHOOK, message, { transport, ...time });
    expect(slept).toEqual([DEFAULT_RETRY_AFTER_MS]);
  });

  it('waits with a real timer when no sleep is given', async () => {
    const { transport } = scriptedTransport([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 200 },
    ]);
    await expect(
      postToSlack(WEBHOOK, message, { transport, deadlineMs: Date.now() + 60_000 }),
    ).resolves.toEqual({
      attempts: 2,
      waitedMs: 0,
    });
  });

  it('uses the global fetch by default and reads Retry-After from a real answer', async () => {
    const statuses = [429, 200];
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        bodies.push(Buffer.concat(parts).toString('utf8'));
        const status = statuses.shift() ?? 500;
        res
          .writeHead(status, status === 429 ? { 'Retry-After': '0' } : {})
          .end(status === 429 ? 'rate_limited' : 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await postToSlack(`http://127.0.0.1:${port}/services/T1/B1/x`, message, {
        deadlineMs: Date.now() + 60_000,
      });
      expect(result).toEqual({ attempts: 2, waitedMs: 0 });
      expect(bodies.map((body) => JSON.parse(body))).toEqual([message, message]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up, rate limited, after the last attempt', async () => {
    const limited = { status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } };
    const { transport } = scriptedTransport([limited, limited, limited, { status: 200 }]);
    const { slept, ...time } = fakeTime();
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...time, maxAttempts: 3 }));
    expect(error.failure).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(error.message).toBe('Slack answered HTTP 429: rate_limited; still rate limited after 3 attempts');
    expect(transport).toHaveBeenCalledTimes(3);
    expect(slept).toEqual([1_000, 1_000]);
  });

  it('does not start a wait that would end past the deadline', async () => {
    const { transport } = scriptedTransport([{ status: 429, headers: { 'Retry-After': '30' } }]);
    const { slept, ...time } = fakeTime(27_000);
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...time }));
    expect(error.failure).toBe('rate-limited');
    expect(error.message).toContain('Retry-After 30 s does not fit in the time left');
    expect(slept).toEqual([]);
    expect(transport).toHaveBeenCalledTimes(1);
  });

  it('counts one request timeout after the wait against the deadline', async () => {
    const wait = 27_000 - SLACK_REQUEST_TIMEOUT_MS;
    const ok = scriptedTransport([{ status: 429, headers: { 'Retry-After': String(wait / 1_000) } }]);
    await expect(
      postToSlack(WEBHOOK, message, { transport: ok.transport, ...fakeTime(27_000) }),
    ).resolves.toEqual({
      attempts: 2,
      waitedMs: wait,
    });
    const late = scriptedTransport([{ status: 429, headers: { 'Retry-After': String(wait / 1_000 + 1) } }]);
    const error = await postError(
      postToSlack(WEBHOOK, message, { transport: late.transport, ...fakeTime(27_000) }),
    );
    expect(error.failure).toBe('rate-limited');
  });

  it('fails at once on a server error, for Lambda to retry later', async () => {
    const { transport } = scriptedTransport([{ status: 500, body: 'internal_error' }, { status: 200 }]);
    const { slept, ...time } = fakeTime();
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...time }));
    expect(error).toMatchObject({ failure: 'server', status: 500, name: 'SlackPostError' });
    expect(error.message).toBe('Slack answered HTTP 500: internal_error');
    expect(transport).toHaveBeenCalledTimes(1);
    expect(slept).toEqual([]);
  });

  it('says what Slack refused in a message', async () => {
    const { transport } = scriptedTransport([{ status: 400, body: 'invalid_blocks' }]);
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...fakeTime() }));
    expect(error).toMatchObject({ failure: 'rejected', status: 400 });
    expect(error.message).toBe('Slack answered HTTP 400: invalid_blocks');
  });

  it.each([
    [403, 'invalid_token'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('calls HTTP %i (%s) a webhook that is gone', async (status, body) => {
    const { transport } = scriptedTransport([{ status, body }]);
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...fakeTime() }));
    expect(error).toMatchObject({ failure: 'webhook-gone', status });
    expect(error.message).toBe(`Slack answered HTTP ${status}: ${body} (webhook revoked or channel gone?)`);
  });

  it('quotes the status text when Slack sends no body, and never the URL or a long body', async () => {
    const empty = scriptedTransport([{ status: 502, statusText: 'Bad Gateway' }, { status: 502 }]);
    const bad = await postError(postToSlack(WEBHOOK, message, { transport: empty.transport, ...fakeTime() }));
    expect(bad.message).toBe('Slack answered HTTP 502: Bad Gateway');
    const bare = await postError(
      postToSlack(WEBHOOK, message, { transport: empty.transport, ...fakeTime() }),
    );
    expect(bare.message).toBe('Slack answered HTTP 502: (empty answer)');
    const echo = scriptedTransport([{ status: 400, body: `bad request to ${WEBHOOK} ${'x'.repeat(1_000)}` }]);
    const echoed = await postError(
      postToSlack(WEBHOOK, message, { transport: echo.transport, ...fakeTime() }),
    );
    expect(echoed.message).toContain('bad request to [webhook URL] xxx');
    expect(echoed.message).not.toContain('XXXXXXXX');
    expect(echoed.message.length).toBeLessThanOrEqual(
      'Slack answered HTTP 400: '.length + MAX_QUOTED_BODY_CHARS,
    );
  });

  it('reports a network failure with its code and without the URL', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    const { transport } = scriptedTransport([refused]);
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...fakeTime() }));
    expect(error).toMatchObject({ failure: 'network', status: undefined });
    expect(error.message).toBe('could not reach Slack: fetch failed (ECONNREFUSED)');
  });

  it('scrubs the URL from a network error that quotes it', async () => {
    const { transport } = scriptedTransport([new Error(`cannot resolve ${WEBHOOK}`)]);
    const error = await postError(postToSlack(WEBHOOK, message, { transport, ...fakeTime() }));
    expect(error.message).toBe('could not reach Slack: cannot resolve [webhook URL]');
  });

  it.each([
    ['not a URL', 'hooks slack com'],
    ['plain http to a remote host', 'http://hooks.slack.com/services/T0000000/B0000000/XXXXXXXX'],
    ['another scheme', 'ftp://hooks.slack.com/services/T0000000/B0000000/XXXXXXXX'],
  ])('refuses %s without sending or repeating it', async (_, url) => {
    const { transport } = scriptedTransport([]);
    const error = await postError(postToSlack(url, message, { transport, ...fakeTime() }));
    expect(error.failure).toBe('invalid-url');
    expect(error.message).toBe('the Slack webhook parameter does not hold an https URL');
    expect(transport).not.toHaveBeenCalled();
  });

  it.each(['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]:9/hook'])(
    'accepts plain http to the loopback host %s',
    async (url) => {
      const { transport, requests } = scriptedTransport([{ status: 200 }]);
      await postToSlack(url, message, { transport, ...fakeTime() });
      expect(requests[0]?.url).toBe(url);
    },
  );
});

describe('toSlackPostError', () => {
  it('classifies the client errors by status', () => {
    expect(
      toSlackPostError(new IncomingWebhookHTTPError(429, 'Too Many Requests', ''), WEBHOOK),
    ).toMatchObject({
      failure: 'rate-limited',
      message: 'Slack answered HTTP 429: Too Many Requests',
    });
    expect(toSlackPostError(new IncomingWebhookHTTPError(503, 'x', 'down'), WEBHOOK).failure).toBe('server');
  });

  it('leaves out the code of a network error without one', () => {
    const error = new IncomingWebhookRequestError(new Error('socket hang up'));
    expect(toSlackPostError(error, WEBHOOK).message).toBe('could not reach Slack: socket hang up');
  });

  it('names only the type of an unexpected error, whose text may hold the URL', () => {
    expect(toSlackPostError(new RangeError(`bad ${WEBHOOK}`), WEBHOOK)).toMatchObject({
      failure: 'network',
      message: 'posting to Slack failed: RangeError',
    });
    expect(toSlackPostError('boom', WEBHOOK).message).toBe('posting to Slack failed: string');
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2_000],
    [' 3 ', 3_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 02 Mar 2026 10:05:05 GMT', Date.parse('2026-03-02T10:05:05Z') - NOW],
    ['Mon, 02 Mar 2026 09:00:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([null, undefined, '', 'soon', '-1', 'Xyz GMT'])('does not read %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});
