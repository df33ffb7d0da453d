import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OutboundMessage, publishMessages } from '../../lib/aws/sns.ts';
import { motoClientConfig, resetMoto, subscribeQueue } from './moto.ts';

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
    queueUrl = await subscribeQueue(sns, sqs, topicArn, 'harness-subscriber');
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
