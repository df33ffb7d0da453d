/**
 * `npm run demo`: runs the built process-logs handler (dist/process-logs/index.mjs) over the sample
 * SageMaker deliveries in samples/deliveries.json, with no AWS account: no topic and no table are
 * configured, so incidents are logged (as the handler does without ALERTS_TOPIC_ARN) instead of
 * published. Prints a summary per source and the incidents it would send; writes the raw EMF
 * documents to a file it names.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Incident } from '../lib/incidents/index.ts';
import { formatEmail, formatJson, formatSlack } from '../lib/incidents/index.ts';
import { encodeSubscriptionPayload } from '../lib/processor/decode.ts';
import { localContext } from './local-lambda.ts';

const root = resolve(import.meta.dirname, '..');
const bundle = resolve(root, 'dist/process-logs/index.mjs');
const outDir = resolve(root, '.sagewatch/demo');
const emfFile = resolve(outDir, 'emf.jsonl');
const incidentsFile = resolve(outDir, 'incidents.jsonl');
const slackFile = resolve(outDir, 'slack.json');

interface SampleDelivery {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

const samples = JSON.parse(
  readFileSync(resolve(root, 'samples/deliveries.json'), 'utf8'),
) as SampleDelivery[];
// Stamp the samples a few minutes in the past, inside CloudWatch's metric window.
const start = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

Object.assign(process.env, {
  AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'sagewatch',
  // DEBUG: the handler's report line closes every delivery (at INFO, only notable ones), and the
  // summary below is built from those lines.
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  METRICS_DETAIL: process.env.METRICS_DETAIL ?? 'host',
  // No AWS account: no alert context (it would call CloudWatch and SageMaker).
  ALERT_CONTEXT: 'false',
});
delete process.env.ALERTS_TOPIC_ARN;
delete process.env.SUPPRESSION_TABLE;

// Everything the handler writes (EMF documents and JSON log lines, on stdout and stderr) is captured.
const captured: string[] = [];
const capture = ((chunk: string | Uint8Array) => {
  captured.push(...String(chunk).split('\n').filter(Boolean));
  return true;
}) as typeof process.stdout.write;
const write = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};
process.stdout.write = capture;
process.stderr.write = capture;

const { handler } = (await import(bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};
const context = localContext('sagewatch-demo-process-logs');
let sequence = 0;
for (const sample of samples) {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: sample.logGroup,
    logStream: sample.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: sample.events.map((event) => ({
      id: String(38_000_000_000_000n + BigInt(sequence++)),
      timestamp: start + event.offsetSeconds * 1000,
      message: event.message,
    })),
  };
  await handler(encodeSubscriptionPayload(payload), context);
}
process.stdout.write = write.stdout;
process.stderr.write = write.stderr;

const records = captured.map((line) => JSON.parse(line) as Record<string, unknown>);
const emf = records.filter((r) => '_aws' in r);
const summaries = records.filter((r) => r.message === 'delivery processed');
const incidents = records
  .filter((r) => r.message === 'incident' && r.incident)
  .map((r) => r.incident as Incident);

mkdirSync(outDir, { recursive: true });
writeFileSync(emfFile, `${emf.map((doc) => JSON.stringify(doc)).join('\n')}\n`);

const out: string[] = [];
out.push('sagewatch demo: sample SageMaker deliveries through dist/process-logs/index.mjs', '');
for (const summary of summaries) {
  const source = summary.source as Record<string, string>;
  const stats = summary.stats as {
    events: number;
    errors: number;
    warnings: number;
    errorsByCategory: Record<string, number>;
    httpStatus: Record<string, number>;
    trainingMetrics: Record<string, { count: number; last: number }>;
  };
  const where = [
    source.resourceType,
    source.resourceName,
    source.host ?? source.instance,
    source.container ?? source.channel,
  ]
    .filter(Boolean)
    .join('  ');
  out.push(`▸ ${where}`);
  out.push(`    events ${stats.events}, errors ${stats.errors}, warnings ${stats.warnings}`);
  const categories = Object.entries(stats.errorsByCategory);
  if (categories.length)
    out.push(`    errors by category: ${categories.map(([c, n]) => `${c}=${n}`).join(', ')}`);
  const statuses = Object.entries(stats.httpStatus);
  if (statuses.length) out.push(`    HTTP status: ${statuses.map(([s, n]) => `${s}×${n}`).join(', ')}`);
  const metrics = Object.entries(stats.trainingMetrics);
  if (metrics.length) {
    out.push(
      `    training metrics: ${metrics.map(([name, m]) => `${name} (${m.count} values, last ${m.last})`).join(', ')}`,
    );
  }
}
out.push('', `Incidents it would send (${incidents.length}; grouped, fingerprinted, secrets scrubbed):`, '');
for (const incident of incidents) {
  const headline = incident.headline.length > 90 ? `${incident.headline.slice(0, 89)}…` : incident.headline;
  out.push(`  ${incident.severity.padEnd(8)}  ×${String(incident.count).padEnd(3)} ${incident.title}`);
  out.push(`  ${''.padEnd(8)}        ${headline}`);
}
const [first] = incidents;
if (first) {
  const email = formatEmail(first);
  out.push('', 'The first one as email readers get it:', '', `  Subject: ${email.subject}`);
  out.push(
    ...email.body
      .trimEnd()
      .split('\n')
      .map((line) => `  | ${line}`),
  );
}
writeFileSync(incidentsFile, `${incidents.map((incident) => formatJson(incident)).join('\n')}\n`);
writeFileSync(slackFile, `${JSON.stringify(incidents.map(formatSlack), null, 2)}\n`);
out.push(
  '',
  `Written to ${relative(process.cwd(), outDir)}/:`,
  `  ${relative(outDir, emfFile)}        ${emf.length} EMF documents (what CloudWatch turns into metrics)`,
  `  ${relative(outDir, incidentsFile)}  the incidents as JSON, as automation receives them`,
  `  ${relative(outDir, slackFile)}       the Slack Block Kit messages notify-slack would post`,
);
console.log(out.join('\n'));
