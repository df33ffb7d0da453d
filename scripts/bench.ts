/**
 * `npm run bench`: throughput of the built process-logs handler beside the bare decode floor
 * (base64 + gunzip + JSON.parse of the same payloads), measured in one process, in one run, as a
 * ratio; peak RSS for a 1 MB compressed payload; size and cold import time of the bundle.
 * Payloads hold real-format SageMaker lines (test/fixtures and samples/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classifyInContext } from '../lib/classify/classify-in-context.ts';
import { classifyMessage } from '../lib/classify/index.ts';
import { encodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { localContext } from './local-lambda.ts';

const root = resolve(import.meta.dirname, '..');
const bundle = resolve(root, 'dist/process-logs/index.mjs');

const labelled = readFileSync(resolve(root, 'test/fixtures/sagemaker-log-lines.dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { text: string; severity: string });
const sampleLines = (
  JSON.parse(readFileSync(resolve(root, 'samples/deliveries.json'), 'utf8')) as Array<{
    events: Array<{ message: string }>;
  }>
).flatMap((delivery) => delivery.events.map((event) => event.message));
const errorLines = labelled.filter((row) => row.severity === 'error').map((row) => row.text);
const benignLines = [
  ...sampleLines,
  ...labelled.filter((row) => row.severity === 'info').map((row) => row.text),
];

/**
 * Two mixes of real-format lines:
 * - `typical`: what a busy job or endpoint mostly writes (loss lines, access logs, info lines from
 *   the samples and the fixture's benign lines), with one fixture error line in 50;
 * - `labelled`: every labelled fixture line in turn, a third of them errors: a worst case.
 */
const MIXES = {
  typical: (i: number) =>
    i % 50 === 49
      ? (errorLines[Math.floor(i / 50) % errorLines.length] as string)
      : (benignLines[i % benignLines.length] as string),
  labelled: (i: number) => (labelled[i % labelled.length] as { text: string }).text,
} as const;
type Mix = keyof typeof MIXES;

type SubscriptionEvent = { awslogs: { data: string } };

/** One delivery of `count` events; `variant` makes the event ids (and so the delivery) unique. */
function makeEvent(count: number, variant: number, mix: Mix): SubscriptionEvent {
  const start = Date.now() - 5 * 60_000;
  const logEvents = Array.from({ length: count }, (_, i) => ({
    id: String(39_000_000_000_000_000n + BigInt(variant * 1_000_000 + i)),
    timestamp: start + Math.floor((i * 240_000) / count),
    message: MIXES[mix](i + variant),
  }));
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: 'llama-ft-2026-11-26-09-14-03-512/algo-3-1764148442',
    subscriptionFilters: ['sagewatch'],
    logEvents,
  };
  return encodeSubscriptionPayload(payload);
}

const context = localContext('sagewatch-bench-process-logs');

// No topic and no table: incidents are logged, suppression is in memory (no network in the loop).
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_SERVICE_NAME: 'sagewatch',
});
delete process.env.ALERTS_TOPIC_ARN;
delete process.env.SUPPRESSION_TABLE;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Runs `fn` with stdout and stderr discarded: producing the output is measured, printing it is not. */
async function silently<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function msPerPayload(
  payloads: SubscriptionEvent[],
  fn: (event: SubscriptionEvent) => unknown,
): Promise<number> {
  const started = performance.now();
  for (const payload of payloads) await fn(payload);
  return (performance.now() - started) / payloads.length;
}

/** Pool sizes chosen so one round takes about a second or more on a small machine. */
const POOL: Record<number, number> = { 100: 2000, 1000: 300, 10000: 30 };
const ROUNDS = 3;

