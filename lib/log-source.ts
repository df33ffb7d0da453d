/**
 * Turns a SageMaker CloudWatch Logs group and stream name into a {@link LogSource}: which resource
 * wrote the line, on which instance, in which container or channel.
 *
 * SageMaker names are `[A-Za-z0-9-]` and may end in digits that look like the epoch suffix SageMaker
 * appends to host segments (`run-1700000000/algo-1-1700000001`), so `/` is the only safe separator:
 * the resource name is always a whole segment, and a host segment is split only at its last `-`.
 * No regular expression here can backtrack more than linearly, and names longer than CloudWatch
 * allows are rejected before any parsing, so the work per call is bounded whatever the input.
 *
 * @module
 */
import type { LogSource, ResourceType } from './types.ts';

/** CloudWatch Logs limit on log group names (CreateLogGroup: 1-512 characters). */
export const MAX_LOG_GROUP_NAME_LENGTH = 512;

/** CloudWatch Logs limit on log stream names (CreateLogStream: 1-512 characters). */
export const MAX_LOG_STREAM_NAME_LENGTH = 512;

/** Every SageMaker log group starts with this (compared case-insensitively). */
const SAGEMAKER_GROUP_PREFIX = '/aws/sagemaker/';

/** Asynchronous inference and batch transform write request/response records to this stream suffix. */
const DATA_LOG_CHANNEL = 'data-log';

/** SSM-enabled endpoints and remote-debugged training jobs write the SSM agent's output here. */
const SSM_CHANNEL = 'ssm';

/** Notebook instances name their Jupyter server stream after its file: `jupyter.log` is channel `jupyter`. */
const LOG_EXTENSION = '.log';

/** Unix seconds in the host segment (`algo-1-1700000000`) have 10 digits until the year 2286. */
const EPOCH_SUFFIX = /^[0-9]{10}$/;

/** Host name of a training or processing container inside the job's cluster. */
const ALGO_HOST = /^algo-[0-9]+$/;

/**
 * EC2-style instance id. Real ids are 8 or 17 lower-case hex digits; shorter and mixed-case forms are
 * accepted because the id only has to be told apart from the epoch suffix and from serverless tokens.
 */
const INSTANCE_ID = /^i-[0-9a-f]{1,32}$/i;

/** A SageMaker name segment (container host name, variant, ...): letters, digits and hyphens. */
const NAME_SEGMENT = /^[A-Za-z0-9-]+$/;

/** How the group's path after `/aws/sagemaker/` identifies the resource. */
type GroupShape =
  /** One shared group per Region; the resource name is the stream's first segment. */
  | 'shared'
  /** One group per resource: `<Kind>/<name>`. */
  | 'per-resource'
  /** HyperPod: `Clusters/<name>/<cluster-id>`. */
  | 'cluster';

interface GroupKind {
  readonly resourceType: ResourceType;
  readonly shape: GroupShape;
}

/**
 * Group kinds by lower-cased path segment. Real groups use this exact case (`studio` is lower case,
 * the rest CamelCase) but AWS's own pages disagree (`/aws/sagemaker/endpoints/...`), so the kind is
 * matched case-insensitively. A `Map` keeps hostile kinds such as `constructor` from reaching
 * `Object.prototype`.
 */
const GROUP_KINDS: ReadonlyMap<string, GroupKind> = new Map<string, GroupKind>([
  ['trainingjobs', { resourceType: 'TrainingJob', shape: 'shared' }],
  ['processingjobs', { resourceType: 'ProcessingJob', shape: 'shared' }],
  ['transformjobs', { resourceType: 'TransformJob', shape: 'shared' }],
  ['labelingjobs', { resourceType: 'LabelingJob', shape: 'shared' }],
  ['compilationjobs', { resourceType: 'CompilationJob', shape: 'shared' }],
  ['inferencerecommendationsjobs', { resourceType: 'InferenceRecommendationsJob', shape: 'shared' }],
  ['notebookinstances', { resourceType: 'NotebookInstance', shape: 'shared' }],
  ['studio', { resourceType: 'Studio', shape: 'shared' }],
  ['endpoints', { resourceType: 'Endpoint', shape: 'per-resource' }],
  ['inferencecomponents', { resourceType: 'InferenceComponent', shape: 'per-resource' }],
  ['clusters', { resourceType: 'HyperPodCluster', shape: 'cluster' }],
]);

