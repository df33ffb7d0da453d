/**
 * Times the classifier, the scrubber and the incident steps on the lines it is handed, in a worker
 * thread of its own: outside the test run's coverage instrumentation (which slows every lib/
 * function two- to threefold), so that the times are those of the deployed code. Each time is
 * the fastest of several runs (one slow run on a busy machine is noise).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classifyMessage, createContextClassifier } from '../../lib/classify/index.ts';
import { normaliseHeadline } from '../../lib/incidents/fingerprint.ts';
import { isExceptionLine } from '../../lib/incidents/group-lines.ts';
import { normaliseLine } from '../../lib/incidents/normalise-line.ts';
import { scrubSecrets } from '../../lib/text/scrub-secrets.ts';

/** What to time on each line. */
export type Step = 'classify' | 'scrub' | 'incident';

const RUNS = 7;
const inContext = createContextClassifier();

function fastestMs(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const STEPS: Record<Step, readonly ((line: string) => unknown)[]> = {
  classify: [classifyMessage, (line) => inContext(line, { resourceType: 'TrainingJob' })],
  scrub: [scrubSecrets],
  incident: [normaliseLine, normaliseHeadline, isExceptionLine],
};

const { step, lines } = workerData as { step: Step; lines: readonly string[] };
// The slowest of the step's functions on each line.
parentPort?.postMessage(
  lines.map((line) => Math.max(...STEPS[step].map((run) => fastestMs(() => run(line))))),
);
