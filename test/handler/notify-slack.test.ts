import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../lib/incidents/types.ts';
import { fakeContext } from '../helpers/lambda-harness.ts';
import { sampleAlarm, sampleIncident } from '../helpers/slack-fixtures.ts';

const PARAMETER = '/sagewatch/test/slack-webhook';
/** The secret part of the webhook URL: it must never show in a log line or an error. */
const SECRET_PATH = '/services/T0SAGEWATCH/B0TEST/s3cr3t-w3bh00k-t0k3n';

interface Received {
  headers: IncomingHttpHeaders;
  body: { text: string; blocks: Record<string, unknown>[] };
}

/** A local stand-in for Slack: answers each request with the next scripted answer (default 200 ok). */
const slack = {
  received: [] as Received[],
  answers: [] as { status: number; body: string; headers?: Record<string, string> }[],
  url: '',
};
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    if (req.url !== SECRET_PATH) {
      res.writeHead(404).end('no_service');
      return;
    }
    slack.received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
    const answer = slack.answers.shift() ?? { status: 200, body: 'ok' };
    res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
  });
});

const ssm = mockClient(SSMClient);
let handler: (event: unknown, context: Context) => Promise<void>;
let output: string[] = [];

function snsEvent(message: string, messageId = 'msg-0001') {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:sagewatch-test-alerts:0b5e',
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:sagewatch-test-alerts',
          Subject: 'sagewatch: CUDA out of memory',
          Message: message,
          Timestamp: '2026-03-02T10:06:01.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/cert.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

const incidentEvent = (incident: Incident = sampleIncident()) => snsEvent(JSON.stringify(incident));

/** Everything the function wrote, as parsed Powertools log lines. */
function logLines(): Record<string, unknown>[] {
  return output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectNoWebhookUrl(...errors: unknown[]): void {
  const texts = [
    output.join(''),
    ...errors.map((error) => (error instanceof Error ? `${error.message}\n${error.stack}` : String(error))),
  ];
  for (const text of texts) {
    expect(text).not.toContain('s3cr3t-w3bh00k-t0k3n');
    expect(text).not.toContain(slack.url);
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof Error) return error;
  throw new Error('expected the invocation to fail');
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  slack.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SECRET_PATH}`;
  vi.stubEnv('SLACK_WEBHOOK_PARAMETER', PARAMETER);
  vi.stubEnv('SLACK_MIN_SEVERITY', 'error');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  ({ handler } = await import('../../functions/notify-slack.ts'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  ssm.restore();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  clearCaches();
  ssm.reset();
  ssm
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: slack.url } });
  slack.received = [];
  slack.answers = [];
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('notify-slack handler', () => {
  it('posts an incident as Block Kit: header, fields, code block and a button to the log stream', async () => {
    const incident = sampleIncident();
    await handler(incidentEvent(incident), fakeContext(30_000, 'sagewatch-test-notify-slack'));

    expect(slack.received).toHaveLength(1);
    const { headers, body } = slack.received[0] as Received;
    expect(headers['content-type']).toBe('application/json');
    expect(body.text).toContain(incident.title);
    expect(body.blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'actions',
    ]);
    const [header, fields, code, , actions] = body.blocks as [
      { text: { text: string } },
      { fields: { text: string }[] },
      { text: { text: string } },
      unknown,
      { elements: { url: string; text: { text: string } }[] },
    ];
    expect(header.text.text).toBe(`:rotating_light: ${incident.title}`);
    const labels = fields.fields.map((field) => field.text.split('\n')[0]);
    expect(labels).toEqual([
      '*Resource*',
      '*Host*',
      '*Container*',
      '*Category*',
      '*Severity*',
      '*Count*',
      '*First seen*',
      '*Last seen*',
    ]);
    expect(fields.fields[1]?.text).toBe('*Host*\nllama-ft-2026-03-02/algo-2');
    expect(fields.fields[5]?.text).toBe('*Count*\n3');
    expect(code.text.text.startsWith('```\nTraceback (most recent call last):')).toBe(true);
    expect(
      code.text.text.endsWith(
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)\n```',
      ),
    ).toBe(true);
    expect(actions.elements[0]?.text.text).toBe('Open log stream');
    expect(actions.elements[0]?.url).toBe(incident.consoleUrl);

    const posted = logLines().find((line) => line.message === 'posted to Slack');
    expect(posted).toMatchObject({
      messageId: 'msg-0001',
      fingerprint: incident.fingerprint,
      attempts: 1,
      waitedMs: 0,
    });
    expectNoWebhookUrl();
  });

  it('reads the webhook URL as a decrypted SecureString, cached across invocations', async () => {
    await handler(incidentEvent(), fakeContext());
    await handler(incidentEvent(), fakeContext());
    expect(slack.received).toHaveLength(2);
    const calls = ssm.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
  });

  it('waits out a 429 with Retry-After: 1 and posts the same message again', async () => {
    slack.answers = [{ status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } }];
    await handler(incidentEvent(), fakeContext());
    expect(slack.received).toHaveLength(2);
    expect(slack.received[1]?.body).toEqual(slack.received[0]?.body);
    const posted = logLines().find((line) => line.message === 'posted to Slack');
    expect(posted).toMatchObject({ attempts: 2, waitedMs: 1_000 });
    expectNoWebhookUrl();
  });

  it('fails the invocation on a 500, so Lambda retries the SNS delivery', async () => {
    slack.answers = [{ status: 500, body: 'internal_error' }];
    const error = await failure(handler(incidentEvent(), fakeContext()));
    expect(error).toMatchObject({ name: 'SlackPostError', failure: 'server', status: 500 });
    expect(error.message).toBe('Slack answered HTTP 500: internal_error');
    expect(slack.received).toHaveLength(1);
    const logged = logLines().find((line) => line.message === 'Slack post failed');
    expect(logged).toMatchObject({ level: 'ERROR', messageId: 'msg-0001' });
    expectNoWebhookUrl(error);
  });

  it('fails with a clear error on a message it cannot read, without posting or reading the secret', async () => {
    const error = await failure(handler(snsEvent('Traceback: not JSON at all', 'msg-bad'), fakeContext()));
    expect(error.name).toBe('InvalidMessageError');
    expect(error.message).toBe('SNS message msg-bad: is not JSON (26 characters)');
    expect(slack.received).toHaveLength(0);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('fails with a clear error on an incident of another schema version', async () => {
    const error = await failure(
      handler(snsEvent(JSON.stringify({ ...sampleIncident(), schemaVersion: 2 })), fakeContext()),
    );
    expect(error.message).toContain('incident schemaVersion 2 is not supported');
    expect(slack.received).toHaveLength(0);
  });

  it('fails with a clear error when invoked by something other than SNS', async () => {
    const error = await failure(handler({ awslogs: { data: 'H4sIAAAA' } }, fakeContext()));
    expect(error.message).toContain('the event is not an SNS notification');
  });

  it('does not post an incident below SLACK_MIN_SEVERITY', async () => {
    await handler(incidentEvent(sampleIncident({ severity: 'warning' })), fakeContext());
    expect(slack.received).toHaveLength(0);
    expect(logLines().find((line) => line.message === 'below SLACK_MIN_SEVERITY, not posted')).toMatchObject({
      severity: 'warning',
    });
  });

  it("posts sagewatch's own CloudWatch alarms with a button to the alarm", async () => {
    await handler(snsEvent(JSON.stringify(sampleAlarm())), fakeContext());
    expect(slack.received).toHaveLength(1);
    const blocks = slack.received[0]?.body.blocks ?? [];
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: ':rotating_light: ALARM: sagewatch-prod-self-notify-slack-errors' },
    });
    expect(blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ text: { text: 'Open alarm' } }] });
  });

  it('reads the parameter afresh after Slack says the webhook is gone', async () => {
    slack.answers = [{ status: 404, body: 'no_service' }];
    const error = await failure(handler(incidentEvent(), fakeContext()));
    expect(error).toMatchObject({ failure: 'webhook-gone', status: 404 });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    await handler(incidentEvent(), fakeContext());
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(slack.received).toHaveLength(2);
    expectNoWebhookUrl(error);
  });

  it('never logs the webhook URL, whatever happens', async () => {
    slack.answers = [
      { status: 400, body: 'invalid_blocks' },
      { status: 429, body: 'rate_limited', headers: { 'Retry-After': '3600' } },
    ];
    const errors = [
      await failure(handler(incidentEvent(), fakeContext())),
      await failure(handler(incidentEvent(), fakeContext())),
    ];
    await handler(incidentEvent(), fakeContext());
    expect(errors.map((error) => (error as { failure?: string }).failure)).toEqual([
      'rejected',
      'rate-limited',
    ]);
    expect(logLines().length).toBeGreaterThanOrEqual(3);
    expectNoWebhookUrl(...errors);
  });
});

describe('notify-slack configuration', () => {
  it('fails at cold start with a ConfigError naming SLACK_WEBHOOK_PARAMETER', async () => {
    vi.resetModules();
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '');
    try {
      const error = await failure(import('../../functions/notify-slack.ts'));
      // A fresh module graph: its ConfigError class is not this file's, so match by name.
      expect(error).toMatchObject({ name: 'ConfigError', variable: 'SLACK_WEBHOOK_PARAMETER' });
      expect(error.message).toMatch(/^SLACK_WEBHOOK_PARAMETER: is required/);
    } finally {
      vi.stubEnv('SLACK_WEBHOOK_PARAMETER', PARAMETER);
    }
  });
});
