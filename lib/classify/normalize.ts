/**
 * Turns one CloudWatch log message, in whatever shape it arrived, into text that rules can match once:
 * CloudWatch's octal escapes decoded, ANSI colours removed, copy/export wrappers (CSV export rows,
 * console copies, `aws logs tail`, table output) and MPI rank prefixes stripped. It also finds the
 * logger's level and the message body behind the logger's own prefix, line by line.
 */

import { decodeEscapes, matchRankPrefix } from '../text/decode-line.ts';
import { group } from './regex.ts';

/** Log levels as the classifier understands them. */
export const LogLevels = ['error', 'warning', 'info', 'debug'] as const;

/** One of {@link LogLevels}. */
export type LogLevel = (typeof LogLevels)[number];

/** A log message after {@link normalizeMessage}. */
export interface NormalizedMessage {
  /**
   * The message with escapes decoded and copy wrappers removed, lines joined by `\n`. The logger's own
   * prefix (level, logger name) is kept, because some rules need it (`s3transfer.tasks DEBUG ...`).
   */
  text: string;
  /** Each line's body: {@link text}'s lines with the logger prefix (timestamp, level, logger) removed. */
  lines: readonly string[];
  /** The level the logger gave the first line that names one; absent when none does. */
  level?: LogLevel;
}

/** CloudWatch console CSV export: `timestamp,"message",logStreamName` with `""` for a quote. */
const CSV_EXPORT_QUOTED = /^\d{13},"((?:[^"]|"")*)",[^,\n]*$/s;
/** The same export when the message needed no quoting. */
const CSV_EXPORT_BARE = /^\d{13},(.*),[\w.-]+(?:\/[\w.-]+)+$/s;
/** Table output (`aws logs ... --output table`): `| 1584806924672 | message | stream |`. */
// The message ends in a non-blank character (or is empty): its trailing blanks then go to `\s*`
// in one way only, rather than in every split of a long run of blanks.
const TABLE_ROW = /^\|\s*\d{13}\s*\|\s?((?:.*?\S)?)\s*\|(?:\s*[\w./-]+\s*\|)?\s*$/;
/** A timestamp at the start of a line, written by an ingestion copy or by the logger itself. */
const TIMESTAMP = String.raw`\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:\s?(?:Z|[+-]\d\d:?\d\d|UTC))?`;
const LEADING_TIMESTAMP = new RegExp(
  // log4j's short layout (Spark): 20/05/04 09:41:20
  String.raw`^(?:\[${TIMESTAMP}\]|${TIMESTAMP}|\d\d/\d\d/\d\d \d\d:\d\d:\d\d)(?:\s*\|\s*|:(?=\[)|:\s+|\s+|(?=\S))`,
);
/** `aws logs tail` puts the stream name after the timestamp: `job/algo-1-1699307977 message`. */
const TAIL_STREAM_NAME = /^[\w.-]+\/(?:algo-\d+(?:-\d+)?|i-[0-9a-f]{8,}|[\w.-]*-\d{10})\s+/;

const LEVEL_WORDS: Readonly<Record<string, LogLevel>> = {
  trace: 'debug',
  debug: 'debug',
  d: 'debug',
  info: 'info',
  i: 'info',
  notice: 'info',
  warn: 'warning',
  warning: 'warning',
  w: 'warning',
  error: 'error',
  err: 'error',
  e: 'error',
  crit: 'error',
  critical: 'error',
  fatal: 'error',
  f: 'error',
  severe: 'error',
  alert: 'error',
  emerg: 'error',
};

const LEVEL = '(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|SEVERE)';
const LEVEL_ANY_CASE =
  '(trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|severe|alert|emerg)';

/**
 * Logger prefixes, tried in order at the start of a line; group 1 is the level (or undefined), the
 * whole match is removed. A line may carry several (a TorchServe line wrapping a Python log line).
 */
