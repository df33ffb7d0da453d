/**
 * A small normaliser for grouping only. The classifier has its own (fuller) normaliser; this one
 * does just what structure detection needs: decode the CloudWatch agent's octal escapes, drop ANSI
 * colours and terminal control characters, and take off the wrappers that other processes put in
 * front of a program's own line (MPI and torchrun ranks, model-server worker stderr forwarding), so
 * that `  File "...", line 3` is recognisable whatever carried it.
 */

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

// The CloudWatch agent writes control characters as `#` + three octal digits.
const OCTAL_ESCAPES: Readonly<Record<string, string>> = {
  '#011': '\t',
  '#015': '\r',
  '#033': '\u001b',
  '#010': '\b',
};
const OCTAL_ESCAPE = /#0(?:11|15|33|10)/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ANSI_SEQUENCE = /\u001b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]/g;
// Control characters other than tab (and the carriage return, handled apart).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u000c\u000e-\u001f\u007f]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const MAY_NEED_DECODING = /[#\u0000-\u0008\u000a-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HAS_CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u000c\u000e-\u001f\u007f]/;

const MPI_PREFIX = /^\[\d{1,6},(\d{1,6}|mpirank:\d{1,6}(?:,[\w.-]{1,64})?)\]<(stdout|stderr)>:/;
// mpirun writes a rank's output in chunks: a prefix can also land inside a line
// (`RuntimeError[1,mpirank:14,algo-2]<stderr>:: CUDA out of memory`).
const MPI_PREFIX_INSIDE = /\[\d{1,6},(?:\d{1,6}|mpirank:\d{1,6}(?:,[\w.-]{1,64})?)\]<(?:stdout|stderr)>:/g;
const TORCHRUN_PREFIX = /^\[(?:rank|default)(\d{1,6})\]: ?/;
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

/** Decodes escapes and removes colours and control characters; keeps what a terminal would show. */
export function decodeLine(raw: string): string {
  // One scan finds what the steps below would change: `#` of an escape, ESC, CR and the controls.
  if (!MAY_NEED_DECODING.test(raw)) return raw;
  let text = raw.includes('#0') ? raw.replace(OCTAL_ESCAPE, (code) => OCTAL_ESCAPES[code] as string) : raw;
  if (text.includes('\u001b')) text = text.replace(ANSI_SEQUENCE, '');
  if (text.includes('\r')) {
    // Progress bars redraw the line after each carriage return: the last drawing is what was seen.
    const drawings = text.split('\r').filter((part) => part.trim() !== '');
    text = drawings.at(-1) ?? '';
  }
  return HAS_CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, '') : text;
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
  // Rank prefixes start with `[`; a worker channel holds `W-`. Most lines have neither.
  const mpi = body.startsWith('[') ? MPI_PREFIX.exec(body) : null;
  if (mpi) {
    channel = join(`mpi:${mpi[1]}:${mpi[2]}`);
    body = body.slice(mpi[0].length);
  } else {
    const torchrun = body.startsWith('[') ? TORCHRUN_PREFIX.exec(body) : null;
    if (torchrun) {
      channel = join(`rank:${torchrun[1]}`);
      body = body.slice(torchrun[0].length);
    }
  }
  if (body.includes(']<std')) body = body.replace(MPI_PREFIX_INSIDE, '');
  const worker = body.includes('W-') ? WORKER_PREFIX.exec(body.slice(0, PREFIX_SCAN_CHARS)) : null;
  if (worker) {
    channel = join(worker[1] as string);
    body = body.slice(worker.index + worker[0].length);
  }
  return { channel, body, display };
}
