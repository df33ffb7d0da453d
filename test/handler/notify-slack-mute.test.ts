import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeContext } from '../helpers/lambda-harness.ts';
import { sampleIncident } from '../helpers/slack-fixtures.ts';

/*
 * notify-slack when the operator rules live in an SSM parameter: each incident's message shows the
 * `sagewatch mute` command for its fingerprint and that parameter. A local server stands in for Slack.
 */

const received: string[] = [];
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    received.push(Buffer.concat(parts).toString('utf8'));
    res.writeHead(200).end('ok');
  });
});
const ssm = mockClient(SSMClient);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  clearCaches();
  ssm
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: '/sagewatch/test/slack', Type: 'SecureString', Value: url } });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  ssm.restore();
  await new Promise((resolve) => server.close(resolve));
});

describe('notify-slack with OPERATOR_RULES_PARAMETER', () => {
  it('shows the command that mutes the incident for a week, in that parameter', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-02T10:07:00Z'), toFake: ['Date'] });
    vi.resetModules();
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/sagewatch/test/slack');
    vi.stubEnv('OPERATOR_RULES_PARAMETER', '/sagewatch/test/rules');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { handler } = await import('../../functions/notify-slack.ts');
    const incident = sampleIncident();
    await handler(
      { Records: [{ Sns: { MessageId: 'm-1', Message: JSON.stringify(incident) } }] },
      fakeContext(30_000),
    );
    write.mockRestore();
    expect(received).toHaveLength(1);
    expect(received[0]).toContain(
      `sagewatch mute --fingerprint ${incident.fingerprint} --until 2026-03-09 --parameter /sagewatch/test/rules`,
    );
  });
});
