/**
 * The one decoder of CloudWatch log text, shared by the classifier (`classify/normalize.ts`) and by
 * incident grouping (`incidents/normalise-line.ts`), so both read a line the same way: CloudWatch's
 * `#NNN` octal escapes decoded, ANSI colours and terminal control characters removed, and the rank
 * prefixes that mpirun and torchrun put in front of a program's own line recognised.
 *
 * Each caller then does what only it needs: the classifier splits a message into lines at every line
 * break and carriage return (each drawing of a progress bar is read), grouping keeps the last drawing
 * of a line (what a terminal showed) and names the writer of each line from its prefix.
 */

/**
 * CloudWatch writes control characters as `#` and three octal digits (`#011` tab, `#015` CR,
 * `#033` ESC). Only control characters are encoded, so only 000–037 and 177 are decoded.
 */
const OCTAL_ESCAPE = /#([0-3][0-7]{2})/g;
const DEL = 0o177;
const FIRST_PRINTABLE = 0o40;
/**
 * ANSI CSI sequences (colours, cursor moves). The three classes are disjoint, so a match never
 * backtracks; a lone ESC is removed with the other control characters.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
/** C0 controls and DEL that carry nothing a reader sees; tab, line feed and carriage return are kept. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Characters {@link decodeEscapes} changes: `#` (escapes) and the controls it removes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NEEDS_DECODING = /[#\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Decodes CloudWatch's `#NNN` octal escapes and drops ANSI sequences, backspaces and the other
 * control characters. Tabs, line feeds and carriage returns are kept, decoded or not: where lines
 * break is the caller's business.
 *
 * @example
 * decodeEscapes('[0]#011train-rmse:1.2') // '[0]\ttrain-rmse:1.2'
 */
export function decodeEscapes(text: string): string {
  if (!NEEDS_DECODING.test(text)) return text;
  const decoded = text.includes('#')
    ? text.replace(OCTAL_ESCAPE, (encoded, octal: string) => {
        const code = Number.parseInt(octal, 8);
        return code < FIRST_PRINTABLE || code === DEL ? String.fromCharCode(code) : encoded;
      })
    : text;
  const plain = decoded.includes('\u001b') ? decoded.replace(ANSI_SEQUENCE, '') : decoded;
  return plain.replace(CONTROLS, '');
}

/**
 * What a terminal shows of one decoded line: progress bars redraw the line after each carriage
 * return, so the last drawing that is not blank; line feeds inside it are dropped.
 *
 * @example
 * lastDrawing(' 10%|█ | 1/10\r100%|██| 10/10\r') // '100%|██| 10/10'
 */
export function lastDrawing(line: string): string {
  const drawn = line.includes('\r') ? (line.split('\r').findLast((part) => part.trim() !== '') ?? '') : line;
  return drawn.includes('\n') ? drawn.replaceAll('\n', '') : drawn;
}

/** A writer's tag in front of a line, put there by the launcher that gathered its output. */
export interface RankPrefix {
  /** `mpi`: mpirun's `[1,mpirank:0,algo-1]<stderr>:`; `rank`: torchrun's `[rank3]: `. */
  kind: 'mpi' | 'rank';
  /** The rank as written (`mpirank:0,algo-1`, `8`, `3`). */
  rank: string;
  /** mpirun names the stream it relayed. */
  stream?: 'stdout' | 'stderr';
  /** Characters the prefix takes at the start of the line. */
  length: number;
}

/** mpirun's rank tag: `[1,mpirank:0,algo-1]<stdout>:` or `[1,8]<stderr>:` (bounded: linear time). */
const MPI_TAG = String.raw`\[\d{1,6},(\d{1,6}|mpirank:\d{1,6}(?:,[\w.-]{1,64})?)\]<(stdout|stderr)>:`;
const MPI_PREFIX = new RegExp(`^${MPI_TAG}`);
const MPI_TAG_ANYWHERE = new RegExp(MPI_TAG, 'g');
/** torchrun's (and its default group's) tag, with the space it writes after it: `[rank3]: `. */
const TORCHRUN_PREFIX = /^\[(?:rank|default)(\d{1,6})\]: ?/;

/**
 * The rank prefix at the start of a line, if it has one.
 *
 * @example
 * matchRankPrefix('[rank1]: Traceback') // { kind: 'rank', rank: '1', length: 9 }
 */
export function matchRankPrefix(line: string): RankPrefix | undefined {
  if (!line.startsWith('[')) return undefined;
  const mpi = MPI_PREFIX.exec(line);
  if (mpi)
    return {
      kind: 'mpi',
      rank: mpi[1] as string,
      stream: mpi[2] as 'stdout' | 'stderr',
      length: mpi[0].length,
    };
  const torchrun = TORCHRUN_PREFIX.exec(line);
  return torchrun ? { kind: 'rank', rank: torchrun[1] as string, length: torchrun[0].length } : undefined;
}

/**
 * Removes mpirun tags from inside a line: mpirun writes a rank's output in chunks, so a tag can land
 * mid-line (`RuntimeError[1,mpirank:14,algo-2]<stderr>:: CUDA out of memory`).
 */
export function dropInnerRankTags(line: string): string {
  return line.includes(']<std') ? line.replace(MPI_TAG_ANYWHERE, '') : line;
}

/**
 * The regexes this module builds at load time and applies to log text, for the linear-time check
 * (test/helpers/redos-gate.ts, which finds the module's regex literals in its source).
 */
export const LOG_TEXT_PATTERNS: readonly RegExp[] = [MPI_PREFIX, MPI_TAG_ANYWHERE];
