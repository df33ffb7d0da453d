/**
 * sagewatch's public API (the package's `exports` entry): the pure domain that the Lambda functions
 * and the CLI are built on.
 * Nothing here calls AWS, reads the environment or writes to the console.
 *
 * @packageDocumentation
 */

export {
  classifyMessage,
  createClassifier,
  type MetricDefinition,
  parseMetricDefinitions,
} from './classify/index.ts';
export { toLogStreamConsoleUrl } from './console-link.ts';
export { ConfigError } from './errors.ts';
export {
  formatEmail,
  formatJson,
  formatSlack,
  type Incident,
  type IncidentSeverity,
  toIncidents,
  toSnsMessage,
} from './incidents/index.ts';
export { parseLogSource } from './log-source.ts';
export { MetricNames } from './metrics/aggregate.ts';
export { type MetricsDetail, MetricsDetails } from './metrics/dimensions.ts';
export { type EmfHistogram, type EmfOptions, type EmfValue, toEmfDocuments } from './metrics/emf.ts';
export {
  type Alertable,
  type AlertOutcome,
  type AlertToSend,
  deliverAlerts,
  PublishError,
} from './processor/alerting.ts';
export { type ProcessorConfig, readProcessorConfig } from './processor/config.ts';
export { DecodeError, decodeSubscriptionPayload } from './processor/decode.ts';
export {
  createDeliveryProcessor,
  type DeliveryProcessor,
  type DeliveryProcessorConfig,
  type DeliveryReport,
  toDeliveryKey,
} from './processor/delivery-processor.ts';
export { type DeliveryStats, type ProcessedDelivery, processDelivery } from './processor/process-delivery.ts';
export { createMemorySuppressionStore, type SuppressionStore } from './processor/suppression.ts';
export { scrubSecrets } from './text/scrub-secrets.ts';
export * from './types.ts';
