/**
 * Classifies one log line: severity and category from the ordered {@link RULES}, training metrics,
 * and the HTTP request the line reports.
 */

import { createKeywordMatcher, type KeywordMatcher } from '../text/keyword-matcher.ts';
import { createLogKeyedRecord } from '../text/log-keyed-record.ts';
import type { Classification, HttpInfo } from '../types.ts';
import {
  classifyGenerally,
  GENERAL_TRIGGER_WORDS,
  hintCategory,
  isTracebackStructure,
} from './general-tier.ts';
import { parseHttpRequest } from './http.ts';
import { parseStatusInWords, STATUS_TRIGGER_WORDS, stripComposePrefix } from './http-status-phrases.ts';
import {
  applyMetricDefinitions,
  type CompiledMetricDefinition,
  compileMetricDefinitions,
  type MetricDefinition,
} from './metric-definitions.ts';
import { extractMoreMetrics } from './metric-formats.ts';
import { type LogLevel, type NormalizedMessage, normalizeMessage } from './normalize.ts';
import { RULES, type Rule } from './rules.ts';
import { extractTrainingMetrics } from './training-metrics.ts';

/** Options of {@link createClassifier}. */
export interface ClassifierOptions {
  /** Operator-defined metrics (SageMaker `MetricDefinitions` shape), applied to every line. */
  metricDefinitions?: readonly MetricDefinition[];
}

/** A classifier: one log message in, its classification out. Never throws. */
export type Classifier = (message: string) => Classification;

/**
 * Only the start of a message is classified. CloudWatch events can reach 256 KiB; the decisive part
 * of a log line (the exception, the status) is at its start, and a bound keeps the cost per event flat.
 */
export const MAX_CLASSIFIED_CHARS = 16_384;

/** Rule ids used when no rule matched and the logger's own level decided. */
export const LEVEL_RULE_IDS = { error: 'level-error', warning: 'level-warning' } as const;

const INFO_NONE: Classification = { severity: 'info', category: 'none' };

/** What the logger's level says when no rule recognised the line. */
function classifyByLevel(level: LogLevel | undefined): Classification {
  // An ERROR-level line that names no known failure is, by the labels we follow, a warning: libraries
  // log recoverable conditions at ERROR (MPI host probes, missing appenders, retried connections).
  if (level === 'error') return { severity: 'warning', category: 'none', ruleId: LEVEL_RULE_IDS.error };
  if (level === 'warning') return { severity: 'warning', category: 'none', ruleId: LEVEL_RULE_IDS.warning };
  return { severity: 'info', category: 'none' };
}

/** The rule that recognises any exception line; its category is refined by the line's words. */
const GENERIC_EXCEPTION_RULE_ID = 'python-traceback';

/**
 * Rules indexed by their triggers: one pass over a line finds the rules worth trying on it. Labels
 * past the rules' own mark other words the same pass looks for (the built-in index's, below).
 */
interface RuleIndex {
  triggers: KeywordMatcher;
  /** Marks set before each line: the rules without triggers, tried on every line. */
  untriggered: Uint8Array;
  hasUntriggered: boolean;
  /** Scratch: the rules worth trying on the current line, then the other labels. */
  candidates: Uint8Array;
}

/** Each rule's trigger words, labelled with the rule's index. */
function ruleKeywords(rules: readonly Rule[]): { keyword: string; label: number }[] {
  return rules.flatMap((rule, label) => (rule.triggers ?? []).map((keyword) => ({ keyword, label })));
}

function indexRules(
  rules: readonly Rule[],
  others: readonly { keyword: string; label: number }[] = [],
  otherLabels = 0,
): RuleIndex {
  const untriggered = new Uint8Array(rules.length + otherLabels);
  rules.forEach((rule, index) => {
    if (rule.triggers === undefined) untriggered[index] = 1;
  });
  return {
    triggers: createKeywordMatcher([...ruleKeywords(rules), ...others]),
    untriggered,
    hasUntriggered: untriggered.includes(1),
    candidates: new Uint8Array(rules.length + otherLabels),
  };
}

/**
 * The built-in rules' index also looks for the general tier's words and the status phrases' words:
 * one pass of one automaton over a message's text serves all three readers, which would otherwise
 * scan it once each.
 */
const GENERAL_LABEL = RULES.length;
const STATUS_LABEL = RULES.length + 1;
const BUILT_IN_INDEX = indexRules(
  RULES,
  [
    ...GENERAL_TRIGGER_WORDS.map((keyword) => ({ keyword, label: GENERAL_LABEL })),
    ...STATUS_TRIGGER_WORDS.map((keyword) => ({ keyword, label: STATUS_LABEL })),
  ],
  2,
);
/** Indexes of other rule lists, built on first use (rule lists are read-only). */
const indexes = new WeakMap<readonly Rule[], RuleIndex>();

/** The first of `rules` marked in `candidates` whose pattern matches `text`, in rule order. */
function firstMatching(text: string, rules: readonly Rule[], candidates: Uint8Array): Rule | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as Rule;
    if (candidates[i] === 1 && rule.pattern.test(text)) return rule;
  }
  return undefined;
}

/**
 * The first rule whose pattern matches, if any. Only the rules whose triggers occur in the text
 * (and those without triggers) are tried, in rule order, which finds the same rule as trying all.
 */
