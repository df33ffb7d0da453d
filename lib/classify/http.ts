/**
 * One HTTP request as the serving stacks on SageMaker log it: TorchServe and Multi Model Server
 * `ACCESS_LOG`, nginx/gunicorn/werkzeug combined logs, uvicorn, the Hugging Face TGI router, and the
 * client-side relays of a container's answer (`Received client error (424)`, Java SDK
 * `Status Code: 400`).
 */
import type { HttpInfo } from '../types.ts';
import { group } from './regex.ts';

/** What a request line says, beyond the {@link HttpInfo} a classification carries. */
export interface HttpRequestLine extends HttpInfo {
  method?: string;
  path?: string;
}

const IP = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])`;
const REQUEST = String.raw`"([A-Z]+) (\S+) HTTP/[\d.]+"`;
/** Fields a custom uvicorn access format puts between the client address and the `-`. */
const MAX_UVICORN_EXTRA_FIELDS = 2;

/** TorchServe / MMS: `/169.254.255.130:34664 "POST /invocations HTTP/1.1" 200 19` (last field: ms). */
const MODEL_SERVER_ACCESS = new RegExp(
  String.raw`(?:^|\s)/?${IP}:\d+ ${REQUEST} (\d{3}) (\d+(?:\.\d+)?)\s*$`,
);
/** nginx, gunicorn and werkzeug: `ip - - [time] "POST /invocations HTTP/1.1" 200 500` (bytes, not ms). */
const COMBINED_ACCESS = new RegExp(String.raw`^\S+ \S+ \S+ \[?\d[^\]"]*\]? ${REQUEST} (\d{3}) (?:\d+|-)`);
/**
 * uvicorn: `127.0.0.1:38412 - "POST /invocations HTTP/1.1" 200 OK`. The status is the token right after
 * the request line; a logger prefix may come before the client address (`uvicorn.access INFO:`, a
 * process tag), and a custom access format may add a field or two before the `-`.
 */
const UVICORN_ACCESS = new RegExp(
  String.raw`(?:^|\s)${IP}:\d+(?: [^\s"]+){0,${MAX_UVICORN_EXTRA_FIELDS}} - ${REQUEST} (\d{3})(?: [A-Za-z][\w-]*(?: +[\w-]+)*)?\s*$`,
);
/**
 * Relayed answers: `Received server error (500) from primary`, `Status Code: 400;`, and the batch
 * transform data log's `Bad HTTP status received from algorithm: 500`.
 */
const RELAYED_STATUS =
  /Received (?:client|server) error \((\d{3})\)|\bStatus Code: (\d{3});|Bad HTTP status received from algorithm: (\d{3})\b/;
/** TGI router success line (text or JSON); the request took `total_time`. */
const TGI_SUCCESS = /(?::\s*Success\s*$|"message"\s*:\s*"Success")/m;
const TGI_ROUTER = /text_generation_router|total_time|inference_time|queue_time/;
const TGI_TOTAL_TIME = /total_time"?\s*[=:]\s*"([\d.]+)\s*(ns|µs|us|ms|s)"/;

/** Converts a Rust `Duration` print (`ns`, `µs`/`us`, `ms`, `s`) to milliseconds. */
function toMilliseconds(value: number, unit: string): number {
  if (unit === 's') return value * 1000;
  if (unit === 'ms') return value;
  return unit === 'ns' ? value / 1e6 : value / 1e3;
}

/** HTTP status codes are three digits from 100 to 599; `(0)` means no answer at all. */
function isStatus(status: number): boolean {
  return status >= 100 && status <= 599;
}

function fromRequest(match: RegExpExecArray, latency?: string): HttpRequestLine | undefined {
  const status = Number(match[3]);
  if (!isStatus(status)) return undefined;
  const request: HttpRequestLine = { status, method: group(match, 1), path: group(match, 2) };
  if (latency !== undefined) request.latencyMs = Number(latency);
  return request;
}

/**
 * Finds the one HTTP request a log message is about, if it is about exactly one.
 *
 * @param text - the normalised message text (see `normalizeMessage`)
 * @param lines - the message's body lines, logger prefixes removed
 * @example
 * parseHttpRequest('...', ['/10.32.0.2:52222 "GET /ping HTTP/1.1" 200 22'])
 * // { status: 200, latencyMs: 22, method: 'GET', path: '/ping' }
 */
export function parseHttpRequest(text: string, lines: readonly string[]): HttpRequestLine | undefined {
  for (const line of lines) {
    if (!line.includes('HTTP/')) continue;
    const modelServer = MODEL_SERVER_ACCESS.exec(line);
    if (modelServer) return fromRequest(modelServer, modelServer[4]);
    const combined = COMBINED_ACCESS.exec(line) ?? UVICORN_ACCESS.exec(line);
    if (combined) return fromRequest(combined);
  }
  const relayed = RELAYED_STATUS.exec(text);
  if (relayed) {
    const status = Number(relayed[1] ?? relayed[2] ?? relayed[3]);
    return isStatus(status) ? { status } : undefined;
  }
  if (!TGI_SUCCESS.test(text) || !TGI_ROUTER.test(text)) return undefined;
  // TGI logs only successes per request; its HTTP status is 200 by construction.
  const total = TGI_TOTAL_TIME.exec(text);
  if (!total) return { status: 200 };
  return { status: 200, latencyMs: toMilliseconds(Number(total[1]), group(total, 2)) };
}

/**
 * The regexes this module builds at load time and applies to log text, for the linear-time check
 * (test/helpers/redos-gate.ts, which finds the module's regex literals in its source).
 */
export const LOG_TEXT_PATTERNS: readonly RegExp[] = [MODEL_SERVER_ACCESS, COMBINED_ACCESS, UVICORN_ACCESS];
