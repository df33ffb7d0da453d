import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

/** A Lambda context whose remaining time is fixed. */
export function fakeContext(remainingMs = 300_000, functionName = 'sagewatch-test-fn'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/03/02/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Captures what the function writes to stdout and stderr (Powertools Logger lines, EMF metric
 * documents) as parsed JSON objects; non-JSON output is ignored.
 */
export function captureOutput(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  return {
    lines: () =>
      chunks
        .join('\n')
        .split('\n')
        .flatMap((line) => {
          try {
            const parsed: unknown = JSON.parse(line);
            return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
          } catch {
            return [];
          }
        }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** The value of metric `name` in the EMF documents among `lines`, or undefined. */
export function metricValue(lines: Record<string, unknown>[], name: string): unknown {
  const emf = lines.find((line) => '_aws' in line && name in line);
  return emf?.[name];
}

/** One request received by {@link startResponseServer}. */
export interface ReceivedResponse {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A local HTTP server standing in for CloudFormation's pre-signed response URL. */
export async function startResponseServer(
  status = 200,
): Promise<{ url: string; received: ReceivedResponse[]; close: () => Promise<void> }> {
  const received: ReceivedResponse[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      received.push({
        method: req.method,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cfn-response?X-Amz-Signature=test`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
