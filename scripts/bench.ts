/**
 * `npm run bench`: throughput of the built process-logs handler beside the bare decode floor
 * (base64 + gunzip + JSON.parse of the same payloads), measured in one process, in one run, as a
 * ratio; peak RSS for a 1 MB compressed payload; size and cold import time of the bundle; the
 * Kinesis delivery shape against the direct one (`node scripts/bench.ts --kinesis` runs that alone).
 * Payloads hold real-format SageMaker lines (test/fixtures and samples/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { classifyInContext } from '../lib/classify/classify-in-context.ts';
import { classifyMessage } from '../lib/classify/index.ts';
import { MetricsDetails } from '../lib/metrics/dimensions.ts';
import { encodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { healthyLines, MIXES, type Mix, makeDelivery, withDistinctValues } from './bench-payloads.ts';
import { localContext } from './local-lambda.ts';

const root = resolve(import.meta.dirname, '..');
const bundle = resolve(root, 'dist/process-logs/index.mjs');

type SubscriptionEvent = { awslogs: { data: string } };

/** One delivery of `count` events as Lambda receives it; `variant` makes it unique. */
function makeEvent(count: number, variant: number, mix: Mix): SubscriptionEvent {
  return encodeSubscriptionPayload(makeDelivery(count, variant, mix, Date.now() - 5 * 60_000));
}

const context = localContext('sagewatch-bench-process-logs');

// No topic and no table: incidents are logged, suppression is in memory (no network in the loop).
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_SERVICE_NAME: 'sagewatch',
  ALERT_CONTEXT: 'false',
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

/**
 * Platform lines Lambda adds per invocation with its default logging (text format, system level
 * INFO): START (~75 bytes), END (~55) and REPORT (~170 without Init Duration). The stack's
 * LoggingConfig (JSON format, system log level WARN) drops all three; the table counts them as 0
 * and this estimate says what they would add otherwise.
 */
const PLATFORM_TEXT_BYTES = 300;

/** What the handler writes for one delivery: EMF documents and log lines, counted and measured. */
interface Output {
  derivedDocuments: number;
  derivedBytes: number;
  ownMetricDocuments: number;
  ownMetricBytes: number;
  logLines: number;
  logBytes: number;
}

/**
 * Runs one healthy typical-mix delivery of `count` events, all in one minute (a CloudWatch Logs
 * delivery spans a few seconds; one that straddles a minute boundary writes a second document),
 * on an endpoint's inference-pipeline stream (so each detail level adds its dimension set), and
 * measures every line the handler writes.
 */
async function measureOutput(
  handler: Handler,
  count: number,
  variant: number,
  distinct: boolean,
): Promise<{ input: number; output: Output }> {
  const minute = Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000;
  const logEvents = Array.from({ length: count }, (_, i) => ({
    // Ids apart for the distinct run: the same ids again would be a duplicate delivery, skipped.
    id: String(
      40_000_000_000_000_000n + (distinct ? 500_000_000_000n : 0n) + BigInt(variant * 1_000_000 + i),
    ),
    timestamp: minute + Math.floor((i * 50_000) / count),
    message: distinct
      ? withDistinctValues(healthyLines[(i + variant) % healthyLines.length] as string, i)
      : (healthyLines[(i + variant) % healthyLines.length] as string),
  }));
  const event = encodeSubscriptionPayload({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/sagemaker/Endpoints/fraud-pipeline-prod',
    logStream: 'AllTraffic/i-0a1b2c3d4e5f60718/model',
    subscriptionFilters: ['sagewatch'],
    logEvents,
  });
  const written: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    written.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await handler(event, context);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const output: Output = {
    derivedDocuments: 0,
    derivedBytes: 0,
    ownMetricDocuments: 0,
    ownMetricBytes: 0,
    logLines: 0,
    logBytes: 0,
  };
  for (const line of written) {
    const bytes = Buffer.byteLength(line) + 1;
    const record = JSON.parse(line) as Record<string, unknown>;
    if (!('_aws' in record)) {
      output.logLines++;
      output.logBytes += bytes;
    } else if ('service' in record) {
      output.ownMetricDocuments++;
      output.ownMetricBytes += bytes;
    } else {
      output.derivedDocuments++;
      output.derivedBytes += bytes;
    }
  }
  const input = logEvents.reduce((sum, e) => sum + Buffer.byteLength(e.message), 0);
  return { input, output };
}

/** The table of what the function writes per delivery, per detail level, beside the input. */
async function ownOutput(): Promise<void> {
  const rows: string[][] = [];
  for (const detail of MetricsDetails) {
    process.env.METRICS_DETAIL = detail;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    // A fresh module instance reads the configuration again, as a cold start would.
    const { handler } = (await import(`${pathToFileURL(bundle).href}?detail=${detail}`)) as {
      handler: Handler;
    };
    for (const distinct of [false, true])
      for (const [index, size] of [1, 5, 20, 100, 1_000, 10_000].entries()) {
        const { input, output } = await measureOutput(handler, size, index * 7, distinct);
        const total = output.derivedBytes + output.ownMetricBytes + output.logBytes;
        rows.push([
          detail,
          distinct ? 'distinct' : 'sampled',
          String(size),
          String(input),
          `${output.derivedDocuments} / ${output.derivedBytes}`,
          `${output.ownMetricDocuments} / ${output.ownMetricBytes}`,
          `${output.logLines} / ${output.logBytes}`,
          String(total),
          `${((100 * total) / input).toFixed(1)}%`,
          `${((100 * (total + PLATFORM_TEXT_BYTES)) / input).toFixed(1)}%`,
        ]);
      }
  }
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  delete process.env.METRICS_DETAIL;
  const header = [
    'detail',
    'values',
    'events',
    'input B',
    'EMF docs / B',
    'own metrics / B',
    'log lines / B',
    'written B',
    'of input',
    '+platform',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i] as number)).join('  ');
  console.log(
    '\nWhat the function writes per delivery (healthy typical mix, one minute, endpoint pipeline stream,' +
      " default log level INFO; input = message bytes; platform lines 0 under the stack's LoggingConfig," +
      ' values "sampled": the sample lines as they are, so their values repeat as the lines come round;' +
      ' "distinct": every decimal value made unique, as a real loss curve is;' +
      ` "+platform" adds ~${PLATFORM_TEXT_BYTES} B of START/END/REPORT as Lambda writes them by default)`,
  );
  console.log(format(header));
  for (const row of rows) console.log(format(row));
}

