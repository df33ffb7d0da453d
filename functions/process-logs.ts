// process-logs: turns CloudWatch Logs deliveries of /aws/sagemaker/* into EMF metrics and alerts.
// Three event shapes reach it: a direct subscription's delivery (`delivery=direct`, the default), a
// batch of deliveries from the Kinesis delivery stream (`delivery=kinesis`), and the flush queue of
// held tracebacks. The edges are wired once per container (lib/aws/process-logs-runtime.ts); what
// each shape does is lib/processor/invocations.ts and lib/processor/flush-messages.ts.
import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { createProcessLogsRuntime } from '../lib/aws/process-logs-runtime.ts';
import { toClassificationBudget } from '../lib/processor/classification-budget.ts';
import { handleFlushMessages, isFlushEvent } from '../lib/processor/flush-messages.ts';
import { createInvocationHandlers } from '../lib/processor/invocations.ts';
import { isKinesisEvent } from '../lib/processor/kinesis-batch.ts';

// Lambda's application log filter (AWS_LAMBDA_LOG_LEVEL) stays at INFO so that the EMF documents,
// which carry no level, pass it (serverless.yml, LoggingConfig). Powertools would take that level
// over POWERTOOLS_LOG_LEVEL; sagewatch's own lines follow POWERTOOLS_LOG_LEVEL, the deploy's logLevel.
delete process.env.AWS_LAMBDA_LOG_LEVEL;
const logger = new Logger({ serviceName: 'sagewatch' });
// A console of its own: Lambda's JSON log format wraps the global console, which would break EMF.
const emf = new Console({ stdout: process.stdout, stderr: process.stderr });
const writeEmf = (document: string) => emf.log(document);
// Configuration and operator rules are read and validated here, at cold start.
const runtime = await createProcessLogsRuntime(process.env, { log: logger, writeEmf });
const metrics = new Metrics({ namespace: runtime.config.namespace, serviceName: 'sagewatch' });

const invocations = createInvocationHandlers({
  processDelivery: runtime.processDelivery,
  namespace: runtime.config.namespace,
  valueCounts: runtime.config.valueCounts,
  writeEmf,
  log: logger,
  count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
  publishCounts: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
  routePosts: runtime.routePosts,
});

type Handled = SQSBatchResponse | undefined;
export const handler = middy(async (event: unknown, context: Context): Promise<Handled> => {
  // The flush queue: each message on its own; a failed one is retried by SQS, then dead-lettered.
  if (isFlushEvent(event)) return handleFlushMessages(event.Records, runtime.flushHeld, logger);
  // Classifying takes at most half the time left, so the invocation completes (classification-budget.ts).
  const budget = toClassificationBudget(
    context.getRemainingTimeInMillis(),
    runtime.config.classificationBudgetCapMs,
    () => performance.now(),
  );
  // The delivery stream: failures reported per record; Lambda retries from the first one reported.
  if (isKinesisEvent(event)) return invocations.kinesis(event.Records, { budget });
  return invocations.direct(event, { budget });
}).use(injectLambdaContext(logger, { resetKeys: true }));
