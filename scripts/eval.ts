/**
 * `npm run eval [labelled.jsonl] [--json]`: scores the classifier on labelled log lines (by default
 * test/fixtures/sagemaker-log-lines.dev.jsonl) and exits 1 when a quality target is missed.
 * Figures are printed for the whole file and for its deterministic dev / held-out parts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkTargets,
  type EvalReport,
  evaluateClassifier,
  formatReport,
  MeasureNames,
  parseLabelledLines,
  splitLabelledLines,
} from '../lib/classify/eval.ts';
import { classifyMessage } from '../lib/classify/index.ts';

const DEFAULT_FILE = fileURLToPath(
  new URL('../test/fixtures/sagemaker-log-lines.dev.jsonl', import.meta.url),
);

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const fileArgument = args.find((arg) => !arg.startsWith('--'));
const file = fileArgument ? resolve(process.cwd(), fileArgument) : DEFAULT_FILE;

const { lines, problems } = parseLabelledLines(readFileSync(file, 'utf8'));
for (const { lineNumber, problem } of problems) console.error(`${file}:${lineNumber}: skipped, ${problem}`);

const whole = evaluateClassifier(lines, classifyMessage);
const parts = splitLabelledLines(lines);
const dev = evaluateClassifier(parts.dev, classifyMessage);
const heldOut = evaluateClassifier(parts.heldOut, classifyMessage);
const results = checkTargets(whole);
const rates = (report: EvalReport) =>
  Object.fromEntries(MeasureNames.map((name) => [name, report.measures[name]]));

if (asJson) {
  console.log(
    JSON.stringify(
      {
        file,
        lines: whole.lines,
        whole: rates(whole),
        dev: rates(dev),
        heldOut: rates(heldOut),
        targets: results,
        misses: whole.misses.length,
      },
      null,
      2,
    ),
  );
} else {
  console.log(formatReport(`Whole file ${file}`, whole, results));
  console.log('');
  console.log(formatReport('Dev part (hash % 3 != 0)', dev, checkTargets(dev), { maxMisses: 0 }));
  console.log('');
  console.log(
    formatReport('Held-out part (hash % 3 == 0)', heldOut, checkTargets(heldOut), { maxMisses: 0 }),
  );
}

process.exitCode = results.every((result) => result.met) && problems.length === 0 ? 0 : 1;
