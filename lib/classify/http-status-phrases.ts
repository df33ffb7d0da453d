/**
 * HTTP statuses that a line states in words rather than in an access-log layout: a status phrase
 * (`500 Internal Server Error`), an SDK's report of a failed call (`An error occurred (404) when
 * calling the HeadObject operation`, `StatusCode: 400`, `Response status: 503`), a batch transform's
 * `ClientError: 413`, a model server's exception with the status last (`PredictionException: ... : 400`),
 * a JSON error body (`"code": 503`) and tagged metrics (`'http_status:500'`). Tried only when no
 * access-log layout matched (http.ts). Also reads an access log behind a `docker compose` prefix
 * (`algo-1-abcde | 172.18.0.1 - - [...] "GET /ping HTTP/1.1" 200 ...`).
 */
import { createKeywordMatcher } from '../text/keyword-matcher.ts';
import type { HttpInfo } from '../types.ts';

/** Status phrases of RFC 9110 that servers print beside the code, for 4xx and 5xx. */
const PHRASE =
  '(?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Request Timeout|Payload Too Large|Content Too Large|Unsupported Media Type|Unprocessable (?:Entity|Content)|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Timeout)';

const STATUS_IN_WORDS = new RegExp(
  [
    String.raw`(?:^|[\s>:])([45]\d\d) ${PHRASE}\b`,
    String.raw`An error occurred \(([1-5]\d\d)\) when calling`,
    String.raw`\bStatusCode: ([1-5]\d\d)\b`,
    String.raw`\bResponse status: ([1-5]\d\d)\b`,
    String.raw`\b(?:Client|Server)Error: ([45]\d\d)\s*$`,
    String.raw`\bPredictionException\b(?:(?!\bPredictionException\b)[^\n]){0,500}: ([45]\d\d)\s*$`,
    String.raw`"(?:code|status|statusCode)"\s?:\s?([45]\d\d)\b`,
    String.raw`\bhttp_status:([1-5]\d\d)\b`,
  ].join('|'),
  'm',
);

/**
 * Words one of which occurs in every text {@link STATUS_IN_WORDS} matches: one pass of the keyword
 * automaton spares most lines the pattern.
 */
export const STATUS_TRIGGER_WORDS: readonly string[] = [
  'bad request',
  'unauthorized',
  'forbidden',
  'not found',
  'not allowed',
  'request timeout',
  'too large',
  'media type',
  'unprocessable',
  'too many requests',
  'internal server error',
  'not implemented',
  'bad gateway',
  'service unavailable',
  'gateway timeout',
  'error occurred (',
  'statuscode: ',
  'response status: ',
  'error: ',
  'predictionexception',
  'code"',
  'status"',
  'http_status:',
];
const TRIGGERS = createKeywordMatcher(STATUS_TRIGGER_WORDS.map((keyword) => ({ keyword, label: 0 })));
const triggerMarks = new Uint8Array(1);

/** `docker compose` (SageMaker local mode) puts the container name and a bar before each line. */
const COMPOSE_PREFIX = /^[\w.-]{1,120} {1,10}\| /;

/**
 * The status a line states in words, if any.
 *
 * @example
 * parseStatusInWords('fatal error: An error occurred (404) when calling the HeadObject operation') // { status: 404 }
 *
 * @param triggered whether `text` holds one of {@link STATUS_TRIGGER_WORDS}, when the caller
 *   already scanned it; otherwise it is scanned here.
 */
export function parseStatusInWords(text: string, triggered?: boolean): HttpInfo | undefined {
  if (triggered === undefined) {
    triggerMarks[0] = 0;
    if (!TRIGGERS.mark(text, triggerMarks)) return undefined;
  } else if (!triggered) {
    return undefined;
  }
  const match = STATUS_IN_WORDS.exec(text);
  if (match === null) return undefined;
  for (let index = 1; index < match.length; index++) {
    const value = match[index];
    if (value !== undefined) return { status: Number(value) };
  }
  return undefined;
}

/** The line without a `docker compose` prefix, or `undefined` when it has none. */
export function stripComposePrefix(line: string): string | undefined {
  const match = COMPOSE_PREFIX.exec(line);
  return match === null ? undefined : line.slice(match[0].length);
}

/**
 * The regexes this module builds at load time and applies to log text, for the linear-time check
 * (test/helpers/redos-gate.ts, which finds the module's regex literals in its source).
 */
export const LOG_TEXT_PATTERNS: readonly RegExp[] = [STATUS_IN_WORDS];
