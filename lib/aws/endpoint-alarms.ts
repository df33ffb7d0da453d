/**
 * SageMaker and CloudWatch side of the endpoint alarm manager: read an endpoint's current state and
 * variants, read the alarms under its prefix, and apply the plan from `lib/endpoint-alarms/sync.ts`.
 * Clients are injected.
 */
import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  DeleteAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  paginateDescribeAlarms,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  paginateListEndpoints,
  SageMakerClient,
  type SageMakerClientConfig,
} from '@aws-sdk/client-sagemaker';
import { mapLimited } from '../control-plane/run-limited.ts';
import {
  endpointNameFromLogGroup,
  normaliseEndpointStatus,
  type Trigger,
} from '../control-plane/triggers.ts';
import {
  type AlarmDefinition,
  toEndpointAlarmPrefix,
  toEndpointAlarms,
  toStageAlarmPrefix,
} from '../endpoint-alarms/alarms.ts';
import type { EndpointAlarmConfig } from '../endpoint-alarms/config.ts';
import {
  type AlarmRunReport,
  type AlarmRunTrigger,
  type EndpointAlarmResult,
  toAlarmRunReport,
  toEmptyResult,
  toFailedResult,
} from '../endpoint-alarms/report.ts';
import {
  type ExistingAlarm,
  planAlarmSync,
  planMissingTags,
  planOrphanAlarms,
  toAlarmIntent,
} from '../endpoint-alarms/sync.ts';

/** SDK attempts per call (default 3). */
export const ALARMS_MAX_ATTEMPTS = 8;

/** DeleteAlarms takes at most 100 names per call. */
export const DELETE_ALARMS_BATCH_SIZE = 100;

/** Endpoints synced at once during a full reconcile. */
export const ENDPOINT_CONCURRENCY = 2;

/** A CloudWatch client with adaptive retry. */
export function createCloudWatchClient(config: CloudWatchClientConfig = {}): CloudWatchClient {
  return new CloudWatchClient({ retryMode: 'adaptive', maxAttempts: ALARMS_MAX_ATTEMPTS, ...config });
}

/** A SageMaker client with adaptive retry. */
export function createSageMakerClient(config: SageMakerClientConfig = {}): SageMakerClient {
  return new SageMakerClient({ retryMode: 'adaptive', maxAttempts: ALARMS_MAX_ATTEMPTS, ...config });
}

/** What the alarm manager's operations need. */
export interface AlarmDeps {
  sagemaker: SageMakerClient;
  cloudwatch: CloudWatchClient;
  config: EndpointAlarmConfig;
}

/** An endpoint as the alarm manager sees it. */
export type EndpointState = { exists: false } | { exists: true; status: string; variantNames: string[] };

/** SageMaker answers a missing endpoint with a ValidationException "Could not find endpoint ...". */
function isEndpointNotFound(error: unknown): boolean {
  return (
    error instanceof Error && error.name === 'ValidationException' && /could not find/i.test(error.message)
  );
}

const variantNamesOf = (variants: { VariantName?: string | undefined }[] | undefined): string[] =>
  (variants ?? []).flatMap((variant) => (variant.VariantName ? [variant.VariantName] : []));

/**
 * The endpoint's current status (normalised) and variant names. While an endpoint is being created
 * DescribeEndpoint may list no variants yet; the endpoint config always does.
 */
export async function describeEndpointState(
  sagemaker: SageMakerClient,
  endpointName: string,
): Promise<EndpointState> {
  let endpoint: DescribeEndpointCommandOutput;
  try {
    endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (error) {
    if (isEndpointNotFound(error)) return { exists: false };
    throw error;
  }
  let variantNames = variantNamesOf(endpoint.ProductionVariants);
  if (variantNames.length === 0 && endpoint.EndpointConfigName !== undefined) {
    const endpointConfig = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
    );
    variantNames = variantNamesOf(endpointConfig.ProductionVariants);
  }
  return { exists: true, status: normaliseEndpointStatus(endpoint.EndpointStatus ?? ''), variantNames };
}

