/**
 * Attack inputs: lines pumped to the 16 KiB the classifier reads, in the shapes that made patterns
 * backtrack polynomially (a long run that two parts of a pattern could share, a keyword repeated
 * thousands of times, U+2028 line separators). Each must still be classified as a short line of
 * the same shape would be, in under 5 ms: the bound the issue set. The times are taken in a
 * worker thread, outside the coverage instrumentation of the test run (test/helpers/
 * hostile-timing-worker.ts); there the slowest shapes, those that split into a thousand short
 * lines, take 1–2 ms, and most take a few tenths of a millisecond, against about a second for the
 * quadratic versions. The ReDoS gate (test/unit/redos*.test.ts) is the proof; these tests are the
 * measurement.
 */
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyMessage, createContextClassifier, MAX_CLASSIFIED_CHARS } from '../../lib/classify/index.ts';
import { isExceptionLine } from '../../lib/incidents/group-lines.ts';
import { normaliseLine } from '../../lib/incidents/normalise-line.ts';
import { scrubSecrets } from '../../lib/text/scrub-secrets.ts';
import type { Step } from '../helpers/hostile-timing-worker.ts';

/** Pumps `piece` to fill a line of about `chars` between `before` and `after`. */
function pumped(before: string, piece: string, after: string, chars = MAX_CLASSIFIED_CHARS): string {
  const count = Math.max(1, Math.floor((chars - before.length - after.length) / piece.length));
  return before + piece.repeat(count) + after;
}

/** The bound for one 16 KiB line (see the top of the file for the margin). */
const MAX_MS = 5;

