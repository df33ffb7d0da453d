import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OutboundMessage, publishMessages } from '../../lib/aws/sns.ts';
import { motoClientConfig, resetMoto } from './moto.ts';

/** Receives every message a queue holds (moto delivers SNS → SQS synchronously). */
async function drain(sqs: SQSClient, queueUrl: string): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages?.length) return bodies;
    for (const message of Messages) bodies.push(JSON.parse(message.Body ?? '{}'));
  }
}

describe('SNS adapter against moto (SNS → SQS)', () => {
  const sns = new SNSClient(motoClientConfig());
  const sqs = new SQSClient(motoClientConfig());
  let topicArn: string;
  let queueUrl: string;

  beforeAll(async () => {
    await resetMoto();
    ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'harness-alerts' })));
    ({ QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'harness-subscriber' }),
    ));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = Attributes?.QueueArn ?? '';
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
              },
            ],
          }),
        },
      }),
    );
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  });

  it('publishes 23 messages in batches of at most 10 and every one arrives, with attributes', async () => {
    const messages: OutboundMessage[] = Array.from({ length: 23 }, (_, i) => ({
      id: `m${i}`,
      message: JSON.stringify({ n: i }),
      subject: `message ${i}`,
      attributes: { severity: i % 2 ? 'error' : 'critical' },
    }));
    const failed = await publishMessages(sns, topicArn, messages);
    expect(failed).toEqual([]);

    const received = await drain(sqs, queueUrl);
    expect(received).toHaveLength(23);
    const numbers = received.map((body) => JSON.parse(String(body.Message)).n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 23 }, (_, i) => i));
    const first = received.find((body) => JSON.parse(String(body.Message)).n === 1);
    expect(first?.Subject).toBe('message 1');
    expect(first?.MessageAttributes).toMatchObject({ severity: { Type: 'String', Value: 'error' } });
  });
});
