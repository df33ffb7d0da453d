/**
 * Answers a CloudFormation custom resource request: one PUT of the JSON body to the pre-signed
 * ResponseURL. Written on `node:https` rather than fetch because the pre-signed S3 URL is signed
 * with an empty Content-Type, and fetch insists on sending one for a string body.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type CustomResourceResponse, toCustomResourceResponse } from '../control-plane/custom-resource.ts';
import type { CustomResourceRequest } from '../control-plane/triggers.ts';

/** A stuck PUT must not eat the rest of the Lambda's time. */
export const RESPONSE_TIMEOUT_MS = 10_000;

/** PUTs `response` to `responseUrl`; resolves on a 2xx answer, rejects otherwise. */
export async function sendCustomResourceResponse(
  responseUrl: string,
  response: CustomResourceResponse,
  timeoutMs: number = RESPONSE_TIMEOUT_MS,
): Promise<void> {
  const body = JSON.stringify(response);
  const url = new URL(responseUrl);
  // http: only for local tests; CloudFormation always hands out https URLs.
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  await new Promise<void>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`custom resource response PUT answered HTTP ${status}`));
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`custom resource response PUT timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Answers `request` (SUCCESS unless told otherwise) with `reason`; does nothing when the invocation
 * was not a custom resource.
 */
export async function answerCustomResource(
  request: CustomResourceRequest | undefined,
  reason: string,
  status: CustomResourceResponse['Status'] = 'SUCCESS',
): Promise<void> {
  if (request === undefined) return;
  await sendCustomResourceResponse(
    request.responseUrl,
    toCustomResourceResponse(request, reason, {}, status),
  );
}

/**
 * Ends an invocation that cannot run because the configuration is bad. A custom resource Create or
 * Update is answered FAILED with the error's message, so the deploy stops at once naming the
 * variable; a Delete is answered SUCCESS, so a broken function never blocks removing the stack. Then
 * the error is thrown (the function's Errors metric counts it).
 */
export async function failForConfig(
  request: CustomResourceRequest | undefined,
  error: Error,
): Promise<never> {
  await answerCustomResource(
    request,
    error.message,
    request?.requestType === 'Delete' ? 'SUCCESS' : 'FAILED',
  );
  throw error;
}
