/**
 * `npm run eval [labelled.jsonl] [--json]`: scores the classifier on labelled log lines.
 *
 * Without a file: the real corpus (test/fixtures/corpus/), its `develop` part with the misses listed
 * and its `holdout` part with aggregate figures only (never a line of it: rules are not written from
 * it), each line-only and in context (the row's resource type); then the two older regression files,
 * which are the quality gate (exit 1 when one of their targets is missed).
 * `--develop` leaves the hold-out out (for the many runs while rules are written: the hold-out is
 * measured rarely).
 * With a file: that file alone, with its misses (refused for a hold-out of the corpus).
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyInContext } from '../lib/classify/classify-in-context.ts';
import {
  CORPUS_TARGETS,
  checkTargets,
  type EvalReport,
  evaluateClassifier,
  formatReport,
  type LabelledLine,
  MeasureNames,
  parseLabelledLines,
  type TargetResult,
  toResourceType,
} from '../lib/classify/eval.ts';
import { classifyMessage } from '../lib/classify/index.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../test/fixtures/${path}`, import.meta.url));
const REGRESSION_FILES = ['sagemaker-log-lines.dev.jsonl', 'sagemaker-log-lines.holdout.jsonl'];

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const developOnly = args.includes('--develop');
const fileArgument = args.find((arg) => !arg.startsWith('--'));

let problemCount = 0;
function read(file: string): LabelledLine[] {
  const { lines, problems } = parseLabelledLines(readFileSync(file, 'utf8'));
  problemCount += problems.length;
  for (const { lineNumber, problem } of problems)
    console.error(`${basename(file)}:${lineNumber}: skipped, ${problem}`);
  return lines;
}

const lineOnly = (text: string) => classifyMessage(text);
const inContext = (text: string, line: LabelledLine) => {
  const resourceType = toResourceType(line.resourceType);
  return classifyInContext(text, resourceType === undefined ? undefined : { resourceType });
};
const rates = (report: EvalReport) =>
  Object.fromEntries(MeasureNames.map((name) => [name, report.measures[name]]));

interface Part {
  title: string;
  report: EvalReport;
  results: TargetResult[];
  aggregateOnly: boolean;
  gate: boolean;
}
const parts: Part[] = [];

const isCorpusHoldout = (file: string) => /corpus[/\\](?:lines|episodes)\.holdout\.jsonl$/.test(file);

if (fileArgument) {
  const file = resolve(process.cwd(), fileArgument);
  const lines = read(file);
  const aggregateOnly = isCorpusHoldout(file);
  const report = evaluateClassifier(lines, lineOnly);
  parts.push({ title: file, report, results: checkTargets(report), aggregateOnly, gate: true });
} else {
  for (const name of developOnly ? (['develop'] as const) : (['develop', 'holdout'] as const)) {
    const lines = read(fixture(`corpus/lines.${name}.jsonl`));
    for (const [mode, classify] of [
      ['line-only', lineOnly],
      ['in context', inContext],
    ] as const) {
      const report = evaluateClassifier(lines, classify);
      parts.push({
        title: `corpus ${name}, ${mode}`,
        report,
        results: checkTargets(report, CORPUS_TARGETS),
        aggregateOnly: name === 'holdout',
        gate: false,
      });
    }
  }
  for (const name of REGRESSION_FILES) {
    const report = evaluateClassifier(read(fixture(name)), lineOnly);
    parts.push({
      title: `regression set ${name}`,
      report,
      results: checkTargets(report),
      aggregateOnly: false,
      gate: true,
    });
  }
}

if (asJson) {
  console.log(
    JSON.stringify(
      parts.map((part) => ({
        title: part.title,
        lines: part.report.lines,
        measures: rates(part.report),
        targets: part.results,
        misses: part.report.misses.length,
      })),
      null,
      2,
    ),
  );
} else {
  const listed = (part: Part) => !part.aggregateOnly && !part.title.endsWith('line-only');
  console.log(
    parts
      .map((part) =>
        formatReport(part.title, part.report, part.results, {
          aggregateOnly: part.aggregateOnly,
          maxMisses: listed(part) ? Number(process.env.EVAL_MAX_MISSES ?? 25) : 0,
        }),
      )
      .join('\n\n'),
  );
}

const gated = parts.filter((part) => part.gate);
process.exitCode =
  gated.every((part) => part.results.every((result) => result.met)) && problemCount === 0 ? 0 : 1;
