/**
 * Gives every SageMaker endpoint variant sagewatch's standard CloudWatch alarms and removes them
 * with the endpoint. Triggers: EventBridge "SageMaker Endpoint State Change"; EventBridge CloudTrail
 * CreateLogGroup (an `/aws/sagemaker/Endpoints/<name>` group appearing; other groups are ignored);
 * an EventBridge schedule (full reconcile, orphan clean-up); a CloudFormation custom resource
 * (answered SUCCESS at once on Create/Update, then a full reconcile; Delete: remove this stage's
 * alarms, then answer). Only a bad configuration answers Create/Update FAILED, naming the variable.
 *
 * Every trigger syncs an endpoint to its state as DescribeEndpoint reports it now, so duplicate,
 * late or out-of-order events are harmless. Failure signal as in subscribe-log-groups: the report is
 * logged and published, then the invocation fails when an endpoint failed (custom resources never do).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { answerCustomResource, failForConfig } from '../lib/aws/custom-resource.ts';
import {
  createCloudWatchClient,
  createSageMakerClient,
  runAlarmTrigger,
} from '../lib/aws/endpoint-alarms.ts';
import { DEFAULT_METRICS_NAMESPACE } from '../lib/control-plane/config.ts';
import { parseTrigger } from '../lib/control-plane/triggers.ts';
import { readEndpointAlarmConfig } from '../lib/endpoint-alarms/config.ts';
import { type AlarmRunReport, toAlarmMetrics } from '../lib/endpoint-alarms/report.ts';
import { tryRead } from '../lib/env.ts';

// Read once at cold start; a bad value is thrown by the first invocation (see failForConfig).
const setup = tryRead(() => readEndpointAlarmConfig(process.env));
const namespace = setup.ok ? setup.value.metricsNamespace : DEFAULT_METRICS_NAMESPACE;
const logger = new Logger({ serviceName: 'manage-endpoint-alarms' });
const metrics = new Metrics({ namespace, serviceName: 'manage-endpoint-alarms' });
/** Counts invocations by events of a shape the function does not know. */
export const UNRECOGNISED_EVENTS_METRIC = 'EndpointAlarmEventsUnrecognised';
const clients = { sagemaker: createSageMakerClient(), cloudwatch: createCloudWatchClient() };

async function lambdaHandler(event: unknown): Promise<void> {
  const trigger = parseTrigger(event);
  const request = trigger.kind === 'custom-resource' ? trigger.request : undefined;
  if (!setup.ok) return failForConfig(request, setup.error);
  const deps = { ...clients, config: setup.value };
  // Answer before the work: a deploy never waits on alarms, nor fails because of them.
  if (request?.requestType === 'Create' || request?.requestType === 'Update') {
    await answerCustomResource(request, 'reconcile started; see the function log');
  }
  let report: AlarmRunReport | undefined;
  try {
    report = await runAlarmTrigger(deps, trigger);
  } catch (error) {
    if (request === undefined) throw error;
    logger.error('endpoint alarm run failed', { error });
  }
  // A custom resource trigger is never logged whole: its ResponseURL is a pre-signed credential.
  if (report === undefined && request === undefined) {
    if (trigger.kind === 'unrecognised') {
      // Not an event that merely asks for nothing: a rule or target sends a shape this code does not
      // know (misconfigured, or the event changed), so alarms may be going stale. Worth a look.
      logger.warn('unrecognised event', { trigger });
      metrics.addMetric(UNRECOGNISED_EVENTS_METRIC, MetricUnit.Count, 1);
    } else {
      logger.info('nothing to do for this event', { trigger });
    }
  }
  if (report !== undefined) {
    logger.info('endpoint alarm run report', { report });
    for (const { name, value } of toAlarmMetrics(report)) metrics.addMetric(name, MetricUnit.Count, value);
  }
  if (request?.requestType === 'Delete') {
    await answerCustomResource(
      request,
      report ? `removed ${report.deleted} alarm(s)` : 'removal failed; see the log',
    );
  }
  if (request === undefined && report !== undefined && report.failed > 0) {
    throw new Error(`${report.failed} endpoint(s) failed; see the run report`);
  }
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
