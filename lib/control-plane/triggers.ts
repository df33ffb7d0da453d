/**
 * Turns whatever invoked the subscriber or the endpoint alarm manager into one typed trigger. Shapes
 * are checked with zod; an event nobody expected is a value (`unrecognised`), never an exception.
 *
 * Recognised events:
 * - EventBridge "AWS API Call via CloudTrail" for `logs.amazonaws.com` `CreateLogGroup`
 *   (only delivered when the account has a CloudTrail trail that logs management events);
 * - EventBridge "SageMaker Endpoint State Change";
 * - EventBridge "Scheduled Event" (a rate or cron rule), or a manual `{"action":"reconcile"}`;
 * - a CloudFormation custom resource request (Create, Update, Delete).
 */
import {
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceDeleteSchema,
  CloudFormationCustomResourceUpdateSchema,
} from '@aws-lambda-powertools/parser/schemas/cloudformation-custom-resource';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';
import { SAGEMAKER_LOG_GROUP_PREFIX } from './config.ts';

/** A CloudFormation custom resource request, reduced to what the response needs. */
export interface CustomResourceRequest {
  requestType: 'Create' | 'Update' | 'Delete';
  responseUrl: string;
  stackId: string;
  requestId: string;
  logicalResourceId: string;
  /** Absent on Create: CloudFormation learns it from our response. */
  physicalResourceId?: string;
}

/** What started this invocation. */
export type Trigger =
  | { kind: 'log-group-created'; logGroupName: string }
  | { kind: 'endpoint-state-change'; endpointName: string; status: string }
  | { kind: 'reconcile'; source: 'schedule' | 'manual' }
  | { kind: 'custom-resource'; request: CustomResourceRequest }
  /** A recognised event that asks for nothing (a failed API call, a group outside SageMaker's prefix). */
  | { kind: 'ignored'; reason: string }
  /** An event of a shape this code does not know. */
  | { kind: 'unrecognised'; reason: string };

/**
 * EventBridge envelope. Powertools' schema, with `time` loosened: AWS's own sample of the SageMaker
 * endpoint event carries epoch milliseconds there, not an ISO date, and the time is not used.
 */
const EventBridgeEnvelope = EventBridgeSchema.extend({ time: z.string() });

const CloudTrailDetail = z.looseObject({
  eventSource: z.string(),
  eventName: z.string(),
  errorCode: z.string().optional(),
  requestParameters: z.looseObject({ logGroupName: z.string().min(1).optional() }).nullish(),
});

/** SageMaker endpoint names: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` (API model). */
const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const EndpointStateDetail = z.looseObject({
  EndpointName: z.string().regex(ENDPOINT_NAME),
  EndpointStatus: z.string().min(1),
});

/** CloudFormation also sends PhysicalResourceId on Update and Delete; Powertools' schemas drop it. */
const WithPhysicalId = { PhysicalResourceId: z.string().optional() };
const CustomResourceRequestSchema = z.discriminatedUnion('RequestType', [
  CloudFormationCustomResourceCreateSchema.extend(WithPhysicalId),
  CloudFormationCustomResourceUpdateSchema.extend(WithPhysicalId),
  CloudFormationCustomResourceDeleteSchema.extend(WithPhysicalId),
]);

const ManualReconcile = z.looseObject({ action: z.literal('reconcile') });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Summarises a zod failure in one short line (the first issue is enough to debug a shape). */
function describeIssue(error: z.ZodError): string {
  return error.issues
    .slice(0, 1)
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    .join('');
}

/**
 * Normalises SageMaker's endpoint status spellings: the EventBridge event carries `IN_SERVICE`, the
 * API `InService`. Both become `inservice` (letters only, lower case).
 */
export function normaliseEndpointStatus(status: string): string {
  return status.replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** `/aws/sagemaker/Endpoints/<name>` → `<name>`; anything else → `undefined`. */
export function endpointNameFromLogGroup(logGroupName: string): string | undefined {
  const prefix = `${SAGEMAKER_LOG_GROUP_PREFIX}Endpoints/`;
  if (!logGroupName.startsWith(prefix)) return undefined;
  const name = logGroupName.slice(prefix.length);
  return ENDPOINT_NAME.test(name) ? name : undefined;
}

function parseCustomResource(event: Record<string, unknown>): Trigger {
  const parsed = CustomResourceRequestSchema.safeParse(event);
  if (!parsed.success)
    return { kind: 'unrecognised', reason: `custom resource: ${describeIssue(parsed.error)}` };
  const request = parsed.data;
  return {
    kind: 'custom-resource',
    request: {
      requestType: request.RequestType,
      responseUrl: request.ResponseURL,
      stackId: request.StackId,
      requestId: request.RequestId,
      logicalResourceId: request.LogicalResourceId,
      ...(request.PhysicalResourceId === undefined ? {} : { physicalResourceId: request.PhysicalResourceId }),
    },
  };
}

function parseCloudTrail(detail: unknown): Trigger {
  const parsed = CloudTrailDetail.safeParse(detail);
  if (!parsed.success)
    return { kind: 'unrecognised', reason: `CloudTrail detail: ${describeIssue(parsed.error)}` };
  const { eventSource, eventName, errorCode, requestParameters } = parsed.data;
  if (eventSource !== 'logs.amazonaws.com' || eventName !== 'CreateLogGroup') {
    return { kind: 'ignored', reason: `not CreateLogGroup: ${eventSource} ${eventName}` };
  }
  // A failed call (ResourceAlreadyExistsException, AccessDenied, ...) created nothing.
  if (errorCode !== undefined) return { kind: 'ignored', reason: `CreateLogGroup failed: ${errorCode}` };
  const logGroupName = requestParameters?.logGroupName;
  if (logGroupName === undefined)
    return { kind: 'unrecognised', reason: 'CreateLogGroup without logGroupName' };
  if (!logGroupName.startsWith(SAGEMAKER_LOG_GROUP_PREFIX)) {
    return { kind: 'ignored', reason: `not a SageMaker log group: ${logGroupName}` };
  }
  return { kind: 'log-group-created', logGroupName };
}

/** Classifies an invocation event. Never throws. */
export function parseTrigger(event: unknown): Trigger {
  if (!isRecord(event)) return { kind: 'unrecognised', reason: 'event is not an object' };
  if ('RequestType' in event && 'ResponseURL' in event) return parseCustomResource(event);
  if (ManualReconcile.safeParse(event).success) return { kind: 'reconcile', source: 'manual' };

  const envelope = EventBridgeEnvelope.safeParse(event);
  if (!envelope.success) return { kind: 'unrecognised', reason: describeIssue(envelope.error) };
  const { 'detail-type': detailType, detail } = envelope.data;

  switch (detailType) {
    case 'Scheduled Event':
      return { kind: 'reconcile', source: 'schedule' };
    case 'AWS API Call via CloudTrail':
      return parseCloudTrail(detail);
    case 'SageMaker Endpoint State Change': {
      const parsed = EndpointStateDetail.safeParse(detail);
      if (!parsed.success) {
        return { kind: 'unrecognised', reason: `endpoint state change: ${describeIssue(parsed.error)}` };
      }
      return {
        kind: 'endpoint-state-change',
        endpointName: parsed.data.EndpointName,
        status: normaliseEndpointStatus(parsed.data.EndpointStatus),
      };
    }
    default:
      return { kind: 'unrecognised', reason: `detail-type '${detailType}'` };
  }
}
