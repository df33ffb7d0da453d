import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLogSource } from '../../lib/log-source.ts';
import { type LogSource, ResourceTypes } from '../../lib/types.ts';

// Character sets and lengths from the SageMaker API model: names are `[a-zA-Z0-9](-*[a-zA-Z0-9])*`,
// 63 characters at most (64 for Inference Recommender jobs).
const MAX_NAME_LENGTH = 63;
const MAX_RECOMMENDER_JOB_NAME_LENGTH = 64;
const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const LOWER_ALNUM = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const HEX = [...'0123456789abcdef'];
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

const fixedString = (alphabet: string[], length: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: length, maxLength: length });

const epochSeconds = fc.integer({ min: 1_000_000_000, max: 9_999_999_999 });

/** A name per the API pattern, including consecutive hyphens. */
const plainName = (maxLength: number) =>
  fc
    .tuple(
      fc.constantFrom(...ALNUM),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom(...ALNUM)), {
        maxLength: maxLength - 1,
      }),
    )
    .map(
      ([first, rest]) => first + rest.map(([hyphens, character]) => '-'.repeat(hyphens) + character).join(''),
    );

/**
 * Names the way generators build them, so they end in digits that look like SageMaker's own
 * suffixes: an epoch, an SDK timestamp, a whole `algo-N-<epoch>` or `<instance-id>-<epoch>`.
 */
const sagemakerName = (maxLength = MAX_NAME_LENGTH) =>
  fc
    .tuple(
      plainName(maxLength),
      fc.oneof(
        fc.constant(''),
        epochSeconds.map((epoch) => `-${epoch}`),
        fc.date({ noInvalidDate: true }).map(
          (date) =>
            `-${date
              .toISOString()
              .replace(/[^0-9]/g, '-')
              .slice(0, 23)}`,
        ),
        fc.tuple(fc.integer({ min: 1, max: 99 }), epochSeconds).map(([n, epoch]) => `-algo-${n}-${epoch}`),
        fc.tuple(fixedString(HEX, 17), epochSeconds).map(([hex, epoch]) => `-i-${hex}-${epoch}`),
      ),
    )
    // Trim to the length limit without leaving a trailing hyphen.
    .map(([base, suffix]) => `${base}${suffix}`.slice(0, maxLength).replace(/-+$/, ''));

const instanceId = fc.oneof(fixedString(HEX, 8), fixedString(HEX, 17)).map((hex) => `i-${hex}`);
const serverlessToken = fc.tuple(fixedString(HEX, 32), fixedString(HEX, 32)).map(([a, b]) => `${a}-${b}`);
/** Pipeline container host names; `data-log` and `ssm` are valid names but name channels. */
const containerName = sagemakerName().filter((name) => name !== 'data-log' && name !== 'ssm');

/** Every optional field present is a non-empty string or a number: never `undefined` or `''`. */
function expectNoEmptyFields(source: LogSource): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'logGroup' || key === 'logStream') continue;
    expect(value === undefined || value === '', `${key} is ${String(value)}`).toBe(false);
  }
}

