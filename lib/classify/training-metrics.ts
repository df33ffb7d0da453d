/**
 * Training and evaluation metrics printed by the frameworks and algorithms that run on SageMaker.
 * Each known print format has its own small parser with the metric names its users know
 * (`train-rmse`, `eval_loss`, `test:mean_wQuantileLoss`); a tolerant `name: value` scanner covers
 * prose-like prints (`Epoch 1, Loss: 0.26`, `loss = 2.29, step = 101`) when the line names a
 * quality metric.
 */

import { createLogKeyedRecord } from '../text/log-keyed-record.ts';
import { group } from './regex.ts';

/** Metric values by name (names read from log lines: records without a prototype). */
export type MetricValues = Record<string, number>;

/** A number as frameworks print it, including NaN and infinities (`nan`, `-nan`, `inf`). */
const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)\b`;

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Parses a printed number; `nan`, `-nan` and `NaN` give NaN, `inf` gives an infinity. */
export function parseMetricNumber(text: string): number | undefined {
  // Most values are plain decimals, which Number reads as the checks below would.
  if (PLAIN_DECIMAL.test(text)) return Number(text);
  const trimmed = text.trim().toLowerCase();
  if (/^[-+]?nan$/.test(trimmed)) return Number.NaN;
  if (/^[-+]?inf(?:inity)?$/.test(trimmed)) {
    return trimmed.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Adds `name = value` to `metrics` when the value parses. */
function put(metrics: MetricValues, name: string, value: string | undefined): void {
  const parsed = value === undefined ? undefined : parseMetricNumber(value);
  if (parsed !== undefined && name !== '') metrics[name] = parsed;
}

function nonEmpty(metrics: MetricValues): MetricValues | undefined {
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

// ------------------------------------------------------------------ SageMaker built-in algorithms

// Runs that could reach the next print on the same line stop at its first character (`#`, `[`):
// a line repeating `#progress_metric: host=` is then read once, not once per repetition.

const QUALITY_METRIC = new RegExp(
  String.raw`#quality_metric:\s*host=[^,\s#]+,\s*(?:epoch=(\d+),\s*)?(?:batch=\d+,?\s*)?(\w+)\s+(\S(?:.*?\S)?)\s*<\w+>\s*=\s*\(?(${NUMBER})\)?`,
);
const PROGRESS_METRIC = new RegExp(
  String.raw`#progress_metric:\s*host=[^,\s#]+,\s*completed\s+(${NUMBER})\s*%`,
);
const THROUGHPUT_METRIC = new RegExp(
  String.raw`#throughput_metric:\s*host=[^,\s#]+,\s*(\w+)\s+throughput\s*=\s*(${NUMBER})`,
);
/** The document runs to the end of the line; it stops before another `#metrics` (linear time). */
const METRICS_JSON = /#metrics\s+(\{(?:(?!#metrics\s)[^\n\r\u2028\u2029])*\})\s*$/;
/** Linear Learner and friends: `#test_score (algo-1) : ('binary_classification_accuracy', 0.98)`. */
const SCORE_TUPLE = new RegExp(String.raw`#(\w+?)_score\s*\([^)#]*\)\s*:\s*\('([\w.-]+)',\s*(${NUMBER})\)`);

/** Reads the `sum` of each entry of a built-in algorithm's `#metrics {...}` JSON line. */
function parseBuiltInMetricsJson(json: string): MetricValues | undefined {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    // Lines are cut at CloudWatch's event size or by copy; a truncated document carries nothing safe.
    return undefined;
  }
  // The regex only hands over `{...}`, so a parsed document is an object.
  const entries = (document as { Metrics?: unknown }).Metrics;
  if (typeof entries !== 'object' || entries === null) return undefined;
  const metrics: MetricValues = createLogKeyedRecord();
  for (const [name, entry] of Object.entries(entries)) {
    const sum = (entry as { sum?: unknown } | null)?.sum;
    if (typeof sum === 'number') metrics[name] = sum;
  }
  return nonEmpty(metrics);
}

/** `#quality_metric`, `#progress_metric`, `#throughput_metric` and `#metrics` lines. */
function parseBuiltInAlgorithm(line: string): MetricValues | undefined {
  if (!line.includes('#')) return undefined;
  const metrics: MetricValues = createLogKeyedRecord();
  const quality = QUALITY_METRIC.exec(line);
  if (quality) {
    // SageMaker publishes these as `<channel>:<metric>` (`test:mean_wQuantileLoss`); keep that name.
    put(metrics, `${quality[2]}:${group(quality, 3).replace(/\s+/g, '_')}`, quality[4]);
    put(metrics, 'epoch', quality[1]);
    return nonEmpty(metrics);
  }
  const progress = PROGRESS_METRIC.exec(line);
  if (progress) {
    put(metrics, 'progress_percent', progress[1]);
    return nonEmpty(metrics);
  }
  const throughput = THROUGHPUT_METRIC.exec(line);
  if (throughput) {
    put(metrics, `${throughput[1]}_throughput`, throughput[2]);
    return nonEmpty(metrics);
  }
  const score = SCORE_TUPLE.exec(line);
  if (score) {
    put(metrics, `${score[1]}:${score[2]}`, score[3]);
    return nonEmpty(metrics);
  }
  const json = METRICS_JSON.exec(line);
  return json ? parseBuiltInMetricsJson(group(json, 1)) : undefined;
}

