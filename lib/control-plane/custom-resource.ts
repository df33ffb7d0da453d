/**
 * The body of a CloudFormation custom resource response. sagewatch's deploy-time work answers
 * SUCCESS: a subscription or alarm problem is reported (log line, metrics, alarm), never a reason to
 * roll a deploy back. The one exception is a configuration the function cannot run with: that
 * answers FAILED, so the deploy stops at once with the variable's name.
 */
import type { CustomResourceRequest } from './triggers.ts';

/** CloudFormation refuses custom resource responses larger than 4,096 bytes. */
export const MAX_CUSTOM_RESOURCE_RESPONSE_BYTES = 4096;

/** The `Reason` is cut to this length, leaving room for the rest of the body. */
const MAX_REASON_LENGTH = 1024;

/** What the response PUT carries. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data: Record<string, string | number>;
}

/**
 * The physical id is stable across updates on purpose: a new id would make CloudFormation send a
 * Delete for the old one, and Delete removes sagewatch's filters.
 */
export function toPhysicalResourceId(request: CustomResourceRequest): string {
  return request.physicalResourceId ?? `sagewatch-${request.logicalResourceId}`;
}

/**
 * Builds the response body. `data` values become `Fn::GetAtt`-readable attributes; when the whole
 * body would exceed {@link MAX_CUSTOM_RESOURCE_RESPONSE_BYTES}, `Data` is dropped first.
 */
export function toCustomResourceResponse(
  request: CustomResourceRequest,
  reason: string,
  data: Record<string, string | number>,
  status: CustomResourceResponse['Status'] = 'SUCCESS',
): CustomResourceResponse {
  const response: CustomResourceResponse = {
    Status: status,
    Reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    PhysicalResourceId: toPhysicalResourceId(request),
    StackId: request.stackId,
    RequestId: request.requestId,
    LogicalResourceId: request.logicalResourceId,
    Data: data,
  };
  if (Buffer.byteLength(JSON.stringify(response)) > MAX_CUSTOM_RESOURCE_RESPONSE_BYTES) {
    return { ...response, Data: {} };
  }
  return response;
}