/** The time of `step` on each line, in milliseconds, measured in a worker thread. */
function timeInWorker(step: Step, lines: readonly string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../helpers/hostile-timing-worker.ts', import.meta.url), {
      workerData: { step, lines },
    });
    worker.once('message', (times: number[]) => {
      resolve(times);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The slowest shape seen, printed for the record. */
const slowest = { ms: 0, shape: '' };
function record(
  shapes: readonly (readonly [string, string])[],
  times: readonly number[],
): Map<string, number> {
  const byShape = new Map<string, number>();
  shapes.forEach(([shape], index) => {
    const ms = times[index] as number;
    byShape.set(shape, ms);
    if (ms > slowest.ms) Object.assign(slowest, { ms, shape });
  });
  return byShape;
}

const CLASSIFIER_ATTACKS: readonly (readonly [string, string])[] = [
  // The line the issue was filed for, and the other HTTP request rules.
  ['HTTP request line full of ?', pumped('"GET /invocations', '?', '" 429 " 5')],
  ['HTTP 5xx request line full of ?', pumped('"POST /x', '?B', ' HTTP/1.1" 5')],
  ['HTTP 429 request line of 9?', pumped('"GET ', '9?', '9')],
  ['model-path request line', pumped('"GET /v4/models/.', 's/', '\t')],
  [
    'uvicorn access line with trailing blanks',
    pumped('127.0.0.1:38412 - "POST /invocations HTTP/1.1" 200 OK', ' ', 'x!'),
  ],
  [
    'uvicorn access line, two requests',
    pumped('[:]:0 - "T ] HTTP/." 000 g', ' ', '\t[:]:0 - "G ] HTTP/0" 000'),
  ],
  ['camelCase metric name', pumped('loss: 1 bestTest a', 'A', '!')],
  ['name: value pairs with long blanks', pumped('eval loss', ' ', 'x')],
  ['name: value pairs with long tabs', pumped('y\t', '\t', '%')],
  ['name: value pairs, many short names', pumped('accuracy ', 'a b ', '= x')],
  ['metric names joined by @', pumped('loss ', 'i@', '')],
  ['import-error source echo', pumped('  from m import a', ' ', '\t!')],
  ['import-error with blanks after import', pumped('from m\timport\t', ' \t', '\u0000')],
  ['nan-loss', pumped('S', 'LOSSO', '')],
  ['nan-loss with dashes', pumped('', 'ME-INF-MSE-', 'ME\tNAN-MSE')],
  ['boosting round with blanks', pumped('[0]\t', '\t', '\u2028')],
  ['boosting round before a line break', pumped('[0]\t', '\t', '\n')],
  ['traceback rule with U+2028', pumped('', '\u2028', 's')],
  ['traceback rule with U+2028 and blanks', pumped('x', '\u2028 ', 'rais')],
  ['traceback rule with line breaks', pumped('', '\n', '\ns')],
  ['Killed on many lines', pumped('e', '\u2028\t', '\u2028K')],
  ['Killed after digits', pumped('', '0', '\u0000')],
  ['NCCL WARN repeated', pumped('p', 'NCCL WARN', 'rror es')],
  ['ProcessGroupNCCL repeated', pumped('', 'ProcessGroupNCCLm', '')],
  ['nccl words repeated', pumped('', 'ncclInit', '')],
  ['s3transfer repeated', pumped('', 's3transfer..', '')],
  ['hdfs daemon', pumped('Failed to run ', 'yarn', '\t')],
  ['OOM when allocating tensor repeated', pumped('', 'OOM when allocating tensoro', '')],
  ['known-hosts warning repeated', pumped('p', '\tWarning: Permanently added i', '')],
  ['known-hosts warning with line breaks', pumped('\u0000', ' Warning: Permanently added k', '\n')],
  ['S3 key repeated', pumped('', 'S3 KEYN', '')],
  ['sagemaker data log repeated', pumped('', '[sagemaker logs]:m', '')],
  ['health check failures repeated', pumped('', 'failed ', 'x')],
  ['nginx error repeated', pumped('', '[crit]q', '')],
  ['/bin/sh with carriage returns', pumped('', '/bin/sh: 0: \r', '')],
  ['/bin/sh with U+2028', pumped('', '/bin/sh: 0: \u2028', '')],
  ['table export row of blanks', pumped('|0000000000000|\t', '\t', '|\n\u0000|')],
  ['data-log prefix of slashes', pumped('[sagemaker logs]:r', '/', '')],
  ['#metrics repeated', pumped('', '#metrics\t{', '#metrics\n{}')],
  ['quality metric with blanks', pumped('#quality_metric: host=algo-1, train mse', ' ', 'x')],
  ['#quality_metric repeated', pumped('', '#quality_metric:host=:,c\t\u0000', '')],
  ['python dict of quotes', pumped("{'", "a'", '')],
  ['#progress_metric repeated', pumped('', '#progress_metric:host=+', '\t')],
  ['#throughput_metric repeated', pumped('c', '#throughput_metric:host=m', '\t')],
  ['#…_score repeated', pumped('', '#c_score(\u0000', '')],
  ['Train Epoch repeated', pumped('c', 'Train Epoch:0[e', '')],
  ['PredictionException repeated', pumped('', 'PredictionException ', ': 5')],
  ['failure words repeated', pumped('', 'failed to ', '')],
  ['exception names repeated', pumped('', 'a.', 'Error')],
];

const inContext = createContextClassifier();

describe('classifying pumped 16 KiB lines', () => {
  let times = new Map<string, number>();
  beforeAll(async () => {
    const lines = CLASSIFIER_ATTACKS.map(([, line]) => line);
    times = record(CLASSIFIER_ATTACKS, await timeInWorker('classify', lines));
  }, 60_000);

  it.each(CLASSIFIER_ATTACKS)('%s', (shape, line) => {
    expect(line.length).toBeGreaterThan(15_000);
    const classification = classifyMessage(line);
    // What the same shape says at a short length: the OOM phrase names a failure, and so may a
    // line of failure words or exception names; the rest are not failures.
    expect(['info', 'warning', 'error']).toContain(classification.severity);
    if (/^(?:"|127|\[:\]|loss|eval|y\t|accuracy|S|ME|\[0\]|p|s3|c|#|\{)/.test(line))
      expect(classification.severity).not.toBe('error');
    expect(inContext(line, { resourceType: 'TrainingJob' }).severity).toBeDefined();
    expect(times.get(shape)).toBeLessThan(MAX_MS);
  });

  it('still reads the request line the issue was filed for, once cut to a real length', () => {
    expect(classifyMessage(`"GET /invocations?${'?'.repeat(100)} HTTP/1.1" 429 5`)).toMatchObject({
      severity: 'error',
      category: 'throttling',
    });
  });

  it('still finds a Killed line and a raise line after U+2028 separators', () => {
    expect(classifyMessage(`${'\u2028'.repeat(5000)}Killed`).category).toBe('host_oom');
    expect(classifyMessage(`${'\u2028'.repeat(5000)}    raise ValueError("x")`).category).toBe(
      'python_exception',
    );
  });
});

const SCRUB_ATTACKS: readonly (readonly [string, string])[] = [
  ['many URL schemes', pumped('', 'a://b:', '')],
  ['many URL passwords without a host', pumped('https://u:', 'p@', '')],
  ['key names repeated', pumped('', 'key', '=')],
  ['secret words in one name', pumped('', 'secret_token_', ': ')],
  ['Basic with colons', pumped('Basic ', 'Og', '==')],
  ['Authorization repeated', pumped('', 'Authorization: ', '')],
  ['JWT-like', pumped('', 'eyJ-', '')],
];

describe('scrubbing pumped 16 KiB lines', () => {
  let times = new Map<string, number>();
  beforeAll(async () => {
    times = record(
      SCRUB_ATTACKS,
      await timeInWorker(
        'scrub',
        SCRUB_ATTACKS.map(([, line]) => line),
      ),
    );
  }, 60_000);

  it.each(SCRUB_ATTACKS)('%s', (shape, line) => {
    expect(typeof scrubSecrets(line)).toBe('string');
    expect(times.get(shape)).toBeLessThan(MAX_MS);
  });
});

const INCIDENT_ATTACKS: readonly (readonly [string, string])[] = [
  ['worker prefixes', pumped('', ']W-0--', ']W-0-d\t')],
  ['exception names', pumped('', 'a.', 'Error')],
  ['braces and quotes', pumped('', '{\'["', '')],
  ['hex runs', pumped('', '0a', 'g')],
  ['MPI prefixes inside a line', pumped('x', '[1,mpirank:1,a]<stdout>', ':')],
];

describe('incident steps on pumped 16 KiB lines', () => {
  let times = new Map<string, number>();
  beforeAll(async () => {
    times = record(
      INCIDENT_ATTACKS,
      await timeInWorker(
        'incident',
        INCIDENT_ATTACKS.map(([, line]) => line),
      ),
    );
  }, 60_000);

  it.each(INCIDENT_ATTACKS)('%s', (shape, line) => {
    expect(normaliseLine(line).body.length).toBeGreaterThan(0);
    expect(typeof isExceptionLine(line)).toBe('boolean');
    expect(times.get(shape)).toBeLessThan(MAX_MS);
  });

  it('records the slowest shape', () => {
    console.info(`slowest pumped 16 KiB line: ${slowest.shape}, ${slowest.ms.toFixed(2)} ms`);
    expect(slowest.ms).toBeLessThan(MAX_MS);
  });
});
