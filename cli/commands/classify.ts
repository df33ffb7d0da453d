/**
 * `sagewatch classify`: classifies lines (from standard input, files or `--message`) and prints what
 * matched and why. `--metric-definitions` tries new metric definitions on real logs.
 */
import { createClassifier, createContextClassifier } from '../../lib/classify/index.ts';
import { parseLogSource } from '../../lib/log-source.ts';
import { withCustomRules } from '../../lib/operator-rules/index.ts';
import { ResourceTypes } from '../../lib/types.ts';
import {
  type CommandSpec,
  HELP_OPTION,
  JSON_OPTION,
  type OptionValues,
  readChoiceOption,
  readFlag,
  readList,
  readString,
} from '../args.ts';
import {
  ClassifyFilters,
  type ClassifyRecord,
  keepRecord,
  renderClassifyReport,
  toClassifyRecord,
} from '../classify-report.ts';
import { UsageError } from '../exit-codes.ts';
import { detectLogFileFormat, LogFileFormats, parseLogFile } from '../log-files.ts';
import { decisionChanged, renderRulesDiff, toDecision } from '../rules-diff.ts';
import {
  note,
  print,
  printJson,
  readInput,
  readMetricDefinitions,
  readRulesFile,
  terminalWidth,
} from './shared.ts';

const InputFormats = ['lines', 'auto', ...LogFileFormats] as const;

export const classifySpec: CommandSpec = {
  name: 'classify',
  summary: 'Classify log lines and print what matched and why.',
  usage: ['[file...] [options]', '--message <text> [options]'],
  description: [
    'Reads standard input when no file and no --message is given. By default every line is one message; ' +
      '--format reads log files (JSON lines, console CSV, `aws logs tail` output) and classifies their ' +
      'messages whole, multi-line messages included.',
    'For each message: severity, category, the rule that decided (with its pattern, or the words that ' +
      'decided when no specific rule did), and the training ' +
      'metrics and HTTP request found. --metric-definitions tries metric definitions (SageMaker ' +
      'MetricDefinitions shape: [{"Name": "...", "Regex": "...(capture)..."}]) before deploying them.',
  ],
  options: {
    message: {
      type: 'string',
      short: 'm',
      multiple: true,
      value: 'text',
      description: 'A message to classify.',
    },
    format: {
      type: 'string',
      value: 'format',
      description: `Input format: ${InputFormats.join(', ')} (default lines: one message per line).`,
    },
    'metric-definitions': {
      type: 'string',
      value: 'json|file',
      description: 'Metric definitions as JSON, or a file holding it (default METRIC_DEFINITIONS).',
    },
    'resource-type': {
      type: 'string',
      value: 'type',
      description: `Classify as lines of this resource's stream (${ResourceTypes.join(', ')}): the context names generic failures, and traceback frames are info. Default: line by line, no context.`,
    },
    only: {
      type: 'string',
      value: 'which',
      description: `Show only: ${ClassifyFilters.join(', ')} (default all).`,
    },
    rules: {
      type: 'string',
      value: 'file',
      description:
        'An operator rules file to try (docs/configuration.md): its custom rules decide first, and the lines whose decision changes are listed.',
    },
    'log-group': {
      type: 'string',
      value: 'name',
      description:
        'With --rules: the log group the lines come from, for scoped rules (default: the event’s own).',
    },
    'log-stream': {
      type: 'string',
      value: 'name',
      description:
        'With --rules: the log stream the lines come from, for scoped rules (default: the event’s own).',
    },
    ...JSON_OPTION,
    ...HELP_OPTION,
  },
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  examples: [
    'sagewatch classify train.log',
    "sagewatch classify -m 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB'",
    `sagewatch classify train.log --only metrics --metric-definitions '[{"Name":"val:f1","Regex":"val_f1=([0-9.]+)"}]'`,
    'aws logs tail /aws/sagemaker/TrainingJobs --since 1h | sagewatch classify --format tail --only problems',
  ],
};

/** A message and, when its input says, where it was logged. */
interface InputMessage {
  message: string;
  logGroup?: string | undefined;
  logStream?: string | undefined;
}