/** Optional fields of {@link LogSource}. */
type OptionalField = Exclude<keyof LogSource, 'resourceType' | 'logGroup' | 'logStream'>;

/**
 * Parses a SageMaker log group and stream name. Never throws: anything it cannot place, including
 * every group outside `/aws/sagemaker/`, comes back as `Unknown`. Optional fields are omitted, never
 * set to `undefined`; `logGroup` and `logStream` are always returned verbatim.
 *
 * Groups and what the stream yields:
 *
 * | group | stream | fields |
 * |---|---|---|
 * | `TrainingJobs` | `<job>/algo-N-<epoch>[/ssm]` | `instance` `algo-N`, `startedAt`, `host` `<job>/algo-N`, `channel` `ssm` |
 * | `ProcessingJobs` | `<job>/algo-N-<epoch>` | as training |
 * | `TransformJobs` | `<job>/<instance-id>-<epoch>[/data-log or /<container>]` | `instance`, `startedAt`, `host` `<job>/<instance-id>`, `channel` or `container` |
 * | `Endpoints/<endpoint>` | `<variant>/<instance-id or serverless token>[/data-log, /ssm or /<container>]` | `variantName`, `instance`, `host` `<endpoint>/<variant>/<instance-id>` (not for serverless), `channel` or `container` |
 * | `InferenceComponents/<name>` | opaque | `resourceName` only |
 * | `NotebookInstances` | `<name>/LifecycleConfigOnCreate`, `<name>/LifecycleConfigOnStart`, `<name>/jupyter.log` | `channel`: the hook, or `jupyter` (a trailing `.log` is dropped) |
 * | `studio` | `<domain-id>/<user-or-space>/<app-type>/<app-name>[/LifecycleConfigOnStart]` | `resourceName` is the domain id; `channel` the lifecycle hook |
 * | `Clusters/<name>/<id>` | `<agent>/<instance-group>/<node>`, `DeepHealthCheckResults/<id>` | `channel` is the first segment (`LifecycleConfig`, `SagemakerHealthMonitoringAgent`, ...); `instance` the node's `i-` id |
 * | `LabelingJobs`, `CompilationJobs`, `InferenceRecommendationsJobs` | `<job>[/<rest>]` | `channel` is the rest: `model-info-extraction`, `execution`, `Endpoint/<name>`, ... |
 *
 * `host` is set only where SageMaker publishes instance metrics with a `Host` dimension (training,
 * processing, transform, instance-backed endpoints). A stream written with the group as a prefix
 * (`/aws/sagemaker/studio/d-.../...`, as one AWS whitepaper shows) is read without that prefix.
 *
 * @param logGroup - The CloudWatch Logs group name, e.g. `/aws/sagemaker/TrainingJobs`.
 * @param logStream - The log stream name, e.g. `my-job/algo-1-1700000000`.
 * @returns Where the stream's lines come from.
 */
