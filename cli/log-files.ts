/**
 * Log events from files, for `sagewatch replay` and `sagewatch classify`. Formats:
 *
 * - `jsonl`: one JSON object per line: a log event (`timestamp`, `message`, optionally
 *   `logStreamName`, `logGroupName`, `eventId`; Logs Insights' `@timestamp`/`@message`/`@logStream`/
 *   `@log` too), a subscription payload (`{"awslogs":{"data":…}}`, e.g. from the dead-letter queue),
 *   or a decoded delivery (`logGroup`, `logStream`, `logEvents`). A whole JSON document is read the
 *   same way: an array of those, or the output of `aws logs filter-log-events` / `get-log-events`
 *   (`{"events":[…]}`).
 * - `csv`: the CloudWatch console's CSV export, with a header row naming the columns
 *   (`timestamp,message,logStreamName`, or Insights' `@timestamp,@message,@logStream,@log`).
 * - `tail`: `aws logs tail` output, `2023-11-07T11:49:54.665000+00:00 <stream> <message>`
 *   (`--format detailed`, the default) or `2023-11-07T11:49:54 <message>` (`--format short`);
 *   lines that do not start with a timestamp continue the previous message.
 *
 * A line that cannot be read is a problem reported with its line number, never an exception.
 */
import { decodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { parseCsv } from './csv.ts';
import { parseIsoTimestamp, parseTimestamp } from './time.ts';

/** The file formats sagewatch reads. */
export const LogFileFormats = ['jsonl', 'csv', 'tail'] as const;

/** One of {@link LogFileFormats}. */
export type LogFileFormat = (typeof LogFileFormats)[number];

/** A log event read from a file; group and stream are absent when the format does not carry them. */
export interface FileLogEvent {
  timestamp: number;
  message: string;
  logGroup?: string;
  logStream?: string;
  id?: string;
}

/** A line (or JSON item) that could not be read. */
export interface LineProblem {
  /** 1-based line number, or item number for a whole JSON document. */
  line: number;
  problem: string;
}

/** The events of one file, in file order, and what could not be read. */
export interface ParsedLogFile {
  format: LogFileFormat;
  events: FileLogEvent[];
  problems: LineProblem[];
}

/** Timestamps below this are epoch seconds (this is March 1973 in milliseconds). */
const SECONDS_LIMIT = 1e11;

const TAIL_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:\d{2})? (.*)$/s;

/** An Insights `@log` value is `account-id:log-group-name`. */
const ACCOUNT_PREFIX = /^\d{12}:/;

const CSV_COLUMNS = {
  timestamp: ['timestamp'],
  message: ['message'],
  logStream: ['logstreamname', 'logstream'],
  logGroup: ['loggroupname', 'loggroup', 'log'],
  id: ['eventid', 'id'],
} as const;

type Column = keyof typeof CSV_COLUMNS;

/** Lower case without a leading `@`: the key forms of the CLI, the API and Logs Insights meet. */
const normaliseKey = (key: string): string => key.trim().replace(/^@/, '').toLowerCase();

function columnOf(header: string): Column | undefined {
  const key = normaliseKey(header);
  for (const [column, names] of Object.entries(CSV_COLUMNS) as [Column, readonly string[]][]) {
    if (names.includes(key)) return column;
  }
  return undefined;
}

/**
 * Guesses the format from the first non-blank line; `undefined` when it matches none (the caller
 * then asks for `--format`).
 */
export function detectLogFileFormat(text: string): LogFileFormat | undefined {
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  const trimmed = first.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'jsonl';
  if (TAIL_LINE.test(trimmed)) return 'tail';
  const headers = parseCsv(first).records[0]?.fields.map(columnOf) ?? [];
  if (headers.includes('timestamp') && headers.includes('message')) return 'csv';
  return undefined;
}

function readTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value === 'string') return parseTimestamp(value);
  return undefined;
}

const stripAccount = (group: string): string => group.replace(ACCOUNT_PREFIX, '');

