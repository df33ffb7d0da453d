/**
 * What the demo and the benchmark need to run a built handler locally, as Lambda would: a context
 * object. (Payloads are built with `encodeSubscriptionPayload` from lib/processor/decode.ts.)
 */
export function localContext(functionName: string): Record<string, unknown> {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `${functionName}-local`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
  };
}
