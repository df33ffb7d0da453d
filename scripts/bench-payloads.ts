/**
 * The payloads of `npm run bench`, also used by the EMF equivalence test: real-format SageMaker
 * lines from test/fixtures and samples/, in two mixes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyMessage } from '../lib/classify/index.ts';
import type { LogsDelivery } from '../lib/types.ts';

const root = resolve(import.meta.dirname, '..');

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
export const MIXES = {
  typical: (i: number) =>
    i % 50 === 49
      ? (errorLines[Math.floor(i / 50) % errorLines.length] as string)
      : (benignLines[i % benignLines.length] as string),
  labelled: (i: number) => (labelled[i % labelled.length] as { text: string }).text,
} as const;
export type Mix = keyof typeof MIXES;

/** The typical mix without its error lines: what a healthy job or endpoint writes. */
export const healthyLines = benignLines.filter((line) => classifyMessage(line).severity !== 'error');

/**
 * `line` with every decimal number made unique to event `i` (digits appended to its fraction:
 * `loss 1.5723` becomes `loss 1.57230042`), as a real job's losses and rates never repeat, while
 * a finite set of sample lines repeats its values every time it comes round. Integers (status
 * codes, millisecond latencies, steps) stay as they are.
 */
export function withDistinctValues(line: string, i: number): string {
  const suffix = String(i % 10_000).padStart(4, '0');
  return line.replace(/(?<![\d.])\d+\.\d+(?![\d.])/g, (number) => `${number}${suffix}`);
}

/** One delivery of `count` events from `startMs` over four minutes; `variant` makes its ids unique. */
export function makeDelivery(count: number, variant: number, mix: Mix, startMs: number): LogsDelivery {
  const logEvents = Array.from({ length: count }, (_, i) => ({
    id: String(39_000_000_000_000_000n + BigInt(variant * 1_000_000 + i)),
    timestamp: startMs + Math.floor((i * 240_000) / count),
    message: MIXES[mix](i + variant),
  }));
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: 'llama-ft-2026-11-26-09-14-03-512/algo-3-1764148442',
    subscriptionFilters: ['sagewatch'],
    logEvents,
  };
}
