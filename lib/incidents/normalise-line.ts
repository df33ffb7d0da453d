/**
 * A small normaliser for grouping only. The classifier's normaliser does more (logger prefixes,
 * levels); both decode with `text/decode-line.ts`. This one does just what structure detection
 * needs: decode the line, and take off the wrappers that other processes put in
 * front of a program's own line (MPI and torchrun ranks, model-server worker stderr forwarding), so
 * that `  File "...", line 3` is recognisable whatever carried it.
 */

import { decodeEscapes, dropInnerRankTags, lastDrawing, matchRankPrefix } from '../text/decode-line.ts';

/** One line, decoded and split into where it came from and what the program wrote. */
export interface NormalisedLine {
  /**
   * The writer inside the stream, from the wrapper prefix: `mpi:mpirank:0:stderr`, `rank:0`,
   * `W-9000-model_1.0-stderr`; `''` when the line has no wrapper. Lines of different writers
   * interleave, so grouping keeps one open structure per channel.
   */
  channel: string;
  /** The line as the program wrote it: decoded, wrapper removed, indentation kept. */
  body: string;
  /** The whole line for display: decoded, wrapper kept. */
  display: string;
}

/** Wrappers are looked for in this many leading characters only (a line may be 1 MB long). */
const PREFIX_SCAN_CHARS = 400;

// TorchServe/MMS: `... W-9000-model_1.0-stderr MODEL_LOG - <line>` (or a Java logger name instead of
// MODEL_LOG); DJL Serving: `... PyProcess - W-167-qwen-vl-stderr: <line>`.
const WORKER_PREFIX = /(?:^|[\s\]])(W-\d{1,6}-\S{0,120}?-std(?:out|err))(?::| [\w.$]{1,120} -)(?: |$)/;
// Wrappers that say where a line came from, in front of everything else; each is tried once, in
// this order. `name` is the channel prefix (empty: the wrapper names no writer of its own).
const OUTER_WRAPPERS: readonly { pattern: RegExp; channel?: (match: RegExpExecArray) => string }[] = [
  // The CloudWatch console's copy (`2023-12-15T20:06:10.216+01:00<TAB>`) and CSV export (`<ms>,`).
  { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?\t/ },
  { pattern: /^\d{13},/ },
  // SageMaker local mode (docker compose): `f3k8ih5gq0-algo-1-9che5 | `.
  { pattern: /^([a-z0-9]{1,40}-algo-\d{1,4}-[a-z0-9]{1,16}) {1,8}\| ?/, channel: (m) => `compose:${m[1]}` },
  // Ray actors: `(ServeController pid=1431) `.
  { pattern: /^\((\w{1,64}) pid=(\d{1,9})(?:, ip=[\d.]{1,40})?\) /, channel: (m) => `ray:${m[1]}:${m[2]}` },
  // Batch transform's data log: `2023-03-29T13:16:50.813:[sagemaker logs]: bucket/key.csv: `.
  {
    pattern:
      /^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?:)?\[sagemaker logs\]: (?:[\w.-]{1,255}\/[^\s:]{1,1024}: )?/,
  },
  // A shard's traceback quoted by text-generation-inference, or a log quoted in a report: `> `.
  { pattern: /^> / },
  // smdistributed's logger: `[2022-04-21 08:57:50.126: C smdistributed/modelparallel/torch/x.py:110] `.
  {
    pattern:
      /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?: [A-Z] smdistributed\/[\w/.-]{1,200}:\d{1,6}\] ?/,
  },
];

/**
 * Decodes escapes and removes colours and control characters; keeps what a terminal would show (the
 * last drawing of a line redrawn with carriage returns). The classifier decodes with the same
 * {@link decodeEscapes}; it reads every drawing instead of the last.
 */
export function decodeLine(raw: string): string {
  return lastDrawing(decodeEscapes(raw));
}

/** Decodes one line and separates its wrapper (channel) from the program's own text. */
export function normaliseLine(raw: string): NormalisedLine {
  const display = decodeLine(raw);
  let channel = '';
  let body = display;
  for (const { pattern, channel: name } of OUTER_WRAPPERS) {
    const outer = pattern.exec(body);
    if (!outer) continue;
    if (name) channel = name(outer);
    body = body.slice(outer[0].length);
  }
  const join = (inner: string) => (channel ? `${channel}/${inner}` : inner);
  // A worker channel holds `W-`; most lines have neither it nor a rank prefix.
  const rank = matchRankPrefix(body);
  if (rank) {
    channel = join(rank.kind === 'mpi' ? `mpi:${rank.rank}:${rank.stream}` : `rank:${rank.rank}`);
    body = body.slice(rank.length);
  }
  body = dropInnerRankTags(body);
  const worker = body.includes('W-') ? WORKER_PREFIX.exec(body.slice(0, PREFIX_SCAN_CHARS)) : null;
  if (worker) {
    channel = join(worker[1] as string);
    body = body.slice(worker.index + worker[0].length);
  }
  return { channel, body, display };
}
