/**
 * How the processor classifies the lines of one log stream, the same for a delivery and for a held
 * traceback sent by its flush: the operator's custom rules in scope of the stream first, then the
 * built-in rules with the stream as their context.
 *
 * @module
 */
import { createContextClassifier, type MetricDefinition } from '../classify/index.ts';
import {
  type LineClassifier,
  NO_OPERATOR_RULES,
  type OperatorRules,
  withCustomRules,
} from '../operator-rules/index.ts';
import type { LogSource } from '../types.ts';

/** What decides a stream's classifier. */
export interface StreamClassifierConfig {
  metricDefinitions: readonly MetricDefinition[];
  /** The operator's rules document; none: the built-in rules alone. */
  operatorRules?: OperatorRules;
}

/**
 * Builds the built-in classifier once, and returns the function that gives each stream its own
 * line classifier (one per delivery: the custom rules in scope are picked once, not per line).
 */
export function createStreamClassifiers(
  config: StreamClassifierConfig,
): (source: LogSource) => LineClassifier {
  const classify = createContextClassifier({ metricDefinitions: [...config.metricDefinitions] });
  const rules = (config.operatorRules ?? NO_OPERATOR_RULES).rules;
  return (source) => withCustomRules((message) => classify(message, source), rules, source);
}