export function findRule(text: string, rules: readonly Rule[] = RULES): Rule | undefined {
  let index = rules === RULES ? BUILT_IN_INDEX : indexes.get(rules);
  if (index === undefined) {
    index = indexRules(rules);
    indexes.set(rules, index);
  }
  const { candidates } = index;
  candidates.set(index.untriggered);
  if (!index.triggers.mark(text, candidates) && !index.hasUntriggered) return undefined;
  return firstMatching(text, rules, candidates);
}

/** What the built-in index's pass found in one message's text. */
interface TextTriggers {
  /** The built-in rule found the way {@link findRule} finds it. */
  rule: Rule | undefined;
  /** Whether the text holds one of the general tier's words. */
  mayFail: boolean;
  /** Whether the text holds one of the status phrases' words. */
  statusWords: boolean;
}

/** The pass {@link findRule} makes for the built-in rules, with what it found for the other two readers. */
function scanText(text: string): TextTriggers {
  const { candidates } = BUILT_IN_INDEX;
  candidates.set(BUILT_IN_INDEX.untriggered);
  BUILT_IN_INDEX.triggers.mark(text, candidates);
  const mayFail = candidates[GENERAL_LABEL] === 1;
  const statusWords = candidates[STATUS_LABEL] === 1;
  return { rule: firstMatching(text, RULES, candidates), mayFail, statusWords };
}

/**
 * Two tiers: the specific rules decide what they know; then the general tier (failure words,
 * exception names, the level); then the level alone.
 */
function decide(normalized: NormalizedMessage, triggers: TextTriggers): Classification {
  const { rule } = triggers;
  if (rule) {
    // The generic exception rule says only "an exception"; the line's words may say which kind.
    const category =
      rule.id === GENERIC_EXCEPTION_RULE_ID && !isTracebackStructure(normalized.lines)
        ? (hintCategory(normalized.text) ?? rule.category)
        : rule.category;
    return { severity: rule.severity, category, ruleId: rule.id };
  }
  return (
    classifyGenerally(normalized.lines, normalized.level, normalized.text, triggers.mayFail) ??
    classifyByLevel(normalized.level)
  );
}

function classifyNormalized(
  message: string,
  definitions: readonly CompiledMetricDefinition[],
): Classification {
  const bounded = message.length > MAX_CLASSIFIED_CHARS ? message.slice(0, MAX_CLASSIFIED_CHARS) : message;
  const normalized = normalizeMessage(bounded);
  const triggers = scanText(normalized.text);
  // Each step returns a fresh object, which the classification keeps without copying.
  const classification: Classification = decide(normalized, triggers);
  const builtIn = extractTrainingMetrics(normalized.lines) ?? extractMoreMetrics(normalized.lines);
  const operator =
    definitions.length > 0 ? applyMetricDefinitions(definitions, [normalized.text, bounded]) : undefined;
  if (operator) classification.metrics = Object.assign(createLogKeyedRecord<number>(), builtIn, operator);
  else if (builtIn) classification.metrics = builtIn;
  const request = findHttpRequest(normalized, triggers.statusWords);
  if (request) {
    classification.http =
      request.latencyMs === undefined
        ? { status: request.status }
        : { status: request.status, latencyMs: request.latencyMs };
  }
  return classification;
}

/** The request a line reports: an access-log layout first, then a status stated in words. */
function findHttpRequest(normalized: NormalizedMessage, statusWords: boolean): HttpInfo | undefined {
  const request = parseHttpRequest(normalized.text, normalized.lines);
  if (request) return request;
  const first = normalized.lines[0];
  const unprefixed = first === undefined ? undefined : stripComposePrefix(first);
  if (unprefixed !== undefined) {
    const behind = parseHttpRequest(unprefixed, [unprefixed]);
    if (behind) return behind;
  }
  return parseStatusInWords(normalized.text, statusWords);
}

/**
 * Builds a classifier with operator-defined metric definitions compiled once.
 *
 * @example
 * const classify = createClassifier({ metricDefinitions: [{ name: 'val:f1', regex: 'val_f1=([0-9.]+)' }] });
 * classify('epoch 3 val_f1=0.91').metrics // { 'val:f1': 0.91 }
 */
export function createClassifier(options: ClassifierOptions = {}): Classifier {
  const definitions = compileMetricDefinitions(options.metricDefinitions ?? []);
  return (message: string): Classification => {
    if (typeof message !== 'string' || message.length === 0) return { ...INFO_NONE };
    try {
      return classifyNormalized(message, definitions);
    } catch {
      // Expected data problems are values: a line we cannot read is an unremarkable line.
      return { ...INFO_NONE };
    }
  };
}

/**
 * Classifies one log message: severity, category, training metrics found in it, and the HTTP request
 * it reports. Never throws, whatever the input.
 *
 * Metric values may be NaN or infinite (a diverging loss); CloudWatch EMF cannot carry those, so an
 * emitter must drop or count them.
 *
 * @example
 * classifyMessage("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB")
 * // { severity: 'error', category: 'cuda_oom', ruleId: 'cuda-oom' }
 */
export const classifyMessage: Classifier = createClassifier({});
