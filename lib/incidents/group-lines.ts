import type { Severity } from '../types.ts';
import type { NormalisedLine } from './normalise-line.ts';

/**
 * Finds the multi-line structures of one delivery: Python tracebacks (with chained exceptions),
 * Java/Scala stack traces, and the training toolkit's `ExecuteUserScriptError` block. Lines of
 * different writers (MPI ranks, model-server workers) interleave, so each channel has its own open
 * structure. Pure and linear in the number of lines.
 */

/** The shapes of error {@link groupLines} recognises. */
export const GroupKinds = ['python_traceback', 'java_stack', 'toolkit_error', 'line'] as const;

/** One of {@link GroupKinds}. */
export type GroupKind = (typeof GroupKinds)[number];

/** What grouping needs to know about each line. */
export interface GroupingLine extends NormalisedLine {
  /** The log event the line belongs to (an event's message may hold several lines). */
  event: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  severity: Severity;
}

/** Lines (indexes into the input) that a human reads as one error. */
export interface LineGroup {
  kind: GroupKind;
  /** Ascending indexes of the lines in the group. */
  lines: number[];
  /** The line that says what went wrong (the final exception line of a traceback). */
  headlineLine: number;
  /** Set when the headline is not one line as written (a toolkit message split across lines). */
  headline?: string;
  /** False when the structure had not ended: cut at the end of the delivery or at a limit. */
  complete: boolean;
  /**
   * Set on a traceback still open when the delivery ended (no exception line yet, or a chain
   * announced but not written): the next delivery of the stream may hold its rest.
   */
  cutAtEnd?: true;
}

/** A structure longer than this is closed (as incomplete); the lines after it stand alone. */
export const MAX_GROUP_LINES = 500;
/** Foreign lines tolerated inside an open traceback before it is given up as incomplete. */
export const MAX_INTERLEAVED_LINES = 10;
/**
 * A line just before a structure is its lead-in (`logger.exception("Failed ...")`, `framework
 * error:`) when written at most this long before it and it is an error or ends with a colon.
 */
export const LEAD_IN_MAX_GAP_MS = 1_000;

const TRACEBACK_START = 'Traceback (most recent call last):';
const PYTHON_FRAME = /^\s*File "[^"]{0,2048}", line \d{1,9}/;
const CHAINED_EXCEPTION =
  /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