// ------------------------------------------------------------------ gradient boosting libraries

/**
 * XGBoost `[0]\ttrain-rmse:1.2\tvalidation-rmse:1.3`; LightGBM `[10]\tvalid_0's l2: 0.5`. Copies of
 * these lines may have the tabs turned into spaces.
 */
const BOOSTING_ROUND = /^\[(\d+)\][\t ]+([^\t ].*)$/;
/** `name:value`; XGBoost's cross-validation prints `name:mean+std`, of which the mean is the metric. */
const XGBOOST_PAIR = new RegExp(String.raw`^([A-Za-z][\w.@-]*):(${NUMBER})(?:\+(?:${NUMBER}))?$`);
const LIGHTGBM_PAIR = new RegExp(String.raw`^([\w.-]+)'s\s+([\w@.-]+):\s*(${NUMBER})$`);
/** LightGBM CLI: `Iteration:1, valid_1 auc : 0.77191`. */
const LIGHTGBM_CLI = new RegExp(
  String.raw`^Iteration:\s*(\d+),\s*([\w.-]+)\s+([\w@.-]+)\s*:\s*(${NUMBER})\s*$`,
);
/** CatBoost: `0:\tlearn: 0.6\ttest: 0.7\tbest: 0.5 (0)\ttotal: 1.14s\tremaining: 1m 53s`. */
const CATBOOST = /^(\d+):\t(?:learn|test|best):/;
const CATBOOST_PAIR = new RegExp(String.raw`^(learn|test|best):\s*(${NUMBER})(?:\s+\(\d+\))?$`);

function parseBoosting(line: string): MetricValues | undefined {
  const metrics: MetricValues = createLogKeyedRecord();
  const round = BOOSTING_ROUND.exec(line);
  if (round) {
    const fields = group(round, 2);
    // Without tabs, fields are split on spaces: only XGBoost's `name:value` fields have none inside.
    for (const field of fields.includes('\t') ? fields.split('\t') : fields.split(' ')) {
      const xgboost = XGBOOST_PAIR.exec(field.trim());
      if (xgboost) put(metrics, group(xgboost, 1), xgboost[2]);
      const lightgbm = LIGHTGBM_PAIR.exec(field.trim());
      if (lightgbm) put(metrics, `${lightgbm[1]}-${lightgbm[2]}`, lightgbm[3]);
    }
    return nonEmpty(metrics);
  }
  const cli = LIGHTGBM_CLI.exec(line);
  if (cli) {
    put(metrics, 'iteration', cli[1]);
    put(metrics, `${cli[2]}-${cli[3]}`, cli[4]);
    return metrics;
  }
  const catboost = CATBOOST.exec(line);
  if (catboost) {
    put(metrics, 'iteration', catboost[1]);
    for (const field of line.split('\t').slice(1)) {
      const pair = CATBOOST_PAIR.exec(field.trim());
      if (pair) put(metrics, group(pair, 1), pair[2]);
    }
    return metrics;
  }
  return undefined;
}

// ------------------------------------------------------------------ Python dict prints

/** Hugging Face Trainer and friends print a Python dict: `{'loss': 0.5, 'epoch': 0.1}`. */
const PYTHON_DICT_PAIR = new RegExp(String.raw`'([^'\n]{1,100})':\s*(${NUMBER})(?=\s*[,}]|\s*$)`, 'g');

/** Keys that make a printed dict a training log rather than, say, memory statistics. */
const TRAINING_DICT_KEY = /epoch|step|runtime|per_second|learning_rate|grad_norm/;

function parsePythonDict(line: string): MetricValues | undefined {
  if (!line.includes("{'")) return undefined;
  const metrics: MetricValues = createLogKeyedRecord();
  let training = false;
  for (const match of line.matchAll(PYTHON_DICT_PAIR)) {
    const name = group(match, 1);
    put(metrics, name, match[2]);
    if (!training && (QUALITY_NAME.test(name) || TRAINING_DICT_KEY.test(name))) training = true;
  }
  return training ? metrics : undefined;
}

