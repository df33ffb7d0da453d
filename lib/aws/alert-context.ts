/**
 * The reads behind an alert's context (lib/processor/alert-context.ts): one GetMetricData call per
 * incident with all its queries, and the Describe call of its job or endpoint. Clients are
 * injected; every request takes the gatherer's abort signal, so a read that outlives the budget is
 * cancelled, not left running.
 *
 * @module
 */
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeEndpointCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
  type SageMakerClientConfig,
} from '@aws-sdk/client-sagemaker';
import type {
  DescribeTarget,
  MetricQuery,
  MetricSeries,
  ResourceDescription,
} from '../incidents/alert-context.ts';
import type { AlertContextReaders } from '../processor/alert-context.ts';

/** One retry at most: the budget is short, and a throttled read is simply left out. */
export const CONTEXT_MAX_ATTEMPTS = 2;

/** A CloudWatch client for context reads (few attempts; the budget bounds the time anyway). */
export function createContextCloudWatchClient(config: CloudWatchClientConfig = {}): CloudWatchClient {
  return new CloudWatchClient({ maxAttempts: CONTEXT_MAX_ATTEMPTS, ...config });
}

/** A SageMaker client for context reads. */
export function createContextSageMakerClient(config: SageMakerClientConfig = {}): SageMakerClient {
  return new SageMakerClient({ maxAttempts: CONTEXT_MAX_ATTEMPTS, ...config });
}

/** Per-minute points: SageMaker publishes its metrics at 1-minute intervals. */
const PERIOD_SECONDS = 60;

/** The GetMetricData queries for an incident's metrics. */
export function toMetricDataQueries(queries: readonly MetricQuery[]): MetricDataQuery[] {
  return queries.map((query) => ({
    Id: query.id,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: PERIOD_SECONDS,
      Stat: query.stat,
    },
    ReturnData: true,
  }));
}

/** Reads all of an incident's metrics with one GetMetricData call. */
export async function readMetricSeries(
  cloudwatch: CloudWatchClient,
  queries: readonly MetricQuery[],
  window: { startMs: number; endMs: number },
  signal?: AbortSignal,
): Promise<MetricSeries[]> {
  // At most a few queries of 10 one-minute points: far below one page (100,800 data points).
  const output = await cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: toMetricDataQueries(queries),
      StartTime: new Date(window.startMs),
      EndTime: new Date(window.endMs),
      ScanBy: 'TimestampDescending',
    }),
    signal ? { abortSignal: signal } : {},
  );
  return (output.MetricDataResults ?? []).map((result) => ({
    id: result.Id ?? '',
    timestampsMs: (result.Timestamps ?? []).map((t) => new Date(t).getTime()),
    values: result.Values ?? [],
  }));
}

/** DescribeTrainingJob, DescribeProcessingJob, DescribeTransformJob or DescribeEndpoint. */
export async function describeResource(
  sagemaker: SageMakerClient,
  target: DescribeTarget,
  signal?: AbortSignal,
): Promise<ResourceDescription> {
  const options = signal ? { abortSignal: signal } : {};
  const optional = (key: 'secondaryStatus' | 'failureReason', value: string | undefined) =>
    value ? { [key]: value } : {};
  switch (target.kind) {
    case 'TrainingJob': {
      const job = await sagemaker.send(
        new DescribeTrainingJobCommand({ TrainingJobName: target.name }),
        options,
      );
      return {
        status: job.TrainingJobStatus ?? 'Unknown',
        ...optional('secondaryStatus', job.SecondaryStatus),
        ...optional('failureReason', job.FailureReason),
      };
    }
    case 'ProcessingJob': {
      const job = await sagemaker.send(
        new DescribeProcessingJobCommand({ ProcessingJobName: target.name }),
        options,
      );
      return {
        status: job.ProcessingJobStatus ?? 'Unknown',
        ...optional('failureReason', job.FailureReason ?? job.ExitMessage),
      };
    }
    case 'TransformJob': {
      const job = await sagemaker.send(
        new DescribeTransformJobCommand({ TransformJobName: target.name }),
        options,
      );
      return {
        status: job.TransformJobStatus ?? 'Unknown',
        ...optional('failureReason', job.FailureReason),
      };
    }
    case 'Endpoint': {
      const endpoint = await sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: target.name }),
        options,
      );
      const variant = endpoint.ProductionVariants?.find((v) => v.VariantName === target.variantName);
      return {
        status: endpoint.EndpointStatus ?? 'Unknown',
        ...optional('failureReason', endpoint.FailureReason),
        ...(variant?.CurrentInstanceCount === undefined
          ? {}
          : { currentInstances: variant.CurrentInstanceCount }),
        ...(variant?.DesiredInstanceCount === undefined
          ? {}
          : { desiredInstances: variant.DesiredInstanceCount }),
      };
    }
  }
}

/** The readers for the gatherer, on injected clients (and the suppression store's host count). */
export function createAlertContextReaders(
  cloudwatch: CloudWatchClient,
  sagemaker: SageMakerClient,
  readHosts?: AlertContextReaders['readHosts'],
): AlertContextReaders {
  return {
    readMetrics: (queries, window, signal) => readMetricSeries(cloudwatch, queries, window, signal),
    describe: (target, signal) => describeResource(sagemaker, target, signal),
    ...(readHosts ? { readHosts } : {}),
  };
}
