/**
 * The context-aware classifier: a log line plus where it came from (the resource type, the
 * inference-pipeline container, the channel), for the lines of a log stream. The line decides
 * whether something failed; where it came from decides what kind of failure a generic one is:
 * an unnamed failure in a serving container is an invocation error, in a training or processing
 * job the user script's.
 *
 * It also reads a line as one event of a stream: a line that is only a traceback's structure (a
 * frame, the `Traceback (most recent call last):` header, a chaining line) is info there, because
 * the exception line that ends the traceback carries the error and the incident grouping
 * recognises the traceback by its shape (docs/labelling.md, docs/detection.md).
 * `classifyMessage` keeps its line-only contract, where such a line alone still reports an error.
 */
import type { Category, Classification, LogSource, ResourceType } from '../types.ts';
import { type ClassifierOptions, createClassifier, MAX_CLASSIFIED_CHARS } from './classify-message.ts';
import { GENERAL_RULE_IDS, isTracebackStructure } from './general-tier.ts';
import { normalizeMessage } from './normalize.ts';

/** What the classifier may know about a line's origin: a subset of {@link LogSource}. */
export type ClassificationContext = Partial<Pick<LogSource, 'resourceType' | 'container' | 'channel'>>;

/** A classifier that takes the line's origin as well. */
export type ContextClassifier = (message: string, context?: ClassificationContext) => Classification;

/** Rule ids whose `python_exception` says only "something failed": the context may name it. */
const GENERIC_RULE_IDS: ReadonlySet<string> = new Set([
  'python-traceback',
  GENERAL_RULE_IDS.exceptionName,
  GENERAL_RULE_IDS.failureWords,
]);

/**
 * Rule ids whose failure names no kind at all (no exception class): the context names it. A named
 * exception (`ValueError: ...`) stays `python_exception` wherever it happens (docs/labelling.md).
 */
const CONTEXT_NAMED_RULE_IDS: ReadonlySet<string> = new Set([GENERAL_RULE_IDS.failureWords]);

/** The category of a generic failure, by where it happened. */
const GENERIC_FAILURE_BY_RESOURCE: Partial<Record<ResourceType, Category>> = {
  Endpoint: 'invocation_error',
  InferenceComponent: 'invocation_error',
  TransformJob: 'invocation_error',
  TrainingJob: 'user_script_error',
  ProcessingJob: 'user_script_error',
};

/** The category a generic failure gets from its context, if the context says one. */
export function contextCategory(context: ClassificationContext | undefined): Category | undefined {
  if (context === undefined) return undefined;
  // A batch transform's data-log channel reports the records the container failed to answer.
  if (context.channel === 'data-log') return 'invocation_error';
  return context.resourceType === undefined ? undefined : GENERIC_FAILURE_BY_RESOURCE[context.resourceType];
}

/** The rule id reported for a traceback structure line read as part of a stream. */
export const TRACEBACK_STRUCTURE_RULE_ID = GENERAL_RULE_IDS.tracebackStructure;

/**
 * Builds a context-aware classifier (operator metric definitions compiled once).
 *
 * @example
 * createContextClassifier()('Failed to process the request', { resourceType: 'Endpoint' }).category
 * // 'invocation_error'
 */
export function createContextClassifier(options: ClassifierOptions = {}): ContextClassifier {
  const classifyLine = createClassifier(options);
  return (message: string, context?: ClassificationContext): Classification => {
    const classification = classifyLine(message);
    if (classification.severity !== 'error') return classification;
    try {
      const bounded =
        message.length > MAX_CLASSIFIED_CHARS ? message.slice(0, MAX_CLASSIFIED_CHARS) : message;
      if (isTracebackStructure(normalizeMessage(bounded).lines)) {
        // A specific rule's category stays: a frame inside a model loader tells the traceback's kind.
        const generic = classification.ruleId === undefined || GENERIC_RULE_IDS.has(classification.ruleId);
        classification.severity = 'info';
        classification.category = generic ? 'none' : classification.category;
        classification.evidence = `traceback structure (${classification.ruleId ?? 'level'})`;
        classification.ruleId = TRACEBACK_STRUCTURE_RULE_ID;
        return classification;
      }
    } catch {
      return classification;
    }
    const named = contextCategory(context);
    if (
      named !== undefined &&
      classification.category === 'python_exception' &&
      classification.ruleId !== undefined &&
      CONTEXT_NAMED_RULE_IDS.has(classification.ruleId)
    ) {
      classification.evidence = `${classification.evidence ?? classification.ruleId}; generic failure in ${context?.channel === 'data-log' ? 'the data-log channel' : context?.resourceType}`;
      classification.category = named;
      classification.categoryFrom = 'context';
    }
    return classification;
  };
}

/**
 * Classifies one log message of a stream with its origin. Never throws.
 *
 * @example
 * classifyInContext('RuntimeError: shapes do not match', { resourceType: 'TrainingJob' }).category
 * // 'user_script_error'
 */
export const classifyInContext: ContextClassifier = createContextClassifier();