describe('parseLogSource never throws', () => {
  /** Any UTF-16 code unit, lone surrogates included. */
  const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  /** Characters that matter to the parser, so random strings hit its branches. */
  const hostileCharacter = fc.constantFrom(...'/-ai0123456789algo.datlogsm', '/', '-', 'i-', 'algo-');
  const hostileString = (maxLength: number) =>
    fc.oneof(
      fc.string({ unit: anyCodeUnit, maxLength }),
      fc.string({ unit: 'binary', maxLength }),
      fc.string({ unit: hostileCharacter, maxLength }),
    );
  const groupKind = fc.constantFrom(
    'TrainingJobs',
    'ProcessingJobs',
    'TransformJobs',
    'Endpoints',
    'InferenceComponents',
    'NotebookInstances',
    'studio',
    'Clusters',
    'LabelingJobs',
    'CompilationJobs',
    'InferenceRecommendationsJobs',
    'trainingjobs',
    'STUDIO',
    'groundtruth',
    'constructor',
    '__proto__',
    '',
  );

  function expectTotal(logGroup: string, logStream: string): void {
    const source = parseLogSource(logGroup, logStream);
    expect(source.logGroup).toBe(logGroup);
    expect(source.logStream).toBe(logStream);
    expect(ResourceTypes).toContain(source.resourceType);
    expectNoEmptyFields(source);
  }

  it('on arbitrary strings', () => {
    fc.assert(fc.property(hostileString(600), hostileString(600), expectTotal), { numRuns: 2000 });
  });

  it('on arbitrary /aws/sagemaker/<Group>/... shaped names', () => {
    fc.assert(
      fc.property(groupKind, hostileString(80), hostileString(600), (kind, groupRest, stream) =>
        expectTotal(`/aws/sagemaker/${kind}${groupRest}`, stream),
      ),
      { numRuns: 2000 },
    );
  });

  it('on long repetitive strings at and beyond the CloudWatch limits', () => {
    const piece = fc.constantFrom('-', '/', '-1', 'i-', 'algo-1-', '1700000000', 'a', '\ud800');
    fc.assert(
      fc.property(
        groupKind,
        piece,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 600 }),
        (kind, unit, repeat, limitRepeat) => {
          expectTotal(`/aws/sagemaker/${kind}`, unit.repeat(repeat));
          expectTotal(
            `/aws/sagemaker/${kind}/${unit.repeat(limitRepeat)}`,
            `job/${unit.repeat(limitRepeat)}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseLogSource reads back what SageMaker writes', () => {
  it('generates names the API accepts', () => {
    fc.assert(
      fc.property(sagemakerName(), (name) => {
        expect(name).toMatch(VALID_NAME);
        expect(name.endsWith('-')).toBe(false);
        expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      }),
    );
  });

  it('training and processing: <job>/algo-N-<epoch>[/ssm]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['/aws/sagemaker/TrainingJobs', 'TrainingJob'] as const,
          ['/aws/sagemaker/ProcessingJobs', 'ProcessingJob'] as const,
        ),
        sagemakerName(),
        fc.integer({ min: 1, max: 512 }),
        epochSeconds,
        fc.boolean(),
        ([group, resourceType], job, n, epoch, ssm) => {
          const stream = `${job}/algo-${n}-${epoch}${ssm ? '/ssm' : ''}`;
          expect(parseLogSource(group, stream)).toStrictEqual({
            resourceType,
            resourceName: job,
            instance: `algo-${n}`,
            startedAt: epoch,
            host: `${job}/algo-${n}`,
            ...(ssm ? { channel: 'ssm' } : {}),
            logGroup: group,
            logStream: stream,
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('transform: <job>/<instance-id>-<epoch>[/data-log | /<container>]', () => {
    const suffix = fc.oneof(
      fc.constant({}),
      fc.constant({ channel: 'data-log' }),
      containerName.map((container) => ({ container })),
    );
    fc.assert(
      fc.property(sagemakerName(), instanceId, epochSeconds, suffix, (job, instance, epoch, extra) => {
        const tail =
          'channel' in extra ? `/${extra.channel}` : 'container' in extra ? `/${extra.container}` : '';
        const stream = `${job}/${instance}-${epoch}${tail}`;
        expect(parseLogSource('/aws/sagemaker/TransformJobs', stream)).toStrictEqual({
          resourceType: 'TransformJob',
          resourceName: job,
          instance,
          startedAt: epoch,
          host: `${job}/${instance}`,
          ...extra,
          logGroup: '/aws/sagemaker/TransformJobs',
          logStream: stream,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('endpoints: <variant>/<instance-id>[/data-log | /ssm | /<container>]', () => {
    const suffix = fc.oneof(
      fc.constant({}),
      fc.constantFrom({ channel: 'data-log' }, { channel: 'ssm' }),
      containerName.map((container) => ({ container })),
    );
    fc.assert(
      fc.property(
        sagemakerName(),
        sagemakerName(),
        instanceId,
        suffix,
        (endpoint, variant, instance, extra) => {
          const tail =
            'channel' in extra ? `/${extra.channel}` : 'container' in extra ? `/${extra.container}` : '';
          const group = `/aws/sagemaker/Endpoints/${endpoint}`;
          const stream = `${variant}/${instance}${tail}`;
          expect(parseLogSource(group, stream)).toStrictEqual({
            resourceType: 'Endpoint',
            resourceName: endpoint,
            variantName: variant,
            instance,
            host: `${endpoint}/${variant}/${instance}`,
            ...extra,
            logGroup: group,
            logStream: stream,
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('serverless endpoints: <variant>/<token>-<token>, no host', () => {
    fc.assert(
      fc.property(sagemakerName(), sagemakerName(), serverlessToken, (endpoint, variant, token) => {
        const group = `/aws/sagemaker/Endpoints/${endpoint}`;
        const stream = `${variant}/${token}`;
        expect(parseLogSource(group, stream)).toStrictEqual({
          resourceType: 'Endpoint',
          resourceName: endpoint,
          variantName: variant,
          instance: token,
          logGroup: group,
          logStream: stream,
        });
      }),
    );
  });

  it('HyperPod: Clusters/<name>/<id> with <agent>/<instance-group>/<node-id>', () => {
    fc.assert(
      fc.property(
        sagemakerName(),
        fixedString(LOWER_ALNUM, 12),
        fc.constantFrom('LifecycleConfig', 'SagemakerHealthMonitoringAgent'),
        sagemakerName(),
        instanceId,
        (cluster, clusterId, channel, instanceGroup, node) => {
          const group = `/aws/sagemaker/Clusters/${cluster}/${clusterId}`;
          const stream = `${channel}/${instanceGroup}/${node}`;
          expect(parseLogSource(group, stream)).toStrictEqual({
            resourceType: 'HyperPodCluster',
            resourceName: cluster,
            channel,
            instance: node,
            logGroup: group,
            logStream: stream,
          });
        },
      ),
    );
  });

  it('Studio: <domain>/<user-or-space>/<app-type>/<app-name>[/LifecycleConfigOnStart]', () => {
    const userOrSpace = fc.oneof(sagemakerName(), instanceId, fc.constant('domain-shared'));
    const appType = fc.constantFrom(
      'JupyterServer',
      'KernelGateway',
      'DetailedProfiler',
      'TensorBoard',
      'CodeEditor',
      'JupyterLab',
      'RStudioServerPro',
      'rstudioserverpro',
      'RSessionGateway',
      'RSession',
      'Canvas',
    );
    fc.assert(
      fc.property(
        fixedString(LOWER_ALNUM, 12),
        userOrSpace,
        appType,
        sagemakerName(),
        fc.boolean(),
        (domain, user, type, app, lifecycle) => {
          const stream = `d-${domain}/${user}/${type}/${app}${lifecycle ? '/LifecycleConfigOnStart' : ''}`;
          expect(parseLogSource('/aws/sagemaker/studio', stream)).toStrictEqual({
            resourceType: 'Studio',
            resourceName: `d-${domain}`,
            ...(lifecycle ? { channel: 'LifecycleConfigOnStart' } : {}),
            logGroup: '/aws/sagemaker/studio',
            logStream: stream,
          });
        },
      ),
    );
  });

  it('notebook instances, labeling, compilation and recommender jobs: <name>[/<sub-stream>]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['/aws/sagemaker/NotebookInstances', 'NotebookInstance', 'LifecycleConfigOnCreate'] as const,
          ['/aws/sagemaker/NotebookInstances', 'NotebookInstance', 'LifecycleConfigOnStart'] as const,
          ['/aws/sagemaker/LabelingJobs', 'LabelingJob', ''] as const,
          ['/aws/sagemaker/CompilationJobs', 'CompilationJob', 'model-info-extraction'] as const,
          [
            '/aws/sagemaker/InferenceRecommendationsJobs',
            'InferenceRecommendationsJob',
            'execution',
          ] as const,
        ),
        sagemakerName(MAX_RECOMMENDER_JOB_NAME_LENGTH),
        ([group, resourceType, subStream], name) => {
          const stream = subStream === '' ? name : `${name}/${subStream}`;
          expect(parseLogSource(group, stream)).toStrictEqual({
            resourceType,
            resourceName: name,
            ...(subStream === '' ? {} : { channel: subStream }),
            logGroup: group,
            logStream: stream,
          });
        },
      ),
    );
  });
});
