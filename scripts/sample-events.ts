/**
 * The bundled samples (samples/deliveries.json) as JSON lines of log events, a file `sagewatch
 * replay` reads: each delivery's events stamped from one start time (default 2026-11-26T09:20:00Z,
 * the day the samples' own lines print). `npm run report:sample` replays them into an HTML report.
 *
 *   node scripts/sample-events.ts [out.jsonl] [--start <ISO time>]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** One sample delivery as samples/deliveries.json holds it. */
export interface SampleDelivery {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

/** The samples' start time unless another is given. */
export const SAMPLE_START_MS = Date.parse('2026-11-26T09:20:00Z');

/** Reads samples/deliveries.json. */
export function readSamples(): SampleDelivery[] {
  return JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../samples/deliveries.json'), 'utf8'),
  ) as SampleDelivery[];
}

/** The samples as log events (the JSON lines `sagewatch replay` reads), in file order. */
export function toSampleEvents(
  samples: readonly SampleDelivery[],
  startMs = SAMPLE_START_MS,
): Array<{
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  message: string;
  eventId: string;
}> {
  let sequence = 0;
  return samples.flatMap((sample) =>
    sample.events.map((event) => ({
      logGroupName: sample.logGroup,
      logStreamName: sample.logStream,
      timestamp: startMs + event.offsetSeconds * 1000,
      message: event.message,
      eventId: String(38_000_000_000_000n + BigInt(sequence++)),
    })),
  );
}

/** The same as JSON lines. */
export function toSampleJsonLines(startMs = SAMPLE_START_MS): string {
  return toSampleEvents(readSamples(), startMs)
    .map((event) => `${JSON.stringify(event)}\n`)
    .join('');
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--start');
  const startMs = at >= 0 ? Date.parse(args[at + 1] ?? '') : SAMPLE_START_MS;
  if (Number.isNaN(startMs)) throw new Error('--start takes an ISO 8601 time');
  const out = args.find((arg, index) => !arg.startsWith('--') && !(at >= 0 && index === at + 1));
  const text = toSampleJsonLines(startMs);
  if (out === undefined) process.stdout.write(text);
  else {
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, text);
  }
}
