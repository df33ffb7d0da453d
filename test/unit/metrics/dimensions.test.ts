import { describe, expect, it } from 'vitest';
import {
  dimensionsKey,
  MAX_DIMENSION_VALUE_LENGTH,
  planDimensions,
} from '../../../lib/metrics/dimensions.ts';
import type { LogSource } from '../../../lib/types.ts';

const training: LogSource = {
  resourceType: 'TrainingJob',
  resourceName: 'job-1',
  instance: 'algo-2',
  host: 'job-1/algo-2',
  logGroup: '/aws/sagemaker/TrainingJobs',
  logStream: 'job-1/algo-2-1700000000',
};
const pipeline: LogSource = {
  resourceType: 'Endpoint',
  resourceName: 'ep',
  variantName: 'AllTraffic',
  instance: 'i-0123456789abcdef0',
  container: 'model',
  host: 'ep/AllTraffic/i-0123456789abcdef0',
  logGroup: '/aws/sagemaker/Endpoints/ep',
  logStream: 'AllTraffic/i-0123456789abcdef0/model',
};

describe('planDimensions', () => {
  it('resource level: a resource-type rollup and the resource, named like SageMaker', () => {
    const plan = planDimensions(training, 'resource');
    expect(plan.all).toEqual([{ ResourceType: 'TrainingJob' }, { TrainingJobName: 'job-1' }]);
    expect(plan.finest).toEqual({ TrainingJobName: 'job-1' });
    expect(plan.byCategory).toEqual(plan.all);
  });

  it('host level adds the Host set, which is also where training metrics go', () => {
    const plan = planDimensions(training, 'host');
    expect(plan.all).toContainEqual({ TrainingJobName: 'job-1', Host: 'job-1/algo-2' });
    expect(plan.finest).toEqual({ TrainingJobName: 'job-1', Host: 'job-1/algo-2' });
    expect(plan.byCategory).toHaveLength(2);
  });

  it('endpoints carry VariantName; container level adds ContainerName', () => {
    expect(planDimensions(pipeline, 'host').all).toEqual([
      { ResourceType: 'Endpoint' },
      { EndpointName: 'ep', VariantName: 'AllTraffic' },
      { EndpointName: 'ep', VariantName: 'AllTraffic', Host: 'ep/AllTraffic/i-0123456789abcdef0' },
    ]);
    expect(planDimensions(pipeline, 'container').all).toContainEqual({
      EndpointName: 'ep',
      VariantName: 'AllTraffic',
      ContainerName: 'model',
    });
    expect(
      planDimensions({ ...pipeline, container: undefined } as unknown as LogSource, 'container').all,
    ).toHaveLength(3);
  });

  it('host level without a host stays at the resource', () => {
    const { host: _, ...noHost } = training;
    expect(planDimensions(noHost, 'host').all).toHaveLength(2);
  });

  it('resources without a SageMaker metric name use ResourceName; unnamed ones only the rollup', () => {
    expect(
      planDimensions({ ...training, resourceType: 'NotebookInstance', resourceName: 'nb' }, 'resource')
        .resource,
    ).toEqual({ ResourceName: 'nb' });
    const unknown = planDimensions({ resourceType: 'Unknown', logGroup: '/x', logStream: 'y' }, 'container');
    expect(unknown.all).toEqual([{ ResourceType: 'Unknown' }]);
    expect(unknown.finest).toEqual({ ResourceType: 'Unknown' });
  });

  it('clamps dimension values to the EMF limit and never emits empty ones', () => {
    const long = 'x'.repeat(5000);
    const plan = planDimensions({ ...training, resourceName: long, host: long }, 'host');
    for (const set of plan.all) {
      for (const value of Object.values(set)) {
        expect(value.length).toBeGreaterThan(0);
        expect(value.length).toBeLessThanOrEqual(MAX_DIMENSION_VALUE_LENGTH);
      }
    }
    expect(planDimensions({ ...training, resourceName: '' }, 'host').all).toEqual([
      { ResourceType: 'TrainingJob' },
    ]);
  });

  it('keys differ for different sets', () => {
    expect(dimensionsKey({ A: '1' })).not.toBe(dimensionsKey({ A: '2' }));
  });
});