// ------------------------------------------------------------------ PyTorch example prints

/** `Train Epoch: 1 [12800/60000 (21%)]\tLoss: 0.571117`. */
const TRAIN_EPOCH = new RegExp(String.raw`Train Epoch:\s*(\d+)\s*\[[^[\]]*\]\s*Loss:\s*(${NUMBER})`);
/** TF Estimator's last word: `Loss for final step: 0.0123.` */
const FINAL_STEP_LOSS = new RegExp(String.raw`Loss for final step:\s*(${NUMBER})`);
/** `Test set: Average loss: 0.1151, Accuracy: 9642/10000 (96%)`. */
const EVAL_SET = new RegExp(
  String.raw`\b(Test|Validation|Val|Eval) set:\s*Average loss:\s*(${NUMBER}),\s*Accuracy:\s*(\d+)\s*/\s*(\d+)`,
  'i',
);

/** Each of the three prints above says "loss" (`Loss:`, `Loss for`, `Average loss:`). */
const SAYS_LOSS = /loss/i;

function parsePyTorchExample(line: string): MetricValues | undefined {
  if (!SAYS_LOSS.test(line)) return undefined;
  const metrics: MetricValues = createLogKeyedRecord();
  const train = TRAIN_EPOCH.exec(line);
  if (train) {
    put(metrics, 'epoch', train[1]);
    put(metrics, 'loss', train[2]);
    return metrics;
  }
  const finalLoss = FINAL_STEP_LOSS.exec(line);
  if (finalLoss) {
    put(metrics, 'loss', finalLoss[1]);
    return metrics;
  }
  const evaluation = EVAL_SET.exec(line);
  if (evaluation) {
    put(metrics, `${group(evaluation, 1).toLowerCase()}_loss`, evaluation[2]);
    const correct = Number(evaluation[3]);
    const total = Number(evaluation[4]);
    if (total > 0) metrics.accuracy = correct / total;
    return metrics;
  }
  return undefined;
}

// ------------------------------------------------------------------ generic name/value prints

/** Names that make a line a metrics line; other pairs on the line (epoch, step, lr) come along. */
// "error" alone is left out: error text ("os error 2") is far more common than an error-rate print,
// and the boosting libraries that print error rates have their own parsers.
const QUALITY_NAME =
  /(?:^|[_\-:. ])(?:loss|acc|accuracy|error_rate|rmse|mse|mae|mape|auc|f1|precision|recall|perplexity|ppl|bleu|rouge\w*|score|logloss|ndcg|map|r2|iou|dice|wer|cer|reward)(?:$|[_\-@:. \d])/;
/** Words after which a name starts afresh: `occurred at epoch 9` names `epoch`. */
const STOP_WORDS = new Set([
  'a',
  'after',
  'and',
  'at',
  'by',
  'for',
  'from',
  'in',
  'is',
  'of',
  'on',
  'the',
  'to',
  'was',
  'with',
]);
/** Names of durations, progress and loss-scaling state rather than metrics. */
const IGNORED_NAME = /^(?:eta|took|sec|seconds)$|(?:^|_)time$|scal(?:e|er|ing)\b/;
/** `name: value`, `name = value`, `name value` for names of up to four words. */
const GENERIC_PAIR = new RegExp(
  String.raw`(?<![\w.\-/'"@])([A-Za-z][\w.\-@]*(?: [A-Za-z][\w.\-@]*){0,3})(?:\s*[=:]\s*|\s+)(${NUMBER})(?![\w.%/\-]|:\S)`,
  'g',
);
/** Python-style reprs (`GridSearchCV(cv=5, error_score=nan)`) list settings, not metrics. */
const CALL_REPR = /(?<!\w)[A-Za-z_]\w*\(\w+=/;
/** MXNet/GluonTS shapes rewritten to plain pairs before scanning. */
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/\bEpoch\[(\d+)\]/g, 'epoch=$1 '],
  [/\bSpeed:\s*([\d.]+)\s*samples\/sec/gi, 'speed_samples_per_sec=$1'],
  [/\b(?:Evaluation )?metric '([\w.-]+)'\s*=/g, '; $1='],
];

/** A camelCase identifier (`bestTest`) is a name someone chose; it keeps its case. */
const CAMEL_CASE = /^[a-z][a-z\d_.@-]*[A-Z][\w.@-]*$/;

/** Lower-cases a printed name, drops leading prose up to a stop word, joins words with `_`. */
function toMetricName(printed: string): string {
  if (CAMEL_CASE.test(printed)) return printed;
  const words = printed.toLowerCase().split(' ');
  let start = 0;
  words.forEach((word, index) => {
    if (STOP_WORDS.has(word)) start = index + 1;
  });
  return words.slice(start).join('_');
}

