/**
 * `npm run bench`: throughput of the built process-logs handler beside the bare decode floor
 * (base64 + gunzip + JSON.parse of the same payloads), measured in one process, in one run, as a
 * ratio; peak RSS for a 1 MB compressed payload; size and cold import time of the bundle.
 * Payloads are realistic: mixed real-format SageMaker lines from test/fixtures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const bundle = resolve(root, 'dist/process-logs/index.mjs');
const fixture = resolve(root, 'test/fixtures/sagemaker-log-lines.dev.jsonl');

const lines = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text);

type SubscriptionEvent = { awslogs: { data: string } };

/** One delivery of `count` events cycling through the real lines; `variant` makes ids and numbers unique. */
function makeEvent(
  count: number,
  variant: number,
  stream = 'llama-ft-2026-11-26-09-14-03-512/algo-3-1764148442',
): SubscriptionEvent {
  const start = Date.now() - 5 * 60_000;
  const logEvents = Array.from({ length: count }, (_, i) => ({
    id: String(39_000_000_000_000_000n + BigInt(variant * 1_000_000 + i)),
    timestamp: start + Math.floor((i * 240_000) / count),
    message: (lines[(i + variant) % lines.length] as string).replace(/\d+/, (d) =>
      String(Number(d) + variant),
    ),
  }));
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: stream,
    subscriptionFilters: ['sagewatch'],
    logEvents,
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 60_000,
};

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_SERVICE_NAME: 'sagewatch',
});

async function timeAll(
  payloads: SubscriptionEvent[],
  fn: (event: SubscriptionEvent) => unknown,
): Promise<number> {
  const started = performance.now();
  for (const payload of payloads) await fn(payload);
  return (performance.now() - started) / payloads.length;
}

/** Pool sizes chosen so one round takes about a second or more on a small machine. */
const POOL: Record<number, number> = { 100: 3000, 1000: 400, 10000: 50 };
const ROUNDS = 3;

async function throughput(): Promise<void> {
  // The handler's stdout (EMF documents, logs) is discarded: the cost of producing it is kept.
  const write = process.stdout.write.bind(process.stdout);
  const discard = (() => true) as typeof process.stdout.write;
  const { handler } = (await import(bundle)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  const floor = (event: SubscriptionEvent) =>
    JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  const rows: string[][] = [];
  let variant = 0;
  for (const size of [100, 1_000, 10_000]) {
    let floorMs = Number.POSITIVE_INFINITY;
    let handlerMs = Number.POSITIVE_INFINITY;
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh, distinct payloads every round, so the duplicate-delivery check never short-cuts work.
      const payloads = Array.from({ length: POOL[size] as number }, () => makeEvent(size, variant++));
      bytes = gunzipSync(Buffer.from((payloads[0] as SubscriptionEvent).awslogs.data, 'base64')).length;
      floorMs = Math.min(floorMs, await timeAll(payloads, floor));
      process.stdout.write = discard;
      handlerMs = Math.min(handlerMs, await timeAll(payloads, (event) => handler(event, context)));
      process.stdout.write = write;
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
  console.log(
    `Throughput (best of ${ROUNDS} rounds; MB = decompressed payload bytes; target handler/floor ≤ 2.00 at 10,000)`,
  );
  console.log(format(header));
  for (const row of rows) console.log(format(row));
}

/** Child mode: handle one ~1 MB compressed payload and report the peak RSS. */
async function rssProbe(): Promise<void> {
  const { handler } = (await import(bundle)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  let count = 10_000;
  let event = makeEvent(count, 1);
  while (event.awslogs.data.length < 1_000_000) {
    count = Math.ceil(count * (1_000_000 / event.awslogs.data.length) * 1.02);
    event = makeEvent(count, 1);
  }
  const before = process.memoryUsage().rss;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  await handler(event, context);
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stderr.write(
    JSON.stringify({ payloadBytes: event.awslogs.data.length, events: count, before, peak }),
  );
}

/** Child mode: time a cold import of the bundle. */
async function importProbe(): Promise<void> {
  const started = performance.now();
  await import(bundle);
  process.stderr.write(String(performance.now() - started));
}

const mode = process.argv[2];
if (mode === '--rss-probe') await rssProbe();
else if (mode === '--import-probe') await importProbe();
else {
  await throughput();
  const probe = (flag: string) =>
    spawnSync(process.execPath, [import.meta.filename, flag], { encoding: 'utf8', env: process.env }).stderr;
  const rss = JSON.parse(probe('--rss-probe')) as {
    payloadBytes: number;
    events: number;
    before: number;
    peak: number;
  };
  console.log(
    `\nPeak RSS for a ${(rss.payloadBytes / 1e6).toFixed(2)} MB compressed payload (${rss.events} events): ` +
      `${(rss.peak / 2 ** 20).toFixed(0)} MiB (${(rss.before / 2 ** 20).toFixed(0)} MiB after import)`,
  );
  const imports = Array.from({ length: 7 }, () => Number(probe('--import-probe'))).sort((a, b) => a - b);
  console.log(
    `Bundle dist/process-logs/index.mjs: ${(statSync(bundle).size / 1024).toFixed(0)} KiB (target < 1 MB); ` +
      `cold import median ${imports[3]?.toFixed(0)} ms of 7 (target < 150 ms)`,
  );
}
