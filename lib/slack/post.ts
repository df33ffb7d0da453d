import {
  type FetchFunction,
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
} from '@slack/webhook';
import { truncateText } from '../incidents/fit-lines.ts';
import type { SlackMessage } from '../incidents/format-slack.ts';
import { scrubSecrets } from '../text/scrub-secrets.ts';

/**
 * Posts a message to a Slack incoming webhook with `@slack/webhook`, and waits out rate limits.
 *
 * Why the retry loop is written here: `IncomingWebhook` (v8) treats every 4xx, 429 included, as
 * final and drops the response headers, so it cannot honour `Retry-After`. Slack answers a burst
 * (about one message per second per channel) with 429 and `Retry-After: <seconds>`. The loop
 * reads that header through the client's `fetch` hook, sleeps, and tries again, within a few
 * attempts and the caller's deadline (the Lambda timeout). Anything else fails at once: Lambda's
 * asynchronous retries (1 and 2 minutes later) then do better than waiting inside one invocation.
 *
 * The webhook URL is a credential: no error from here contains it.
 */

/** Attempts at most for one message, the first included. */
export const SLACK_MAX_ATTEMPTS = 3;
/** One HTTP request is abandoned after this long. */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;
/** The wait after a 429 without a usable `Retry-After` (Slack's "about one message per second"). */
export const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Slack's answer body quoted in an error at most (its answers are short codes: `invalid_blocks`). */
export const MAX_QUOTED_BODY_CHARS = 200;

/** Why a post failed. */
export const SlackPostFailures = [
  /** The parameter does not hold an https URL. */
  'invalid-url',
  /** No answer: DNS, connection, TLS or timeout. */
  'network',
  /** 429, and waiting for `Retry-After` would pass the deadline or the attempts are used up. */
  'rate-limited',
  /** 403, 404 or 410: the webhook was revoked, its channel archived or deleted (a rotated URL?). */
  'webhook-gone',
  /** Any other 4xx: Slack refused this message (`invalid_blocks`, `msg_too_long`, ...). */
  'rejected',
  /** 5xx. */
  'server',
] as const;

/** One of {@link SlackPostFailures}. */
export type SlackPostFailure = (typeof SlackPostFailures)[number];

/** A failed post. The message names the status and Slack's answer, never the webhook URL. */
export class SlackPostError extends Error {
  override readonly name = 'SlackPostError';
  readonly failure: SlackPostFailure;
  /** The HTTP status Slack answered with, when it answered. */
  readonly status: number | undefined;

  constructor(failure: SlackPostFailure, message: string, status?: number) {
    super(message);
    this.failure = failure;
    this.status = status;
  }
}

/** Waits `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** Options of {@link postToSlack}. */
export interface PostOptions {
  /** No wait is started that would end later than this, minus one request timeout (ms since the epoch). */
  deadlineMs: number;
  /** The HTTP client (default: the global `fetch`). */
  transport?: FetchFunction;
  /** Default: a timer. */
  sleep?: Sleep;
  /** Default: `Date.now`. */
  now?: () => number;
  /** Default {@link SLACK_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /** Default {@link SLACK_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
}

/** What a successful post took. */
export interface PostResult {
  attempts: number;
  /** Time spent waiting for `Retry-After`. */
  waitedMs: number;
}

const sleepWithTimer: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loopback hosts may be plain http: a local stand-in for Slack, nothing leaves the machine. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds (what Slack sends) or
 * an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; one in the past means no wait). `undefined` when
 * absent or unreadable (`Date.parse` alone would read `1.5` or `-1` as dates in 2001).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1_000);
  const dateMs = /GMT$/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

function checkUrl(webhookUrl: string): void {
  const url = URL.canParse(webhookUrl) ? new URL(webhookUrl) : undefined;
  const allowed =
    url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!allowed) {
    throw new SlackPostError('invalid-url', 'the Slack webhook parameter does not hold an https URL');
  }
}

/** `text` without the webhook URL or any other recognised secret, cut to a quotable length. */
function quote(text: string, webhookUrl: string): string {
  return truncateText(scrubSecrets(text.replaceAll(webhookUrl, '[webhook URL]')), MAX_QUOTED_BODY_CHARS);
}

/**
 * The {@link SlackPostError} for an error thrown by `IncomingWebhook.send`: classified by status,
 * with Slack's answer quoted (scrubbed, and without the webhook URL).
 */
export function toSlackPostError(error: unknown, webhookUrl: string): SlackPostError {
  if (error instanceof IncomingWebhookHTTPError) {
    const status = error.statusCode;
    const said = error.body.trim() || error.statusMessage || '(empty answer)';
    const answer = `Slack answered HTTP ${status}: ${quote(said, webhookUrl)}`;
    if (status === 429) return new SlackPostError('rate-limited', answer, status);
    if (status === 403 || status === 404 || status === 410) {
      return new SlackPostError('webhook-gone', `${answer} (webhook revoked or channel gone?)`, status);
    }
    return new SlackPostError(status >= 500 ? 'server' : 'rejected', answer, status);
  }
  if (error instanceof IncomingWebhookRequestError) {
    const cause = error.original.cause;
    const code =
      typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String(cause.code)})` : '';
    return new SlackPostError(
      'network',
      `could not reach Slack: ${quote(error.original.message, webhookUrl)}${code}`,
    );
  }
  // Not expected from the client; its text is not trusted to be free of the URL.
  return new SlackPostError(
    'network',
    `posting to Slack failed: ${error instanceof Error ? error.name : typeof error}`,
  );
}

/**
 * Posts `message` to the webhook. On 429 waits `Retry-After` (or {@link DEFAULT_RETRY_AFTER_MS})
 * and tries again, at most `maxAttempts` times in all and never past `deadlineMs`. Throws a
 * {@link SlackPostError} for anything else, and when the rate limit outlasts the attempts or the
 * deadline.
 */
export async function postToSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: PostOptions,
): Promise<PostResult> {
  checkUrl(webhookUrl);
  const transport = options.transport ?? globalThis.fetch;
  const sleep = options.sleep ?? sleepWithTimer;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? SLACK_MAX_ATTEMPTS;
  const timeout = options.requestTimeoutMs ?? SLACK_REQUEST_TIMEOUT_MS;
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    const seen: { retryAfter?: string | null } = {};
    const webhook = new IncomingWebhook(webhookUrl, {
      timeout,
      fetch: async (url, init) => {
        const response = await transport(url, init);
        seen.retryAfter = response.headers.get('retry-after');
        return response;
      },
    });
    try {
      await webhook.send(message);
      return { attempts: attempt, waitedMs };
    } catch (error) {
      const failure = toSlackPostError(error, webhookUrl);
      if (failure.failure !== 'rate-limited') throw failure;
      const delayMs = parseRetryAfter(seen.retryAfter, now()) ?? DEFAULT_RETRY_AFTER_MS;
      if (attempt >= maxAttempts) {
        throw new SlackPostError(
          'rate-limited',
          `${failure.message}; still rate limited after ${attempt} attempts`,
          429,
        );
      }
      if (now() + delayMs + timeout > options.deadlineMs) {
        throw new SlackPostError(
          'rate-limited',
          `${failure.message}; Retry-After ${Math.ceil(delayMs / 1_000)} s does not fit in the time left, so the invocation fails and is retried later`,
          429,
        );
      }
      await sleep(delayMs);
      waitedMs += delayMs;
    }
  }
}
