import { describe, expect, it } from 'vitest';
import {
  MAX_CUSTOM_RESOURCE_RESPONSE_BYTES,
  toCustomResourceResponse,
  toPhysicalResourceId,
} from '../../../lib/control-plane/custom-resource.ts';
import type { CustomResourceRequest } from '../../../lib/control-plane/triggers.ts';

const request: CustomResourceRequest = {
  requestType: 'Create',
  responseUrl: 'https://example.invalid/response',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/sagewatch-dev/x',
  requestId: 'r-1',
  logicalResourceId: 'SubscribeLogGroupsAtDeploy',
};

describe('toPhysicalResourceId', () => {
  it('derives a stable id on Create and keeps the given one afterwards', () => {
    expect(toPhysicalResourceId(request)).toBe('sagewatch-SubscribeLogGroupsAtDeploy');
    expect(toPhysicalResourceId({ ...request, requestType: 'Update', physicalResourceId: 'kept' })).toBe(
      'kept',
    );
  });
});

describe('toCustomResourceResponse', () => {
  it('always answers SUCCESS and echoes the request ids', () => {
    expect(toCustomResourceResponse(request, 'reconcile started', { subscribed: 3 })).toEqual({
      Status: 'SUCCESS',
      Reason: 'reconcile started',
      PhysicalResourceId: 'sagewatch-SubscribeLogGroupsAtDeploy',
      StackId: request.stackId,
      RequestId: 'r-1',
      LogicalResourceId: 'SubscribeLogGroupsAtDeploy',
      Data: { subscribed: 3 },
    });
  });

  it('answers FAILED when asked to', () => {
    expect(toCustomResourceResponse(request, 'STAGE: is required', {}, 'FAILED')).toMatchObject({
      Status: 'FAILED',
      Reason: 'STAGE: is required',
    });
  });

  it(`stays under ${MAX_CUSTOM_RESOURCE_RESPONSE_BYTES} bytes: long reasons are cut, oversized data dropped`, () => {
    const response = toCustomResourceResponse(request, 'r'.repeat(5000), { big: 'd'.repeat(5000) });
    expect(response.Reason).toHaveLength(1024);
    expect(response.Data).toEqual({});
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(
      MAX_CUSTOM_RESOURCE_RESPONSE_BYTES,
    );
  });
});