/** Runs `fn` and returns every line written to stdout and stderr meanwhile (not printed). */
async function captured(fn: () => Promise<unknown>): Promise<string[]> {
  const written: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line) written.push(line);
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return written;
}

/**
 * 1,000 small deliveries of a busy multi-node job (16 hosts, 20 healthy typical-mix events each,
 * one minute), as `delivery=direct` hands them over (one invocation each) and as `delivery=kinesis`
 * does (records of one shard in batches of `batchSize`): events per second through the built
 * handler, invocations, and the bytes written to the function's own log group (EMF documents,
 * the processor's own metrics, log lines at the default level INFO).
 */
async function kinesisShape(handler: Handler): Promise<void> {
  const DELIVERIES = 1_000;
  const EVENTS = 20;
  const HOSTS = 16;
  const rows: string[][] = [];
  const shapes: Array<['direct' | 'kinesis', number]> = [
    ['direct', 1],
    ['kinesis', 100],
    ['kinesis', 500],
  ];
  let round = 0;
  for (const [shape, batchSize] of shapes) {
    let bestMs = Number.POSITIVE_INFINITY;
    let bytes = 0;
    let documents = 0;
    for (let repeat = 0; repeat < ROUNDS; repeat++) {
      round++;
      const minute = Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000;
      // Fresh ids every round: the duplicate-delivery check never short-cuts work.
      const deliveries = Array.from({ length: DELIVERIES }, (_, d) => ({
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup: '/aws/sagemaker/TrainingJobs',
        logStream: `llama-ft-2026-12-04/algo-${(d % HOSTS) + 1}-1764842400`,
        subscriptionFilters: ['sagewatch'],
        logEvents: Array.from({ length: EVENTS }, (_, i) => ({
          id: String(41_000_000_000_000_000n + BigInt(round * 10_000_000 + d * 100 + i)),
          timestamp: minute + Math.floor((d * 50_000) / DELIVERIES) + i,
          message: healthyLines[(d * EVENTS + i) % healthyLines.length] as string,
        })),
      }));
      const encoded = deliveries.map((delivery) => encodeSubscriptionPayload(delivery).awslogs.data);
      const events =
        shape === 'direct'
          ? encoded.map((data) => ({ awslogs: { data } }))
          : Array.from({ length: DELIVERIES / batchSize }, (_, b) => ({
              Records: encoded.slice(b * batchSize, (b + 1) * batchSize).map((data, i) => {
                const sequenceNumber = String(
                  49_650_000_000_000_000_000n + BigInt(round * 100_000 + b * batchSize + i),
                );
                return {
                  eventSource: 'aws:kinesis',
                  eventID: `shardId-000000000000:${sequenceNumber}`,
                  eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-bench-logs',
                  kinesis: { data, sequenceNumber, partitionKey: 'p', approximateArrivalTimestamp: 0 },
                };
              }),
            }));
      const started = performance.now();
      const lines = await captured(async () => {
        for (const event of events) await handler(event, context);
      });
      bestMs = Math.min(bestMs, performance.now() - started);
      bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
      documents = lines.filter((line) => line.startsWith('{"_aws"')).length;
    }
    rows.push([
      shape === 'direct' ? 'direct' : `kinesis, batch ${batchSize}`,
      String(shape === 'direct' ? DELIVERIES : DELIVERIES / batchSize),
      ((DELIVERIES * EVENTS) / (bestMs / 1000)).toFixed(0),
      String(documents),
      String(bytes),
    ]);
  }
  const header = ['shape', 'invocations', 'events/s', 'EMF docs', 'bytes written'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i] as number)).join('  ');
  console.log(
    `\nDelivery shapes: ${DELIVERIES} deliveries of ${EVENTS} events from ${HOSTS} hosts of one training job, one minute ` +
      `(healthy typical mix, host detail, log level INFO; best of ${ROUNDS} rounds; bytes written = per ${DELIVERIES} deliveries)`,
  );
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
else if (mode === '--output') await ownOutput();
else if (mode === '--kinesis') {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.METRICS_DETAIL = 'host';
  await kinesisShape(((await import(bundle)) as { handler: Handler }).handler);
} else {
  const { handler } = (await import(bundle)) as { handler: Handler };
  console.log(
    'sagewatch bench: dist/process-logs/index.mjs against the decode floor, same payloads, one process',
  );
  classifierCost('typical');
  classifierCost('labelled');
  await throughput(handler, 'typical');
  await throughput(handler, 'labelled');
  await ownOutput();
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.METRICS_DETAIL = 'host';
  await kinesisShape(
    ((await import(`${pathToFileURL(bundle).href}?shape=kinesis`)) as { handler: Handler }).handler,
  );
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  delete process.env.METRICS_DETAIL;
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