async function throughput(handler: Handler, mix: Mix): Promise<void> {
  const floor = (event: SubscriptionEvent) =>
    JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  const rows: string[][] = [];
  let variant = mix === 'typical' ? 0 : 1_000_000;
  for (const size of [100, 1_000, 10_000]) {
    let floorMs = Number.POSITIVE_INFINITY;
    let handlerMs = Number.POSITIVE_INFINITY;
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh, distinct payloads every round, so the duplicate-delivery check never short-cuts work.
      const payloads = Array.from({ length: POOL[size] as number }, () => makeEvent(size, variant++, mix));
      bytes = gunzipSync(Buffer.from((payloads[0] as SubscriptionEvent).awslogs.data, 'base64')).length;
      floorMs = Math.min(floorMs, await msPerPayload(payloads, floor));
      handlerMs = Math.min(
        handlerMs,
        await silently(() => msPerPayload(payloads, (event) => handler(event, context))),
      );
    }
    rows.push([
      String(size),
      (size / (handlerMs / 1000)).toFixed(0),
      (bytes / 1e6 / (handlerMs / 1000)).toFixed(1),
      (size / (floorMs / 1000)).toFixed(0),
      (bytes / 1e6 / (floorMs / 1000)).toFixed(1),
      (handlerMs / floorMs).toFixed(2),
    ]);
  }
  const header = ['events', 'handler ev/s', 'handler MB/s', 'floor ev/s', 'floor MB/s', 'handler/floor'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i] as number)).join('  ');
  console.log(`\n${mix} mix (best of ${ROUNDS} rounds; MB = decompressed payload)`);
  console.log(format(header));
  for (const row of rows) console.log(format(row));
}

/** Child mode: handle one ~1 MB compressed payload; report peak RSS into the file named by argv[3]. */
async function rssProbe(out: string): Promise<void> {
  const { handler } = (await import(bundle)) as { handler: Handler };
  let count = 10_000;
  let event = makeEvent(count, 1, 'typical');
  while (event.awslogs.data.length < 1_000_000) {
    count = Math.ceil(count * (1_000_000 / event.awslogs.data.length) * 1.02);
    event = makeEvent(count, 1, 'typical');
  }
  global.gc?.();
  const before = process.memoryUsage().rss;
  await silently(() => handler(event, context));
  const peak = process.resourceUsage().maxRSS * 1024;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    out,
    JSON.stringify({ payloadBytes: event.awslogs.data.length, events: count, before, peak }),
  );
}

/** Child mode: time a cold import of the bundle into the file named by argv[3]. */
async function importProbe(out: string): Promise<void> {
  const started = performance.now();
  await import(bundle);
  const ms = performance.now() - started;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(out, String(ms));
}

function probe(flag: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'sagewatch-bench-')), 'result');
  const child = spawnSync(process.execPath, ['--expose-gc', import.meta.filename, flag, out], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${flag} failed: ${child.stderr}`);
  return readFileSync(out, 'utf8');
}

/**
 * The classifier alone on a mix: CPU microseconds per line (user + system, so that other processes
 * on a busy machine count less), line-only and in context, best of 5 runs.
 */
function classifierCost(mix: Mix): void {
  const lines = Array.from({ length: 20_000 }, (_, i) => MIXES[mix](i));
  const context = { resourceType: 'TrainingJob' } as const;
  const time = (classify: (line: string) => unknown): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const start = process.cpuUsage();
      for (const line of lines) classify(line);
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / lines.length);
    }
    return best;
  };
  const lineOnly = time(classifyMessage);
  const inContext = time((line) => classifyInContext(line, context));
  console.log(
    `  classifier alone, ${mix} mix: ${lineOnly.toFixed(2)} µs CPU/line line-only, ${inContext.toFixed(2)} µs CPU/line in context`,
  );
}

const [mode, out] = process.argv.slice(2);
if (mode === '--rss-probe') await rssProbe(out as string);
else if (mode === '--import-probe') await importProbe(out as string);
else {
  const { handler } = (await import(bundle)) as { handler: Handler };
  console.log(
    'sagewatch bench: dist/process-logs/index.mjs against the decode floor, same payloads, one process',
  );
  classifierCost('typical');
  classifierCost('labelled');
  await throughput(handler, 'typical');
  await throughput(handler, 'labelled');
  const rss = JSON.parse(probe('--rss-probe')) as {
    payloadBytes: number;
    events: number;
    before: number;
    peak: number;
  };
  console.log(
    `\nPeak RSS for a ${(rss.payloadBytes / 1e6).toFixed(2)} MB compressed payload (${rss.events} events): ` +
      `${(rss.peak / 2 ** 20).toFixed(0)} MiB (${(rss.before / 2 ** 20).toFixed(0)} MiB before the invocation)`,
  );
  const imports = Array.from({ length: 7 }, () => Number(probe('--import-probe'))).sort((a, b) => a - b);
  console.log(
    `Bundle dist/process-logs/index.mjs: ${(statSync(bundle).size / 1024).toFixed(0)} KiB; ` +
      `cold import: median ${imports[3]?.toFixed(0)} ms of 7 fresh processes`,
  );
}