export function parseLogSource(logGroup: string, logStream: string): LogSource {
  const source: LogSource = { resourceType: 'Unknown', logGroup, logStream };
  if (typeof logGroup !== 'string' || typeof logStream !== 'string') return source;
  if (logGroup.length > MAX_LOG_GROUP_NAME_LENGTH || logStream.length > MAX_LOG_STREAM_NAME_LENGTH) {
    return source;
  }
  if (logGroup.slice(0, SAGEMAKER_GROUP_PREFIX.length).toLowerCase() !== SAGEMAKER_GROUP_PREFIX) {
    return source;
  }

  const groupPath = logGroup.slice(SAGEMAKER_GROUP_PREFIX.length);
  const kindEnd = groupPath.indexOf('/');
  const kind = GROUP_KINDS.get((kindEnd === -1 ? groupPath : groupPath.slice(0, kindEnd)).toLowerCase());
  if (kind === undefined) return source;
  const groupName = readGroupName(kindEnd === -1 ? [] : groupPath.slice(kindEnd + 1).split('/'), kind.shape);
  if (groupName === undefined) return source;

  source.resourceType = kind.resourceType;
  const stream = logStream.startsWith(`${logGroup}/`) ? logStream.slice(logGroup.length + 1) : logStream;
  const segments = stream.split('/');
  switch (kind.resourceType) {
    case 'TrainingJob':
    case 'ProcessingJob':
      parseJobStream(source, segments, ALGO_HOST);
      break;
    case 'TransformJob':
      parseJobStream(source, segments, INSTANCE_ID);
      break;
    case 'Endpoint':
      parseEndpointStream(source, groupName, segments);
      break;
    case 'InferenceComponent':
      // Stream names are opaque 36-character tokens (undocumented): nothing to read from them.
      setField(source, 'resourceName', groupName);
      break;
    case 'HyperPodCluster':
      parseClusterStream(source, groupName, segments);
      break;
    case 'Studio':
      parseStudioStream(source, segments);
      break;
    case 'NotebookInstance':
      parseNamedStream(source, segments, true);
      break;
    default:
      // LabelingJob, CompilationJob, InferenceRecommendationsJob: `<job>[/<sub-stream>]`.
      parseNamedStream(source, segments, false);
  }
  return source;
}

/**
 * The resource name a group carries after its kind: `''` for shared groups, which carry none, and
 * `undefined` when the group does not have its kind's shape (`/aws/sagemaker/Endpoints` alone is a
 * metric namespace, not a log group; `/aws/sagemaker/NotebookInstances/<hook>` only exists in docs).
 */
function readGroupName(names: readonly string[], shape: GroupShape): string | undefined {
  const [name, ...rest] = names;
  if (shape === 'shared') return name === undefined ? '' : undefined;
  // Clusters/<name>/<cluster-id>: the id is a second path segment after the name.
  const idSegments = shape === 'cluster' ? 1 : 0;
  return name !== undefined && name !== '' && rest.length === idSegments ? name : undefined;
}

/**
 * `<job>/<host>-<epoch>[/<suffix>]` (training, processing, transform). The epoch is the last
 * `-<10 digits>` of the host segment; a host segment without one is still read as a host.
 */
function parseJobStream(source: LogSource, segments: readonly string[], hostPattern: RegExp): void {
  const [jobName = '', hostSegment = '', ...suffix] = segments;
  setField(source, 'resourceName', jobName);
  const parsedHost = parseHostSegment(hostSegment, hostPattern);
  if (parsedHost !== undefined) {
    setField(source, 'instance', parsedHost.instance);
    setField(source, 'startedAt', parsedHost.startedAt);
    if (jobName !== '') setField(source, 'host', `${jobName}/${parsedHost.instance}`);
  }
  // Only transform jobs run inference pipelines; a training or processing suffix is a channel (`ssm`).
  setSuffix(source, suffix, source.resourceType === 'TransformJob');
}

/** Splits `algo-1-1700000000` or `i-0abc1234-1700000000` into host and epoch seconds. */
function parseHostSegment(
  segment: string,
  hostPattern: RegExp,
): { instance: string; startedAt?: number } | undefined {
  const lastHyphen = segment.lastIndexOf('-');
  const host = segment.slice(0, lastHyphen);
  const epoch = segment.slice(lastHyphen + 1);
  if (lastHyphen > 0 && EPOCH_SUFFIX.test(epoch) && hostPattern.test(host)) {
    return { instance: host, startedAt: Number(epoch) };
  }
  return hostPattern.test(segment) ? { instance: segment } : undefined;
}

