import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { inject } from 'vitest';

/** Client configuration that points an AWS SDK v3 client at the shared moto server. */
export function motoClientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: inject('motoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** Wipes moto's state so each test file starts from an empty account. */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${inject('motoEndpoint')}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}

/**
 * Creates an SQS queue subscribed to an SNS topic (with an optional filter policy on message
 * attributes), allowing SNS to send to it, and returns the queue's URL.
 */
export async function subscribeQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  queueName: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn ?? '';
  const policy = {
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
      },
    ],
  };
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes }),
  );
  return queueUrl;
}

/** Creates a suppression table exactly as infra/ creates it: on-demand, key `pk` (S), TTL on `expiresAt`. */
export async function createSuppressionTable(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
  return tableName;
}

/** Calls one of moto's APIs without an SDK client; moto only reads the service from the credential scope. */
export async function motoCall(
  service: string,
  path: string,
  init: { body: string; contentType: string },
): Promise<void> {
  const response = await fetch(`${motoClientConfig().endpoint}${path}`, {
    method: 'POST',
    headers: {
      'content-type': init.contentType,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: init.body,
  });
  if (!response.ok)
    throw new Error(`moto ${service} ${path}: HTTP ${response.status} ${await response.text()}`);
}

/** Creates a Lambda function in moto, so subscription filters may point at it. */
export async function createMotoFunction(name: string): Promise<void> {
  const role = `arn:aws:iam::123456789012:role/sagewatch-it-${name}`;
  await motoCall('iam', '/', {
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: `sagewatch-it-${name}`,
      AssumeRolePolicyDocument: '{}',
    }).toString(),
  });
  // An empty zip archive (end-of-central-directory record only): moto stores it, never runs it.
  const emptyZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]).toString(
    'base64',
  );
  await motoCall('lambda', '/2015-03-31/functions', {
    contentType: 'application/json',
    body: JSON.stringify({
      FunctionName: name,
      Runtime: 'nodejs24.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: emptyZip },
    }),
  });
}
