/**
 * A one-line progress display for long work (pages fetched, events processed, requests sent). It is
 * redrawn in place with a carriage return, at most every {@link PROGRESS_INTERVAL_MS}, and cleared
 * when the work ends, so it never stays in the output. The caller enables it only on a terminal.
 *
 * Kept rather than replaced by cli-progress or progress (weighed for this): both draw a bar against
 * a total known up front, and the longest wait here has none (FilterLogEvents pages until the
 * group is read: a count and a rate, no bar); both write to the stream they are given on their own
 * timers, where this one is a pure formatter ({@link formatProgress}) plus a throttle, tested with
 * an injected clock. The whole is smaller than either library's configuration for these cases.
 */

/** Redraw at most this often: faster is invisible and costs time on slow terminals. */
export const PROGRESS_INTERVAL_MS = 100;

/** Where the work stands. */
export interface ProgressSnapshot {
  /** What is being done: `fetching`, `processing`, ... */
  label: string;
  /** Units done so far. */
  done: number;
  /** Units in all, when known: draws a bar. */
  total?: number;
  /** What a unit is: `events`, `requests`. */
  unit: string;
  /** More counts, shown after the rate: `12 pages`. */
  detail?: string;
}

const BAR_WIDTH = 24;

/** Renders a snapshot as one line of at most `width` characters. */
export function formatProgress(snapshot: ProgressSnapshot, elapsedMs: number, width: number): string {
  const parts = [snapshot.label];
  const { done, total } = snapshot;
  if (total !== undefined && total > 0) {
    const ratio = Math.min(1, done / total);
    const filled = Math.round(ratio * BAR_WIDTH);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`, `${Math.floor(ratio * 100)}%`);
    parts.push(`${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${snapshot.unit}`);
  } else {
    parts.push(`${done.toLocaleString('en-US')} ${snapshot.unit}`);
  }
  if (elapsedMs >= 1000) {
    parts.push(`${Math.round(done / (elapsedMs / 1000)).toLocaleString('en-US')}/s`);
  }
  if (snapshot.detail) parts.push(snapshot.detail);
  const line = parts.join('  ');
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

/** A progress display. */
export interface Progress {
  /** Shows the snapshot (throttled); a new label restarts the rate. */
  update(snapshot: ProgressSnapshot): void;
  /** Clears the line, if anything was drawn. */
  finish(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Draw at all (a terminal, and not `--json`). */
  enabled: boolean;
  /** Writes raw text (to stderr, so stdout stays clean for results). */
  write: (text: string) => void;
  now: () => number;
  /** Terminal width (default 80). */
  width?: number;
}

/** ANSI: erase from the cursor to the end of the line. */
const ERASE_LINE = '\u001b[K';

/** Creates a progress display. When disabled, every call is a no-op. */
export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return { update() {}, finish() {} };
  let label: string | undefined;
  let startedMs = 0;
  let drawnMs = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(snapshot) {
      const now = options.now();
      if (snapshot.label !== label) {
        label = snapshot.label;
        startedMs = now;
      } else if (now - drawnMs < PROGRESS_INTERVAL_MS) {
        return;
      }
      drawnMs = now;
      drawn = true;
      // One column short of the width: writing into the last column wraps some terminals.
      options.write(`\r${formatProgress(snapshot, now - startedMs, (options.width ?? 80) - 1)}${ERASE_LINE}`);
    },
    finish() {
      if (drawn) options.write(`\r${ERASE_LINE}`);
      drawn = false;
      label = undefined;
    },
  };
}
