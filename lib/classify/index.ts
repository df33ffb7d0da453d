/** Log line classification: severity, category, training metrics and HTTP requests. */

export {
  type ClassificationContext,
  type ContextClassifier,
  classifyInContext,
  createContextClassifier,
} from './classify-in-context.ts';
export {
  type Classifier,
  type ClassifierOptions,
  classifyMessage,
  createClassifier,
  findRule,
  LEVEL_RULE_IDS,
  MAX_CLASSIFIED_CHARS,
} from './classify-message.ts';
export {
  classifyGenerally,
  GENERAL_RULE_IDS,
  hintCategory,
  isTracebackStructure,
} from './general-tier.ts';
export { type HttpRequestLine, parseHttpRequest } from './http.ts';
export {
  applyMetricDefinitions,
  type CompiledMetricDefinition,
  compileMetricDefinitions,
  MAX_METRIC_DEFINITIONS,
  MAX_METRIC_NAME_LENGTH,
  MAX_METRIC_REGEX_LENGTH,
  type MetricDefinition,
  parseMetricDefinitions,
} from './metric-definitions.ts';
export {
  decodeCloudWatchEscapes,
  type LogLevel,
  LogLevels,
  type NormalizedMessage,
  normalizeMessage,
} from './normalize.ts';
export { RULE_PREFILTER, RULE_TRIGGER_WORDS, RULES, type Rule } from './rules.ts';
export { extractTrainingMetrics, type MetricValues, parseMetricNumber } from './training-metrics.ts';