const JAVA_FRAME = /^\s+at [\w$.<>/:[\]-]{1,512}\(/;
const JAVA_CONTINUATION =
  /^\s*(?:Caused by: |\.\.\. \d{1,9} (?:more|common frames omitted)|Suppressed: )|^\s+at [\w$.<>/:[\]-]{1,512}\(/;
const JAVA_CAUSE = /^\s*Caused by: /;
const JAVA_OMITTED = /^\s*\.\.\. \d{1,9} (?:more|common frames omitted)/;
const TOOLKIT_START = 'ExecuteUserScriptError:';
// A launcher reporting that a worker process failed, not what failed in it.
const LAUNCHER_EXCEPTION = /^(?:[\w.]{0,200}\.)?ChildFailedError\b/;
const TOOLKIT_EXIT_CODE = /^ExitCode\s+-?\d{1,9}\s*$/;
const TOOLKIT_QUOTED = /^(ErrorMessage|Command)\s+"/;
// `Name: message`, `pkg.mod.Name: message`, `Name:`; the last segment starts upper-case.
const EXCEPTION_WITH_MESSAGE = /^((?:[A-Za-z_]\w{0,100}\.){0,10}[A-Z]\w{0,100}):(?: |$)/;
// A bare exception name (no message) needs a telling suffix, or any one-word line would match.
const BARE_EXCEPTION =
  /^(?:[A-Za-z_]\w{0,100}\.){0,10}[A-Z]\w{0,100}(?:Error|Exception|Interrupt|Exit|Iteration)$/;
// Log levels and chatty words that look like `Name:` but are not exceptions.
const NOT_EXCEPTION_NAMES: ReadonlySet<string> = new Set([
  'INFO',
  'DEBUG',
  'WARN',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'FATAL',
  'TRACE',
  'NOTICE',
  'Warning',
  'Note',
]);

/** True when `text` (not indented) reads as a Python or Java exception line. */
export function isExceptionLine(text: string): boolean {
  const withMessage = EXCEPTION_WITH_MESSAGE.exec(text);
  if (withMessage) return !NOT_EXCEPTION_NAMES.has(withMessage[1] as string);
  return BARE_EXCEPTION.test(text.trimEnd());
}

/**
 * True for the lines of a stack trace that say where, not what: a Python or Java frame, the code
 * line under a Python frame (indented), the `Traceback (most recent call last):` header, a
 * chaining line, `... N more`. They carry no verdict of their own (docs/labelling.md), so they
 * never decide a group's severity or category. `Caused by: X: message` is not one of them.
 */
export function isStructuralLine(kind: GroupKind, text: string): boolean {
  if (kind === 'java_stack') return JAVA_FRAME.test(text) || JAVA_OMITTED.test(text);
  if (kind !== 'python_traceback') return false;
  return (
    isIndented(text) ||
    PYTHON_FRAME.test(text) ||
    text.includes(TRACEBACK_START) ||
    CHAINED_EXCEPTION.test(text)
  );
}

function isIndented(text: string): boolean {
  return text.startsWith(' ') || text.startsWith('\t');
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

type FeedResult = 'consumed' | 'skipped' | 'closed';

interface OpenPython {
  kind: 'python_traceback';
  lines: number[];
  phase: 'frames' | 'after-exception' | 'chain';
  exceptionLine?: number;
  /** The deepest frame seen: the headline of a traceback cut before its exception line. */
  frameLine?: number;
  /** The line that announced the traceback (`failed (exitcode: -9) local_rank: 3`), if any. */
  leadLine?: number;
  foreign: number;
}

interface OpenJava {
  kind: 'java_stack';
  lines: number[];
  headLine: number;
  /** The error line just before the head (`Backend worker ... died.` before `InterruptedException`). */
  leadLine?: number;
  causeLine?: number;
}

interface OpenToolkit {
  kind: 'toolkit_error';
  lines: number[];
  quote?: 'ErrorMessage' | 'Command';
  messageLines: number[];
  exitCodeLine?: number;
}

type OpenGroup = OpenPython | OpenJava | OpenToolkit;

function closesQuote(text: string): boolean {
  return text.trimEnd().endsWith('"');
}

/**
 * Groups the lines of one delivery (in order). Returns the multi-line structures and, for every
 * other log event that is an error or warning, a group of its remaining lines; in order of their
 * first line.
 *
 * @param isSignal whether a line outside any structure deserves a group of its own.
 */
export function groupLines(
  lines: readonly GroupingLine[],
  isSignal: (index: number) => boolean,
): LineGroup[] {
  const groups: LineGroup[] = [];
  const assigned = new Uint8Array(lines.length);
  const open = new Map<string, OpenGroup>();
  const previousByChannel = new Map<string, number>();
  // Per channel, while every line so far is indented: those lines (code lines of a traceback the
  // previous delivery cut, before its next frame).
  const indentedStart = new Map<string, number[]>();
  // For each line, the line before it in its channel (-1: none), for looking back from a head.
  const previousInChannel = new Int32Array(lines.length).fill(-1);
  // Per channel, the log event whose line the open traceback last passed over as foreign.
  const foreignEvent = new Map<string, number>();

  const line = (index: number): GroupingLine => lines[index] as GroupingLine;

  const take = (group: OpenGroup, index: number): void => {
    group.lines.push(index);
    assigned[index] = 1;
  };

  const leadIn = (start: number, previous: number | undefined): number | undefined => {
    if (previous === undefined || assigned[previous] === 1) return undefined;
    const candidate = line(previous);
    const text = candidate.body.trimEnd();
    if (text === '' || Math.abs(line(start).timestamp - candidate.timestamp) > LEAD_IN_MAX_GAP_MS)
      return undefined;
    return candidate.severity === 'error' || text.endsWith(':') ? previous : undefined;
  };

  const close = (channel: string, group: OpenGroup, complete: boolean): void => {
    open.delete(channel);
    groups.push(finish(group, complete, lines));
  };

  const start = (index: number, channel: string, previous: number | undefined): void => {
    const { body } = line(index);
    let group: OpenGroup | undefined;
    if (body.includes(TRACEBACK_START)) {
      group = { kind: 'python_traceback', lines: [], phase: 'frames', foreign: 0 };
    } else if (PYTHON_FRAME.test(body) && (previous === undefined || indentedStart.has(channel))) {
      // The rest of a traceback cut at the end of the previous delivery (maybe in the middle of a
      // frame: its code line first).
      group = { kind: 'python_traceback', lines: [], phase: 'frames', foreign: 0, frameLine: index };
      for (const code of indentedStart.get(channel) ?? []) if (assigned[code] === 0) take(group, code);
      take(group, index);
      open.set(channel, group);
      return;
    } else if (body.includes(TOOLKIT_START)) {
      group = { kind: 'toolkit_error', lines: [], messageLines: [] };
    } else if (JAVA_CONTINUATION.test(body)) {
      const head =
        JAVA_FRAME.test(body) &&
        previous !== undefined &&
        assigned[previous] === 0 &&
        !isBlank(line(previous).body)
          ? previous
          : index;
      const java: OpenJava = { kind: 'java_stack', lines: [], headLine: head };
      const before = previousInChannel[head] as number;
      const lead = head === index ? undefined : leadIn(head, before < 0 ? undefined : before);
      if (lead !== undefined) {
        take(java, lead);
        if (line(lead).severity === 'error') java.leadLine = lead;
      }
      if (head !== index) take(java, head);
      take(java, index);
      if (JAVA_CAUSE.test(body)) java.causeLine = index;
      open.set(channel, java);
      return;
    }
    if (group === undefined) return;
    const lead = leadIn(index, previous);
    if (lead !== undefined) {
      take(group, lead);
      if (group.kind === 'python_traceback' && line(lead).severity === 'error') group.leadLine = lead;
    }
    take(group, index);
    open.set(channel, group);
  };

  for (let index = 0; index < lines.length; index++) {
    const { channel } = line(index);
    const previous = previousByChannel.get(channel);
    if (previous !== undefined) previousInChannel[index] = previous;
    const group = open.get(channel);
    let result: FeedResult = 'closed';
    if (group !== undefined) {
      // The later lines of a log event the open structure passed over as foreign stay foreign: a
      // multi-line message that arrived inside a traceback lends it no code lines (only a new
      // structure starting inside that event ends it).
      result =
        foreignEvent.get(channel) === line(index).event && group.kind === 'python_traceback'
          ? feedForeign(group, line(index).body)
          : feed(group, index, line(index).body);
      if (result === 'skipped' && !isBlank(line(index).body)) foreignEvent.set(channel, line(index).event);
      else foreignEvent.delete(channel);
      if (result === 'consumed') {
        assigned[index] = 1;
        if (group.lines.length >= MAX_GROUP_LINES) close(channel, group, false);
      } else if (result === 'closed') {
        close(channel, group, group.kind !== 'python_traceback' || group.phase === 'after-exception');
      }
    }
    if (result === 'closed') start(index, channel, previous);
    const indented = indentedStart.get(channel);
    if (previous === undefined && assigned[index] === 0 && isIndented(line(index).body)) {
      indentedStart.set(channel, [index]);
    } else if (indented !== undefined && assigned[index] === 0 && isIndented(line(index).body)) {
      indented.push(index);
    } else {
      indentedStart.delete(channel);
    }
    previousByChannel.set(channel, index);
  }
  for (const [channel, group] of [...open]) {
    const finished = isFinishedAtEnd(group);
    close(channel, group, finished);
    if (!finished && group.kind === 'python_traceback') (groups.at(-1) as LineGroup).cutAtEnd = true;
  }

  // Every other error or warning is a one-line group: the remaining lines of one log event.
  for (let index = 0; index < lines.length; ) {
    if (assigned[index] === 1) {
      index++;
      continue;
    }
    const members = [index];
    const { event } = line(index);
    for (
      let next = index + 1;
      next < lines.length && line(next).event === event && assigned[next] === 0;
      next++
    ) {
      members.push(next);
    }
    if (isSignal(index)) {
      const group: LineGroup = { kind: 'line', lines: members, headlineLine: index, complete: true };
      if (members.length > 1) group.headline = members.map((i) => line(i).body.trim()).join(' ');
      groups.push(group);
    }
    index += members.length;
  }
  return groups.sort((a, b) => (a.lines[0] as number) - (b.lines[0] as number));
}

function isFinishedAtEnd(group: OpenGroup): boolean {
  if (group.kind === 'python_traceback') return group.phase === 'after-exception';
  if (group.kind === 'toolkit_error') return group.quote === undefined;
  return true;
}

function feed(group: OpenGroup, index: number, body: string): FeedResult {
  if (group.kind === 'python_traceback') return feedPython(group, index, body);
  if (group.kind === 'java_stack') {
    if (!JAVA_CONTINUATION.test(body)) return 'closed';
    group.lines.push(index);
    if (JAVA_CAUSE.test(body)) group.causeLine = index;
    return 'consumed';
  }
  return feedToolkit(group, index, body);
}

function feedPython(group: OpenPython, index: number, body: string): FeedResult {
  const consume = (): FeedResult => {
    group.lines.push(index);
    group.foreign = 0;
    return 'consumed';
  };
  if (group.phase === 'after-exception') {
    if (CHAINED_EXCEPTION.test(body)) {
      group.phase = 'chain';
      return consume();
    }
    if (isBlank(body)) return 'skipped';
    // Indented lines right after the exception continue its message (load_state_dict, pydantic).
    return isIndented(body) ? consume() : 'closed';
  }
  if (body.includes(TRACEBACK_START)) {
    group.phase = 'frames';
    return consume();
  }
  if (isBlank(body)) return 'skipped';
  if (group.phase === 'frames') {
    if (PYTHON_FRAME.test(body)) {
      group.frameLine = index;
      return consume();
    }
    if (isIndented(body)) return consume();
    if (isExceptionLine(body)) {
      group.phase = 'after-exception';
      group.exceptionLine = index;
      return consume();
    }
  }
  group.foreign++;
  return group.foreign > MAX_INTERLEAVED_LINES ? 'closed' : 'skipped';
}

/** A line of a log event an open traceback already passed over: foreign, unless a traceback starts. */
function feedForeign(group: OpenPython, body: string): FeedResult {
  if (body.includes(TRACEBACK_START)) return 'closed';
  if (isBlank(body)) return 'skipped';
  group.foreign++;
  return group.foreign > MAX_INTERLEAVED_LINES ? 'closed' : 'skipped';
}

function feedToolkit(group: OpenToolkit, index: number, body: string): FeedResult {
  if (group.quote !== undefined) {
    group.lines.push(index);
    if (group.quote === 'ErrorMessage') group.messageLines.push(index);
    if (closesQuote(body)) delete group.quote;
    return 'consumed';
  }
  if (TOOLKIT_EXIT_CODE.test(body)) {
    group.lines.push(index);
    group.exitCodeLine = index;
    return 'consumed';
  }
  const quoted = TOOLKIT_QUOTED.exec(body);
  if (quoted) {
    group.lines.push(index);
    const key = quoted[1] as 'ErrorMessage' | 'Command';
    if (key === 'ErrorMessage') group.messageLines.push(index);
    if (!closesQuote(body.slice(quoted[0].length))) group.quote = key;
    return 'consumed';
  }
  return isBlank(body) ? 'skipped' : 'closed';
}

function finish(group: OpenGroup, complete: boolean, lines: readonly GroupingLine[]): LineGroup {
  const sorted = [...group.lines].sort((a, b) => a - b);
  const last = sorted.at(-1) as number;
  const body = (index: number): string => (lines[index] as GroupingLine).body;
  if (group.kind === 'python_traceback') {
    // Cut before its exception line, a traceback is best named by where it was (its deepest
    // frame); blank lines are never taken into a group, so the last line has text.
    // A launcher's own traceback (torchrun's ChildFailedError) says less than the error line that
    // announced it (`failed (exitcode: -9) local_rank: 3`); so does a traceback with no exception.
    const announced =
      group.leadLine !== undefined &&
      (group.exceptionLine === undefined || LAUNCHER_EXCEPTION.test(body(group.exceptionLine)));
    const headlineLine = announced
      ? (group.leadLine as number)
      : (group.exceptionLine ?? group.frameLine ?? last);
    const joined = joinBareName(headlineLine, sorted, body);
    return withHeadline({ kind: group.kind, lines: sorted, headlineLine, complete }, joined);
  }
  if (group.kind === 'java_stack') {
    // An exception without a message (`java.lang.InterruptedException`) says less than the error
    // line that announced it.
    const bare = group.causeLine === undefined && BARE_EXCEPTION.test(body(group.headLine).trim());
    const headlineLine =
      bare && group.leadLine !== undefined ? group.leadLine : (group.causeLine ?? group.headLine);
    const text = body(headlineLine).replace(JAVA_CAUSE, '');
    return withHeadline({ kind: group.kind, lines: sorted, headlineLine, complete }, text);
  }
  return toolkitGroup(group, sorted, complete, body);
}

function withHeadline(group: LineGroup, text: string | undefined): LineGroup {
  if (text !== undefined) group.headline = text;
  return group;
}

/** `RuntimeError:` with its message on the next line reads as one headline. */
function joinBareName(headlineLine: number, sorted: readonly number[], body: (index: number) => string) {
  const text = body(headlineLine).trim();
  if (!/^(?:[A-Za-z_]\w{0,100}\.){0,10}[A-Z]\w{0,100}:$/.test(text)) return undefined;
  const next = sorted[sorted.indexOf(headlineLine) + 1];
  return next === undefined ? undefined : `${text} ${body(next).trim()}`;
}

/** The message of `ErrorMessage "..."` without the key and the quotes, one entry per line. */
function toolkitMessage(group: OpenToolkit, body: (index: number) => string): string[] {
  return group.messageLines.map((index, i) => {
    let text = body(index);
    if (i === 0) text = text.replace(TOOLKIT_QUOTED, '');
    if (i === group.messageLines.length - 1 && closesQuote(text)) text = text.trimEnd().slice(0, -1);
    return text.trim();
  });
}

function toolkitGroup(
  group: OpenToolkit,
  sorted: number[],
  complete: boolean,
  body: (index: number) => string,
): LineGroup {
  const message = toolkitMessage(group, body);
  const base = { kind: group.kind, lines: sorted, complete };
  for (let i = message.length - 1; i >= 0; i--) {
    const text = message[i] as string;
    if (!isExceptionLine(text)) continue;
    const next = message[i + 1];
    const headline = text.endsWith(':') && next !== undefined ? `${text} ${next}` : text;
    return { ...base, headlineLine: group.messageLines[i] as number, headline };
  }
  const lastMessage = message.findLastIndex((text) => text !== '');
  if (lastMessage >= 0) {
    return {
      ...base,
      headlineLine: group.messageLines[lastMessage] as number,
      headline: message[lastMessage] as string,
    };
  }
  const head = sorted.find((index) => body(index).includes(TOOLKIT_START)) as number;
  const exitCode = group.exitCodeLine === undefined ? '' : ` ${body(group.exitCodeLine).trim()}`;
  return { ...base, headlineLine: head, headline: `${TOOLKIT_START}${exitCode}` };
}
