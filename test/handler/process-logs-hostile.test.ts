import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeDelivery, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * process-logs against hostile deliveries: a 1 MB delivery of lines pumped to 16 KiB in the
 * shapes that used to backtrack polynomially, and a delivery whose classification budget is spent.
 */

const ENDPOINT_GROUP = '/aws/sagemaker/Endpoints/prod';
const ENDPOINT_STREAM = 'AllTraffic/i-0123456789abcdef0';
const LINE_CHARS = 16 * 1024;

type Line = Record<string, unknown>;

let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  const base = {
    AWS_REGION: 'us-east-1',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    METRICS_DETAIL: '',
    ALERTS_TOPIC_ARN: '',
    SUPPRESSION_TABLE: '',
    METRIC_DEFINITIONS: '',
    ALERT_CONTEXT: 'false',
    CLASSIFICATION_BUDGET_SECONDS: '',
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return handler;
}

function pumped(before: string, piece: string, after: string): string {
  return (
    before + piece.repeat(Math.floor((LINE_CHARS - before.length - after.length) / piece.length)) + after
  );
}

/** The shapes that were quadratic, each pumped to 16 KiB. */
const HOSTILE_LINES = [
  pumped('"GET /invocations', '?', '" 429 " 5'),
  pumped('127.0.0.1:38412 - "POST /invocations HTTP/1.1" 200 OK', ' ', 'x!'),
  pumped('eval loss', ' ', 'x'),
  pumped('  from m import a', ' ', '\t!'),
  pumped('S', 'LOSSO', ''),
  pumped('[0]\t', '\t', '\u2028'),
  pumped('', '\u2028', 's'),
  pumped('p', 'NCCL WARN', 'rror es'),
  pumped('', 'S3 KEYN', ''),
  pumped('|0000000000000|\t', '\t', '|\n\u0000|'),
  pumped('', '#metrics\t{', '#metrics\n{}'),
  pumped('', 'a://b:', ''),
  pumped('', 'key', '='),
];

/** Sum of a derived metric over the EMF documents written. */
function derivedSum(lines: Line[], name: string): number {
  return lines
    .filter((line) => '_aws' in line && 'ResourceType' in line && typeof line[name] === 'number')
    .reduce((sum, line) => sum + (line[name] as number), 0);
}

function deliveryReport(lines: Line[]): { stats: Line } | undefined {
  return lines.find((line) => line.message === 'delivery processed') as { stats: Line } | undefined;
}

describe('process-logs on hostile deliveries', () => {
  it('classifies a 1 MB delivery of pumped lines, every line, well inside its budget', async () => {
    const handler = await loadHandler();
    const messages = Array.from({ length: 64 }, (_, i) => HOSTILE_LINES[i % HOSTILE_LINES.length] as string);
    messages.push('RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB');
    const delivery = makeDelivery(ENDPOINT_GROUP, ENDPOINT_STREAM, messages);
    const bytes = messages.reduce((sum, message) => sum + Buffer.byteLength(message), 0);
    expect(bytes).toBeGreaterThan(1_000_000);
    // 4 s left: the budget is half of it. Were any line quadratic (about 1 s each at 16 KiB), the
    // budget would run out and ClassificationSkipped would count the rest. The time is printed for
    // the record; the budget is the bound.
    const start = performance.now();
    await handler(toSubscriptionEvent(delivery), fakeContext(4_000));
    console.info(`1 MB delivery of pumped lines: ${(performance.now() - start).toFixed(0)} ms`);
    const lines = output.lines();
    expect(deliveryReport(lines)?.stats).toMatchObject({ events: 65, classificationSkipped: 0, errors: 1 });
    expect(derivedSum(lines, 'ClassificationSkipped')).toBe(0);
    expect(lines.some((line) => String(line.message).includes('budget'))).toBe(false);
    // The one real failure after the hostile lines still becomes an incident.
    expect(lines.some((line) => line.message === 'incident')).toBe(true);
  }, 60_000);

  it('counts but does not classify the events past a spent budget, says so, and completes', async () => {
    const handler = await loadHandler();
    const messages = Array.from({ length: 40 }, (_, i) => `RuntimeError: CUDA out of memory (${i})`);
    const delivery = makeDelivery(ENDPOINT_GROUP, ENDPOINT_STREAM, messages);
    // No time left at all: the budget is zero, the first clock reading is past it.
    await handler(toSubscriptionEvent(delivery), fakeContext(0));
    const lines = output.lines();
    expect(derivedSum(lines, 'ClassificationSkipped')).toBeGreaterThanOrEqual(40);
    expect(derivedSum(lines, 'LogEvents')).toBeGreaterThanOrEqual(40);
    expect(derivedSum(lines, 'ErrorEvents')).toBe(0);
    const warning = lines.find((line) => line.level === 'WARN' && String(line.message).includes('budget'));
    expect(warning).toMatchObject({ skipped: 40 });
    // The report is logged at the default level: a skipped classification is notable.
    expect(deliveryReport(lines)?.stats).toMatchObject({ events: 40, classificationSkipped: 40 });
  });
});