const LOGGER_PREFIXES: readonly RegExp[] = [
  // Batch transform data log: [sagemaker logs]: bucket/key: message
  /^\[sagemaker logs\]:\s*(?:[^\s:][^\s:/]*\/[^\s:]*:\s?)?()/,
  // XGBoost and scikit-learn containers: [2020-06-05:09:20:36:INFO]
  new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\d:\\d\\d:\\d\\d:\\d\\d:${LEVEL}\\]\\s*`),
  // Hugging Face transformers: [WARNING|modeling_utils.py:1234] 2021-06-01 10:00:00,000 >>
  new RegExp(`^\\[${LEVEL}\\|[\\w.]+:\\d+\\]\\s*(?:${TIMESTAMP}\\s*)?>>\\s*`),
  // Hugging Face example scripts: 06/01/2021 10:00:00 - INFO - __main__ -
  new RegExp(`^\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d - ${LEVEL} - [\\w.]+ -\\s+`),
  // Built-in algorithms: [05/10/2024 23:09:50 INFO 140087617984320]
  new RegExp(`^\\[\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d ${LEVEL} \\d+(?: [\\w.]+:\\d+)?\\]\\s*`),
  // smdebug: [2020-08-11 09:58:34.838 ip-10-0-1-2.ec2.internal:22 INFO state_store.py:67]
  new RegExp(`^\\[${TIMESTAMP} \\S+ ${LEVEL} [\\w.-]+:\\d+\\]\\s*`),
  // glog / c10 / TF C++: [E602 11:17:52.18 ProcessGroupNCCL.cpp:632], E0711 12:00:00.1 140 f.cc:12], W tensorflow/x.cc:9]
  /^\[?([IWEF])(?:\d{3,4}\s+\d\d:\d\d:\d\d\.\d+(?:\s+\d+)?)?\s+[\w./-]+:\d+\]\s*/,
  // vLLM: ERROR 03-31 15:19:44 [async_llm_engine.py:68]
  new RegExp(`^${LEVEL} \\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[[\\w.]+:\\d+\\]\\s*`),
  // TorchServe / MMS / DJL worker channels: the outer level says nothing about stdout/stderr content.
  /^\[(?:[A-Z]+)\s*\]\s+(?:\S+-std(?:out|err)\s+[\w.$]+|\S+\s+MODEL_LOG)\s+-\s+()/,
  // TorchServe / MMS / DJL: [INFO ] W-9003-model_1 ACCESS_LOG - ...; [WARN ] PyProcess - ...
  new RegExp(`^\\[${LEVEL}\\s*\\]\\s+(?:\\S+\\s+)?[\\w.$]+\\s+-\\s+`),
  // DJL Python stderr/stdout relay: W-167-qwen-vl-stderr:
  /^W-\d+-\S*-std(?:out|err):\s*()/,
  // nginx error log: [error] 55#55: *754210
  new RegExp(`^\\[${LEVEL_ANY_CASE}\\]\\s+\\d+#\\d+:\\s+(?:\\*\\d+\\s+)?`, 'i'),
  // gunicorn: [45] [CRITICAL]; nginx/libevent: [warn]
  new RegExp(`^(?:\\[\\d+\\]\\s+)?\\[${LEVEL_ANY_CASE}\\]\\s*`, 'i'),
  // LightGBM: [LightGBM] [Warning]
  new RegExp(`^\\[LightGBM\\]\\s+\\[${LEVEL_ANY_CASE}\\]\\s*`, 'i'),
  // Python logging basicConfig / uvicorn: INFO:root:, WARNING:tensorflow:, INFO:     127.0.0.1
  new RegExp(`^${LEVEL}:(?:[\\w.<>-]+:|\\s+)`),
  // Python logging: "name LEVEL message" (sagemaker-training-toolkit INFO     Reporting ...)
  new RegExp(`^[\\w.-]+\\s+${LEVEL}\\s+`),
  // Python logging: "- name - LEVEL - func:line - message" and "- thread - name - LEVEL - message"
  new RegExp(`^-?\\s*(?:[\\w.-]+\\s+-\\s+){1,2}${LEVEL}\\s+-\\s+(?:[\\w.]+:\\d+\\s+-\\s+)?`),
  // "LEVEL - name - message", log4j "LEVEL  Class:54 - message", "LEVEL Class: message"
  new RegExp(`^${LEVEL}\\s*(?:-\\s*[\\w.]+\\s*-|\\s[\\w.$]+(?::\\d+)?\\s+-|\\s[\\w.$]+:(?=\\s))\\s*`),
  // torch elastic: "torch.distributed.elastic.multiprocessing.api: [ERROR] failed"
  new RegExp(`^[\\w.]+:\\s+\\[${LEVEL}\\]\\s*`),
  // A bare level word: TGI "ERROR text_generation_launcher: ...", XGBoost "WARNING: ...".
  new RegExp(`^${LEVEL}(?::\\s*|\\s+)`),
];