function stringField(fields: ReadonlyMap<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = fields.get(name);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** One JSON log event object (any of the key forms) to an event, or the problem with it. */
function toEvent(item: Record<string, unknown>, defaults: Partial<FileLogEvent>): FileLogEvent | string {
  const fields = new Map(Object.entries(item).map(([key, value]) => [normaliseKey(key), value]));
  const message = fields.get('message');
  if (typeof message !== 'string') return 'no string "message"';
  const timestamp = readTimestamp(fields.get('timestamp'));
  if (timestamp === undefined) return 'no usable "timestamp" (epoch milliseconds or ISO 8601)';
  const event: FileLogEvent = { timestamp, message };
  const group = stringField(fields, 'loggroupname', 'loggroup', 'log') ?? defaults.logGroup;
  if (group !== undefined) event.logGroup = stripAccount(group);
  const stream = stringField(fields, 'logstreamname', 'logstream') ?? defaults.logStream;
  if (stream !== undefined) event.logStream = stream;
  const id = fields.get('eventid') ?? fields.get('id');
  if (typeof id === 'string' && id !== '') event.id = id;
  return event;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One JSON item: an event, a subscription payload, or a decoded delivery. */
function readItem(item: unknown, line: number, out: ParsedLogFile): void {
  if (!isObject(item)) {
    out.problems.push({ line, problem: 'not a JSON object' });
    return;
  }
  if ('awslogs' in item) {
    try {
      const delivery = decodeSubscriptionPayload(item);
      for (const event of delivery.logEvents) {
        out.events.push({ ...event, logGroup: delivery.logGroup, logStream: delivery.logStream });
      }
    } catch (error) {
      out.problems.push({ line, problem: (error as Error).message });
    }
    return;
  }
  if (Array.isArray(item.events)) {
    // `aws logs filter-log-events` / `get-log-events` output.
    item.events.forEach((raw, index) => {
      const event = isObject(raw) ? toEvent(raw, {}) : 'not a JSON object';
      if (typeof event === 'string') out.problems.push({ line, problem: `events[${index}]: ${event}` });
      else out.events.push(event);
    });
    return;
  }
  if (Array.isArray(item.logEvents)) {
    const { logGroup, logStream } = item;
    if (typeof logGroup !== 'string' || typeof logStream !== 'string') {
      out.problems.push({ line, problem: 'a delivery needs string "logGroup" and "logStream"' });
      return;
    }
    item.logEvents.forEach((raw, index) => {
      const event = isObject(raw) ? toEvent(raw, { logGroup, logStream }) : 'not a JSON object';
      if (typeof event === 'string') out.problems.push({ line, problem: `logEvents[${index}]: ${event}` });
      else out.events.push(event);
    });
    return;
  }
  const event = toEvent(item, {});
  if (typeof event === 'string') out.problems.push({ line, problem: event });
  else out.events.push(event);
}

function parseJson(text: string): ParsedLogFile {
  const out: ParsedLogFile = { format: 'jsonl', events: [], problems: [] };
  // A whole document first (an array, or the pretty-printed output of the AWS CLI); JSON.parse
  // stops at the second line of a JSON lines file, so trying costs one line.
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    if (Array.isArray(whole)) {
      whole.forEach((item, index) => {
        readItem(item, index + 1, out);
      });
    } else {
      readItem(whole, 1, out);
    }
    return out;
  }
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      out.problems.push({ line: index + 1, problem: 'not valid JSON' });
      return;
    }
    readItem(item, index + 1, out);
  });
  return out;
}

/** The console's CSV columns when a file has no header row. */
const DEFAULT_CSV_COLUMNS: readonly (Column | undefined)[] = ['timestamp', 'message', 'logStream'];

function parseCsvEvents(text: string): ParsedLogFile {
  const out: ParsedLogFile = { format: 'csv', events: [], problems: [] };
  const { records, unterminated } = parseCsv(text);
  const header = records[0]?.fields.map(columnOf) ?? [];
  const hasHeader = header.includes('timestamp') && header.includes('message');
  const columns = hasHeader ? header : DEFAULT_CSV_COLUMNS;
  for (const record of hasHeader ? records.slice(1) : records) {
    const item: Record<string, string> = {};
    record.fields.forEach((value, index) => {
      const column = columns[index];
      if (column !== undefined) item[column] = value;
    });
    const event = toEvent(item, {});
    if (typeof event === 'string') out.problems.push({ line: record.line, problem: event });
    else out.events.push(event);
  }
  if (unterminated) {
    const last = records.at(-1);
    out.problems.push({ line: last?.line ?? 1, problem: 'a quoted field is not closed before the end' });
  }
  return out;
}

function parseTail(text: string): ParsedLogFile {
  const out: ParsedLogFile = { format: 'tail', events: [], problems: [] };
  const lines = text.split(/\r?\n/);
  // The output ends with a line break; a blank line elsewhere may be part of a message.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const match = TAIL_LINE.exec(line);
    const timestamp = match ? parseIsoTimestamp(`${match[1]}${match[2] ?? 'Z'}`) : undefined;
    if (!match || timestamp === undefined) {
      const previous = out.events.at(-1);
      if (previous) previous.message += `\n${line}`;
      else if (line.trim() !== '') out.problems.push({ line: index + 1, problem: 'no leading timestamp' });
      return;
    }
    const rest = match[3] as string;
    // The detailed format (with a zone) names the stream before the message; the short one does not.
    if (match[2] === undefined) {
      out.events.push({ timestamp, message: rest });
      return;
    }
    const space = rest.indexOf(' ');
    const logStream = space === -1 ? rest : rest.slice(0, space);
    const message = space === -1 ? '' : rest.slice(space + 1);
    out.events.push({ timestamp, logStream, message });
  });
  return out;
}

/** Parses a log file in the given format (see the module comment for each). */
export function parseLogFile(text: string, format: LogFileFormat): ParsedLogFile {
  const input = text.replace(/^\uFEFF/, '');
  switch (format) {
    case 'jsonl':
      return parseJson(input);
    case 'csv':
      return parseCsvEvents(input);
    default:
      return parseTail(input);
  }
}