/**
 * `<variant>/<instance>[/<suffix>]`. Serverless endpoints write an opaque token instead of an
 * instance id; it is kept as `instance`, but it has no `Host` metric dimension, so `host` is absent.
 */
function parseEndpointStream(source: LogSource, endpointName: string, segments: readonly string[]): void {
  const [variantName = '', instance = '', ...suffix] = segments;
  setField(source, 'resourceName', endpointName);
  setField(source, 'variantName', variantName);
  setField(source, 'instance', instance);
  if (variantName !== '' && INSTANCE_ID.test(instance)) {
    setField(source, 'host', `${endpointName}/${variantName}/${instance}`);
  }
  setSuffix(source, suffix, true);
}

/**
 * `<agent>/<instance-group>/<node>` (`LifecycleConfig`, `SagemakerHealthMonitoringAgent`,
 * `SagemakerHyperPodTrainingJob` with nodes like `hyperpod-i-00b3d8a1bf25714e4`) or
 * `DeepHealthCheckResults/<id>`. The first segment is the channel; the node's `i-` id the instance.
 */
function parseClusterStream(source: LogSource, clusterName: string, segments: readonly string[]): void {
  const [channel, , node, ...extra] = segments;
  setField(source, 'resourceName', clusterName);
  setField(source, 'channel', channel);
  if (node !== undefined && extra.length === 0) setField(source, 'instance', findInstanceId(node));
}

/** The `i-` id a HyperPod node segment is or ends with (`i-0abc...`, `hyperpod-i-0abc...`). */
function findInstanceId(node: string): string | undefined {
  const start = node.toLowerCase().lastIndexOf('i-');
  const candidate = node.slice(start);
  // Not found (-1) falls through both tests: node[-2] is undefined.
  const standsAlone = start === 0 || node[start - 1] === '-';
  return standsAlone && INSTANCE_ID.test(candidate) ? candidate : undefined;
}

/**
 * `<domain-id>/<user-profile-or-space>/<app-type>/<app-name>[/LifecycleConfigOnStart]`. The second
 * segment may look like an instance id (`i-sonic-js` is a space name), so it is never read as one.
 */
function parseStudioStream(source: LogSource, segments: readonly string[]): void {
  setField(source, 'resourceName', segments[0]);
  setField(source, 'channel', segments.slice(4).join('/'));
}

/** `<name>[/<sub-stream>]` where the sub-stream names a channel (`jupyter.log` becomes `jupyter`). */
function parseNamedStream(source: LogSource, segments: readonly string[], dropLogExtension: boolean): void {
  const [name, ...rest] = segments;
  setField(source, 'resourceName', name);
  const channel = rest.join('/');
  const isLogFile =
    dropLogExtension && channel.length > LOG_EXTENSION.length && channel.endsWith(LOG_EXTENSION);
  setField(source, 'channel', isLogFile ? channel.slice(0, -LOG_EXTENSION.length) : channel);
}

/**
 * What follows the host segment: `data-log` and `ssm` are channels; otherwise, where the resource
 * can run an inference pipeline, a name-shaped single segment is the container; anything else is a channel.
 */
function setSuffix(source: LogSource, suffix: readonly string[], mayBeContainer: boolean): void {
  const value = suffix.join('/');
  const isChannel = value === DATA_LOG_CHANNEL || value === SSM_CHANNEL || !NAME_SEGMENT.test(value);
  setField(source, mayBeContainer && !isChannel ? 'container' : 'channel', value);
}

/** Sets an optional field only when there is a value: `exactOptionalPropertyTypes` forbids `undefined`. */
function setField<K extends OptionalField>(source: LogSource, key: K, value: LogSource[K] | undefined): void {
  if (value !== undefined && value !== '') source[key] = value;
}