/** Structured (JSON) log lines are records of events, not metric prints. */
const JSON_RECORD = /^\s*\{\s*"/;
/**
 * A line that is one `name = number` (Hugging Face metric blocks: `  eval_loss = 0.31`; CatBoost's
 * `bestTest = 0.5`). Names starting upper-case (environment dumps: `SM_NUM_GPUS=1`) are left out.
 */
const SINGLE_PAIR = new RegExp(
  String.raw`^\s*([a-z][A-Za-z0-9_]*(?:[-/.][a-z0-9_]+)*)\s*[=:]\s*(${NUMBER})\s*$`,
);

/**
 * Every name {@link QUALITY_NAME} accepts holds one of these words, and a scanned name is made of
 * the line's own characters (lower-cased, spaces joined by `_`; the {@link REWRITES} add no such
 * word), so a line without any of them cannot hold a quality metric and is not scanned.
 */
const QUALITY_WORD =
  /loss|acc|error[_ ]rate|mse|mae|auc|f1|precision|recall|perplexity|ppl|bleu|rouge|score|ndcg|map|r2|iou|dice|wer|cer|reward/i;

function parseGeneric(line: string): MetricValues | undefined {
  // A single pair is never a call repr or a JSON record (its name holds no `(`, it starts with a
  // letter), so it is looked for first; then lines that cannot name a quality metric leave early.
  const single = SINGLE_PAIR.exec(line);
  if (single) {
    const metrics: MetricValues = createLogKeyedRecord();
    put(metrics, group(single, 1), single[2]);
    return nonEmpty(metrics);
  }
  if (!QUALITY_WORD.test(line) || CALL_REPR.test(line) || JSON_RECORD.test(line)) return undefined;
  let rewritten = line;
  for (const [pattern, replacement] of REWRITES) rewritten = rewritten.replace(pattern, replacement);
  const metrics: MetricValues = createLogKeyedRecord();
  let hasQualityMetric = false;
  for (const match of rewritten.matchAll(GENERIC_PAIR)) {
    const name = toMetricName(group(match, 1));
    if (name === '' || IGNORED_NAME.test(name)) continue;
    put(metrics, name, match[2]);
    if (QUALITY_NAME.test(name)) hasQualityMetric = true;
  }
  return hasQualityMetric ? metrics : undefined;
}

// ------------------------------------------------------------------ entry point

/** Parsers in the order they are tried on each line; the first that finds metrics decides the line. */
const LINE_PARSERS: readonly ((line: string) => MetricValues | undefined)[] = [
  parseBuiltInAlgorithm,
  parseBoosting,
  parsePythonDict,
  parsePyTorchExample,
  parseGeneric,
];

/** Cheap test that a line may hold a metric value at all. */
const MAY_HOLD_METRIC = /\d|nan\b|inf/i;

/**
 * Extracts training or evaluation metrics from the body lines of one log message
 * (see `normalizeMessage`). Later lines override earlier ones (progress bars rewrite the same line).
 *
 * NaN and infinite values are returned as such (`loss: nan` gives `{ loss: NaN }`) because they are
 * the signal of a diverging run. CloudWatch EMF cannot carry NaN or infinities: whoever emits these
 * values as metrics must drop or count them instead.
 *
 * @example
 * extractTrainingMetrics(['[3]\ttrain-rmse:0.5\tvalidation-rmse:0.6'])
 * // { 'train-rmse': 0.5, 'validation-rmse': 0.6 }
 */
export function extractTrainingMetrics(lines: readonly string[]): MetricValues | undefined {
  let found: MetricValues | undefined;
  for (const line of lines) {
    if (!MAY_HOLD_METRIC.test(line)) continue;
    for (const parse of LINE_PARSERS) {
      const metrics = parse(line);
      if (metrics) {
        // Parsers return fresh objects: the first is kept, later lines' values are added to it.
        found = found === undefined ? metrics : Object.assign(found, metrics);
        break;
      }
    }
  }
  return found;
}

/**
 * The regexes this module builds at load time and applies to log text, for the linear-time check
 * (test/helpers/redos-gate.ts, which finds the module's regex literals in its source).
 */
export const LOG_TEXT_PATTERNS: readonly RegExp[] = [
  QUALITY_METRIC,
  PROGRESS_METRIC,
  THROUGHPUT_METRIC,
  SCORE_TUPLE,
  XGBOOST_PAIR,
  LIGHTGBM_PAIR,
  LIGHTGBM_CLI,
  CATBOOST_PAIR,
  PYTHON_DICT_PAIR,
  TRAIN_EPOCH,
  FINAL_STEP_LOSS,
  EVAL_SET,
  GENERIC_PAIR,
  SINGLE_PAIR,
];