/**
 * {@link LOGGER_PREFIXES} as one anchored alternation, each in its own flags: alternatives are
 * tried in order and the first that matches wins, as when trying the prefixes one by one; group
 * `i + 1` is prefix `i`'s group. One regex call instead of up to twenty per pass.
 */
const ANY_LOGGER_PREFIX = new RegExp(
  `^(?:${LOGGER_PREFIXES.map(
    (prefix) => `(?${prefix.ignoreCase ? 'i' : ''}:${prefix.source.replace(/^\^/, '')})`,
  ).join('|')})`,
);

/** XGBoost and MXNet prefix native messages with a wall-clock time: `[00:24:30] `. */
const CLOCK_PREFIX = /^\[\d\d:\d\d:\d\d\]\s*/;
/** The most prefixes one line can plausibly carry (ingestion copy + logger + nested logger). */
const MAX_PREFIX_PASSES = 6;
/** TGI's JSON log lines carry the level as a field. */
const JSON_LEVEL = /^(?:\{.*?)?"level"\s*:\s*"(\w+)"/;

/**
 * Decodes CloudWatch's `#NNN` octal escapes and drops ANSI colour sequences and backspaces: the
 * shared decoder ({@link decodeEscapes}), under the name the classifier's callers know.
 *
 * @example
 * decodeCloudWatchEscapes('[0]#011train-rmse:1.2') // '[0]\ttrain-rmse:1.2'
 */
export const decodeCloudWatchEscapes: (message: string) => string = decodeEscapes;

const OPEN_BRACKET = 0x5b;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PIPE = 0x7c;

function isDigitCode(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** Timestamps, clock prefixes and rank tags start with `[` or a digit; most lines do neither. */
function startsWithBracketOrDigit(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === OPEN_BRACKET || isDigitCode(first);
}

/** A stream name (`aws logs tail`) starts with a word character, `.` or `-`, and holds a `/`. */
const STREAM_NAME_START = /^[\w.-]/;

/** Removes a whole-message export wrapper (CSV export row, table row). */
function unwrapExport(message: string): string {
  // CSV rows start with the 13-digit timestamp, table rows with `|`.
  const first = message.charCodeAt(0);
  if (first === PIPE) {
    const table = TABLE_ROW.exec(message);
    return table ? group(table, 1) : message;
  }
  if (!isDigitCode(first)) return message;
  const quoted = CSV_EXPORT_QUOTED.exec(message);
  if (quoted) return group(quoted, 1).replaceAll('""', '"');
  const bare = CSV_EXPORT_BARE.exec(message);
  return bare ? group(bare, 1) : message;
}

/** Strips copy wrappers from one line: ingestion timestamps, stream names, rank and data-log tags. */
function unwrapLine(line: string): string {
  let current = line.trimEnd();
  for (let pass = 0; pass < MAX_PREFIX_PASSES; pass++) {
    // Each wrapper is tried only where it can start (see the patterns).
    let next = current;
    if (startsWithBracketOrDigit(next)) next = next.replace(LEADING_TIMESTAMP, '');
    if (STREAM_NAME_START.test(next) && next.includes('/')) next = next.replace(TAIL_STREAM_NAME, '');
    const rank = matchRankPrefix(next);
    if (rank) next = next.slice(rank.length);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Strips the logger's own prefixes from one unwrapped line, reporting the innermost level named. */
function stripLoggerPrefix(line: string): { body: string; level: LogLevel | undefined; known: boolean } {
  let body = line;
  let level: LogLevel | undefined;
  let known = false;
  for (let pass = 0; pass < MAX_PREFIX_PASSES; pass++) {
    const before = body;
    body = body.trimStart();
    // Both start with `[` or a digit.
    if (startsWithBracketOrDigit(body)) body = body.replace(LEADING_TIMESTAMP, '').replace(CLOCK_PREFIX, '');
    const match = ANY_LOGGER_PREFIX.exec(body);
    if (match) {
      let prefix = 1;
      while (match[prefix] === undefined) prefix++;
      const word = match[prefix];
      // An empty group marks a channel whose outer level is meaningless (stdout/stderr relays).
      level = word ? LEVEL_WORDS[word.toLowerCase()] : undefined;
      known = true;
      body = body.slice(match[0].length);
    }
    if (body === before) break;
  }
  // A JSON level needs the `"level"` key.
  const json = body.includes('"level"') ? JSON_LEVEL.exec(body) : null;
  if (json) {
    level = LEVEL_WORDS[group(json, 1).toLowerCase()];
    known = true;
  }
  return { body, level, known };
}

/** {@link normalizeMessage} of a message that is one line: no lists to build and join. */
function normalizeLine(rawLine: string): NormalizedMessage {
  const line = unwrapLine(rawLine);
  if (line.trim() === '') return { text: '', lines: [] };
  const stripped = stripLoggerPrefix(line);
  const normalized: NormalizedMessage = { text: line, lines: [stripped.body] };
  if (stripped.known && stripped.level) normalized.level = stripped.level;
  return normalized;
}

/**
 * Normalises one log message for classification. Never throws.
 *
 * @example
 * normalizeMessage('[1,mpirank:0,algo-1]<stdout>:WARNING:root:low disk').level // 'warning'
 */
export function normalizeMessage(message: string): NormalizedMessage {
  const decoded = decodeCloudWatchEscapes(unwrapExport(message));
  // Splitting on a string is much cheaper than on a regex, and enough without carriage returns.
  const rawLines = decoded.includes('\r') ? decoded.split(/\r\n|\r|\n/) : decoded.split('\n');
  if (rawLines.length === 1) return normalizeLine(rawLines[0] as string);
  const textLines: string[] = [];
  const bodies: string[] = [];
  let level: LogLevel | undefined;
  let levelSeen = false;
  for (const rawLine of rawLines) {
    const line = unwrapLine(rawLine);
    if (line.trim() === '') continue;
    textLines.push(line);
    const stripped = stripLoggerPrefix(line);
    bodies.push(stripped.body);
    if (!levelSeen && stripped.known) {
      levelSeen = true;
      level = stripped.level;
    }
  }
  const normalized: NormalizedMessage = { text: textLines.join('\n'), lines: bodies };
  if (level) normalized.level = level;
  return normalized;
}

/**
 * The regexes this module builds at load time and applies to log text, for the linear-time check
 * (test/helpers/redos-gate.ts, which finds the module's regex literals in its source). The logger
 * prefixes stand for their alternation `ANY_LOGGER_PREFIX`: tried at one position, an alternation
 * costs the sum of its alternatives.
 */
export const LOG_TEXT_PATTERNS: readonly RegExp[] = [LEADING_TIMESTAMP, ...LOGGER_PREFIXES];