/** Every metric alarm whose name starts with `prefix`, across all pages. */
export async function listAlarms(cloudwatch: CloudWatchClient, prefix: string): Promise<ExistingAlarm[]> {
  const alarms: ExistingAlarm[] = [];
  const pages = paginateDescribeAlarms(
    { client: cloudwatch },
    { AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'] },
  );
  for await (const page of pages) alarms.push(...(page.MetricAlarms ?? []));
  return alarms;
}

/** Deletes alarms by name, in batches of {@link DELETE_ALARMS_BATCH_SIZE}. */
export async function deleteAlarms(cloudwatch: CloudWatchClient, names: readonly string[]): Promise<void> {
  for (let start = 0; start < names.length; start += DELETE_ALARMS_BATCH_SIZE) {
    await cloudwatch.send(
      new DeleteAlarmsCommand({ AlarmNames: names.slice(start, start + DELETE_ALARMS_BATCH_SIZE) }),
    );
  }
}

/**
 * Sets the tags that alarms kept from before lack (PutMetricAlarm ignores `Tags` on an update):
 * one ListTagsForResource per kept alarm, a TagResource only where tags are missing.
 *
 * @returns how many alarms were re-tagged.
 */
export async function retagAlarms(
  cloudwatch: CloudWatchClient,
  kept: readonly AlarmDefinition[],
  existing: readonly ExistingAlarm[],
): Promise<number> {
  const arns = new Map(existing.map((alarm) => [alarm.AlarmName, alarm.AlarmArn]));
  let retagged = 0;
  for (const definition of kept) {
    const arn = arns.get(definition.AlarmName);
    if (arn === undefined) continue;
    const { Tags } = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    const missing = planMissingTags(definition.Tags, Tags ?? []);
    if (missing.length === 0) continue;
    await cloudwatch.send(new TagResourceCommand({ ResourceARN: arn, Tags: missing }));
    retagged++;
  }
  return retagged;
}

/**
 * Brings one endpoint's alarms in line with its current state (not the state an event claimed:
 * events arrive late, twice, or out of order). Never throws.
 */
export async function syncEndpointAlarms(
  deps: AlarmDeps,
  endpointName: string,
): Promise<EndpointAlarmResult> {
  const { sagemaker, cloudwatch, config } = deps;
  let intent = toAlarmIntent(undefined);
  try {
    const state = await describeEndpointState(sagemaker, endpointName);
    intent = toAlarmIntent(state.exists ? state.status : undefined);
    const result = toEmptyResult(endpointName, intent);
    if (intent === 'keep') return result;

    const existing = await listAlarms(cloudwatch, toEndpointAlarmPrefix(config, endpointName));
    const desired =
      intent === 'ensure' && state.exists
        ? toEndpointAlarms(config, endpointName, state.variantNames)
        : undefined;
    const plan = planAlarmSync(desired?.alarms ?? [], existing);
    for (const definition of [...plan.create, ...plan.update]) {
      await cloudwatch.send(new PutMetricAlarmCommand(definition));
    }
    const unchanged = new Set(plan.unchanged);
    const kept = [
      ...plan.update,
      ...(desired?.alarms ?? []).filter((alarm) => unchanged.has(alarm.AlarmName)),
    ];
    const retagged = await retagAlarms(cloudwatch, kept, existing);
    await deleteAlarms(cloudwatch, plan.delete);
    return {
      ...result,
      retagged,
      created: plan.create.length,
      updated: plan.update.length,
      unchanged: plan.unchanged.length,
      deleted: plan.delete.length,
      tooLong: desired?.tooLong ?? [],
    };
  } catch (error) {
    return toFailedResult(endpointName, intent, error);
  }
}

/** Deletes the alarms of the given orphaned endpoints; one result per endpoint. */
async function deleteOrphans(
  deps: AlarmDeps,
  orphans: { endpointName: string; alarmNames: string[] }[],
): Promise<EndpointAlarmResult[]> {
  const results: EndpointAlarmResult[] = [];
  for (const { endpointName, alarmNames } of orphans) {
    try {
      await deleteAlarms(deps.cloudwatch, alarmNames);
      results.push({ ...toEmptyResult(endpointName, 'remove'), deleted: alarmNames.length });
    } catch (error) {
      results.push(toFailedResult(endpointName, 'remove', error));
    }
  }
  return results;
}

async function listStageAlarmNames(deps: AlarmDeps): Promise<string[]> {
  const alarms = await listAlarms(deps.cloudwatch, toStageAlarmPrefix(deps.config));
  return alarms.flatMap((alarm) => (alarm.AlarmName ? [alarm.AlarmName] : []));
}

/**
 * Syncs every endpoint of the account and Region, then deletes this stage's alarms whose endpoint
 * no longer exists. Results: one per endpoint, plus one per orphaned endpoint name.
 */
export async function reconcileEndpointAlarms(deps: AlarmDeps): Promise<EndpointAlarmResult[]> {
  const endpointNames: string[] = [];
  for await (const page of paginateListEndpoints({ client: deps.sagemaker }, {})) {
    for (const endpoint of page.Endpoints ?? []) {
      if (endpoint.EndpointName) endpointNames.push(endpoint.EndpointName);
    }
  }
  const synced = await mapLimited(endpointNames, ENDPOINT_CONCURRENCY, (name) =>
    syncEndpointAlarms(deps, name),
  );
  // syncEndpointAlarms never throws and nothing stops the run early, so every result is fulfilled.
  const results = synced.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const orphans = planOrphanAlarms(deps.config, await listStageAlarmNames(deps), new Set(endpointNames));
  return [...results, ...(await deleteOrphans(deps, orphans))];
}

/** Deletes every alarm of this stage (sagewatch is being removed: their topic goes with it). */
export async function removeAllEndpointAlarms(deps: AlarmDeps): Promise<EndpointAlarmResult[]> {
  return deleteOrphans(deps, planOrphanAlarms(deps.config, await listStageAlarmNames(deps), new Set()));
}

/**
 * Runs what a trigger asks for and folds the results into the run report; `undefined` for triggers
 * the alarm manager has nothing to do with (a non-endpoint log group, ignored or unrecognised events).
 */
export async function runAlarmTrigger(
  deps: AlarmDeps,
  trigger: Trigger,
  now: () => number = Date.now,
): Promise<AlarmRunReport | undefined> {
  const started = now();
  const report = (kind: AlarmRunTrigger, results: EndpointAlarmResult[]): AlarmRunReport =>
    toAlarmRunReport(kind, results, now() - started);
  switch (trigger.kind) {
    case 'endpoint-state-change':
      return report('endpoint-state-change', [await syncEndpointAlarms(deps, trigger.endpointName)]);
    case 'log-group-created': {
      const endpointName = endpointNameFromLogGroup(trigger.logGroupName);
      if (endpointName === undefined) return undefined;
      return report('log-group-created', [await syncEndpointAlarms(deps, endpointName)]);
    }
    case 'reconcile':
      return report(trigger.source, await reconcileEndpointAlarms(deps));
    case 'custom-resource':
      return trigger.request.requestType === 'Delete'
        ? report('remove', await removeAllEndpointAlarms(deps))
        : report('deploy', await reconcileEndpointAlarms(deps));
    default:
      return undefined;
  }
}