/** The messages of one input, in order. */
function toMessages(text: string, format: (typeof InputFormats)[number], path: string): InputMessage[] {
  if (format === 'lines') {
    return text
      .split(/\r?\n/)
      .map((line) => line.replace(/^\uFEFF/, ''))
      .filter((line) => line.trim() !== '')
      .map((message) => ({ message }));
  }
  const detected = format === 'auto' ? detectLogFileFormat(text) : format;
  if (detected === undefined) {
    throw new UsageError(`cannot tell the format of '${path}': pass --format ${InputFormats.join('|')}`);
  }
  const parsed = parseLogFile(text, detected);
  for (const problem of parsed.problems.slice(0, 5))
    note(`${path}:${problem.line}: skipped: ${problem.problem}`);
  return parsed.events.map(({ message, logGroup, logStream }) => ({ message, logGroup, logStream }));
}

export async function runClassify(values: OptionValues, files: string[]): Promise<number> {
  const format = readChoiceOption(values, 'format', InputFormats, 'lines');
  const only = readChoiceOption(values, 'only', ClassifyFilters, 'all');
  const definitions = readMetricDefinitions(values, process.env.METRIC_DEFINITIONS);
  const definitionNames = new Set(definitions.map((definition) => definition.name));
  const classifyLine = createClassifier({ metricDefinitions: definitions });
  const classifyWith = createContextClassifier({ metricDefinitions: definitions });
  const resourceType =
    values['resource-type'] === undefined
      ? undefined
      : readChoiceOption(values, 'resource-type', ResourceTypes, 'Unknown');
  const classify = (message: string) =>
    resourceType === undefined ? classifyLine(message) : classifyWith(message, { resourceType });
  const rules = readRulesFile(values);

  const messages: InputMessage[] = readList(values, 'message').map((message) => ({ message }));
  const inputs = files.length > 0 ? files : messages.length > 0 ? [] : ['-'];
  for (const path of inputs) {
    // One by one: spreading a large array into push() overflows the stack.
    for (const message of toMessages(await readInput(path), format, path === '-' ? 'standard input' : path)) {
      messages.push(message);
    }
  }

  // With --rules, each line is classified as the processor would classify it in its log stream.
  const classifiers = new Map<string, typeof classify>();
  const classifierFor = (input: InputMessage) => {
    if (rules === undefined) return classify;
    const logGroup = readString(values, 'log-group') ?? input.logGroup ?? '';
    const logStream = readString(values, 'log-stream') ?? input.logStream ?? '';
    const key = `${logGroup}\n${logStream}`;
    let found = classifiers.get(key);
    if (found === undefined) {
      found = withCustomRules(classify, rules.rules, parseLogSource(logGroup, logStream));
      classifiers.set(key, found);
    }
    return found;
  };

  const records: (ClassifyRecord & { changedFrom?: ReturnType<typeof toDecision> })[] = [];
  const changed: Parameters<typeof renderRulesDiff>[0]['changedLines'] = [];
  messages.forEach((input, index) => {
    const classification = classifierFor(input)(input.message);
    const record: ClassifyRecord & { changedFrom?: ReturnType<typeof toDecision> } = toClassifyRecord(
      index + 1,
      input.message,
      classification,
      definitionNames,
      rules?.rules,
    );
    if (rules !== undefined) {
      const before = toDecision(classify(input.message));
      const after = toDecision(classification);
      if (decisionChanged(before, after)) {
        record.changedFrom = before;
        changed.push({ message: input.message, before, after });
      }
    }
    if (keepRecord(record, only)) records.push(record);
  });
  if (readFlag(values, 'json')) {
    for (const record of records) printJson(record, true);
  } else {
    const out = renderClassifyReport(records, messages.length, terminalWidth(), rules?.rules);
    if (rules !== undefined) {
      const diff = { changedLines: changed, added: [], removed: [], muted: [], routed: [] };
      out.push('', ...renderRulesDiff(diff, readString(values, 'rules') as string, true));
    }
    print(out);
  }
  return 0;
}
