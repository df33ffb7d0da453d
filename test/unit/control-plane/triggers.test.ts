import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  endpointNameFromLogGroup,
  normaliseEndpointStatus,
  parseTrigger,
} from '../../../lib/control-plane/triggers.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/events', name), 'utf8'));

const createLogGroup = fixture('cloudtrail-create-log-group.json');
const endpointChange = fixture('sagemaker-endpoint-state-change.json');
const scheduled = fixture('scheduled-event.json');
const customResource = fixture('cloudformation-custom-resource-create.json');

const withDetail = (
  event: Record<string, unknown>,
  detail: Record<string, unknown>,
): Record<string, unknown> => ({
  ...event,
  detail: { ...(event.detail as Record<string, unknown>), ...detail },
});

describe('parseTrigger: CloudTrail CreateLogGroup', () => {
  it('yields the new SageMaker group', () => {
    expect(parseTrigger(createLogGroup)).toEqual({
      kind: 'log-group-created',
      logGroupName: '/aws/sagemaker/Endpoints/churn-xgb-prod',
    });
  });

  it('ignores failed calls (events carrying an errorCode)', () => {
    const failed = withDetail(createLogGroup, { errorCode: 'ResourceAlreadyExistsException' });
    expect(parseTrigger(failed)).toEqual({
      kind: 'ignored',
      reason: 'CreateLogGroup failed: ResourceAlreadyExistsException',
    });
  });

  it('ignores groups outside /aws/sagemaker/ and other API calls', () => {
    const lambdaGroup = withDetail(createLogGroup, { requestParameters: { logGroupName: '/aws/lambda/x' } });
    expect(parseTrigger(lambdaGroup)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('/aws/lambda/x'),
    });
    const other = withDetail(createLogGroup, { eventName: 'DeleteLogGroup' });
    expect(parseTrigger(other)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('DeleteLogGroup'),
    });
  });

  it('reports a CreateLogGroup without a name, or a malformed detail, as unrecognised', () => {
    expect(parseTrigger(withDetail(createLogGroup, { requestParameters: null }))).toEqual({
      kind: 'unrecognised',
      reason: 'CreateLogGroup without logGroupName',
    });
    expect(parseTrigger(withDetail(createLogGroup, { eventName: 42 }))).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringMatching(/^CloudTrail detail: eventName/),
    });
  });
});

describe('parseTrigger: SageMaker Endpoint State Change', () => {
  it("yields the endpoint and its normalised status (AWS's sample has epoch ms in time)", () => {
    expect(parseTrigger(endpointChange)).toEqual({
      kind: 'endpoint-state-change',
      endpointName: 'churn-xgb-prod',
      status: 'inservice',
    });
  });

  it('refuses an endpoint name SageMaker would never issue', () => {
    const bad = withDetail(endpointChange, { EndpointName: 'has/slash' });
    expect(parseTrigger(bad)).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringMatching(/^endpoint state/),
    });
  });
});

describe('parseTrigger: schedules, manual runs and custom resources', () => {
  it('recognises a scheduled event and a manual reconcile', () => {
    expect(parseTrigger(scheduled)).toEqual({ kind: 'reconcile', source: 'schedule' });
    expect(parseTrigger({ action: 'reconcile' })).toEqual({ kind: 'reconcile', source: 'manual' });
  });

  it('reduces a custom resource request to what the response needs', () => {
    expect(parseTrigger(customResource)).toEqual({
      kind: 'custom-resource',
      request: {
        requestType: 'Create',
        responseUrl: customResource.ResponseURL,
        stackId: customResource.StackId,
        requestId: customResource.RequestId,
        logicalResourceId: 'SubscribeLogGroupsAtDeploy',
      },
    });
  });

  it('keeps the physical id of Update and Delete requests', () => {
    const update = {
      ...customResource,
      RequestType: 'Update',
      PhysicalResourceId: 'p-1',
      OldResourceProperties: {},
    };
    expect(parseTrigger(update)).toMatchObject({
      kind: 'custom-resource',
      request: { requestType: 'Update', physicalResourceId: 'p-1' },
    });
    const remove = { ...customResource, RequestType: 'Delete', PhysicalResourceId: 'p-1' };
    expect(parseTrigger(remove)).toMatchObject({
      request: { requestType: 'Delete', physicalResourceId: 'p-1' },
    });
  });

  it('reports a malformed custom resource request as unrecognised', () => {
    expect(parseTrigger({ ...customResource, RequestType: 'Explode' })).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringMatching(/^custom resource: RequestType/),
    });
  });
});

describe('parseTrigger: anything else', () => {
  it.each([
    [null, 'event is not an object'],
    [[1, 2], 'event is not an object'],
    ['text', 'event is not an object'],
  ])('never throws on %j', (event, reason) => {
    expect(parseTrigger(event)).toEqual({ kind: 'unrecognised', reason });
  });

  it('names the first problem of a non-EventBridge object and an unknown detail-type', () => {
    expect(parseTrigger({ hello: 'world' })).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringMatching(/^version/),
    });
    expect(parseTrigger({ ...scheduled, 'detail-type': 'EC2 Instance State-change Notification' })).toEqual({
      kind: 'unrecognised',
      reason: "detail-type 'EC2 Instance State-change Notification'",
    });
  });
});

describe('normaliseEndpointStatus', () => {
  it('makes the event and API spellings equal', () => {
    expect(normaliseEndpointStatus('IN_SERVICE')).toBe('inservice');
    expect(normaliseEndpointStatus('InService')).toBe('inservice');
    expect(normaliseEndpointStatus('UPDATE_ROLLBACK_FAILED')).toBe('updaterollbackfailed');
  });
});

describe('endpointNameFromLogGroup', () => {
  it('returns the endpoint name of an endpoint group only', () => {
    expect(endpointNameFromLogGroup('/aws/sagemaker/Endpoints/churn-xgb-prod')).toBe('churn-xgb-prod');
    expect(endpointNameFromLogGroup('/aws/sagemaker/TrainingJobs')).toBeUndefined();
    expect(endpointNameFromLogGroup('/aws/sagemaker/Endpoints/')).toBeUndefined();
    expect(endpointNameFromLogGroup('/aws/sagemaker/Endpoints/a/b')).toBeUndefined();
  });
});
