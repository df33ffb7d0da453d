import { describe, expect, it } from 'vitest';
import { parseHttpRequest } from '../../../lib/classify/http.ts';
import { normalizeMessage } from '../../../lib/classify/normalize.ts';

function requestOf(message: string) {
  const normalized = normalizeMessage(message);
  return parseHttpRequest(normalized.text, normalized.lines);
}

describe('parseHttpRequest', () => {
  it('reads status and latency from a TorchServe or MMS access log', () => {
    expect(
      requestOf(
        '2022-04-18 00:25:37,507 [INFO ] W-9003-model_1 ACCESS_LOG - /169.254.255.130:34664 "POST /invocations HTTP/1.1" 200 19',
      ),
    ).toEqual({ status: 200, latencyMs: 19, method: 'POST', path: '/invocations' });
    expect(
      requestOf('[INFO ] pool-1-thread-3 ACCESS_LOG - /127.0.0.1:32868 "GET /ping HTTP/1.1" 503 0.5'),
    ).toEqual({
      status: 503,
      latencyMs: 0.5,
      method: 'GET',
      path: '/ping',
    });
  });

  it('reads only the status from nginx, gunicorn and werkzeug lines (the next number is bytes)', () => {
    expect(
      requestOf(
        '169.254.255.130 - - [02/Oct/2020:00:41:11 +0000] "POST /invocations HTTP/1.1" 200 5400000 "-" "Go-http-client/1.1"',
      ),
    ).toEqual({ status: 200, method: 'POST', path: '/invocations' });
    expect(requestOf('127.0.0.1 - - [18/Apr/2022 00:27:27] "GET /ping HTTP/1.1" 404 -')).toEqual({
      status: 404,
      method: 'GET',
      path: '/ping',
    });
  });

  it('reads uvicorn access lines', () => {
    expect(
      requestOf('INFO:     127.0.0.1:38412 - "POST /invocations HTTP/1.1" 500 Internal Server Error'),
    ).toEqual({
      status: 500,
      method: 'POST',
      path: '/invocations',
    });
  });

  it('reads uvicorn access lines behind a logger prefix or with an extra field before the dash', () => {
    expect(
      requestOf(
        '2024-05-07 09:13:22.481 uvicorn.access INFO:     10.0.12.7:51834 3 - "POST /predictions/resnet HTTP/1.1" 503 Service Unavailable',
      ),
    ).toEqual({ status: 503, method: 'POST', path: '/predictions/resnet' });
    expect(
      requestOf('(APIServer pid=1) INFO:     10.1.6.81:16983 - "POST /v1/chat/completions HTTP/1.1" 200 OK'),
    ).toEqual({ status: 200, method: 'POST', path: '/v1/chat/completions' });
    expect(requestOf('INFO:     [::1]:40112 - "GET /ping HTTP/1.1" 200 OK')?.status).toBe(200);
  });

  it('reads relayed statuses and ignores (0), which means no answer', () => {
    expect(requestOf('Received client error (424) from primary with message "x"')).toEqual({ status: 424 });
    expect(requestOf('null (Service: AmazonSageMakerRuntime; Status Code: 400; Error Code: X)')).toEqual({
      status: 400,
    });
    expect(
      requestOf(
        '2022-06-01T10:00:00.000:[sagemaker logs]: my-bucket/in/part-0001.csv: Bad HTTP status received from algorithm: 413',
      ),
    ).toEqual({ status: 413 });
    expect(requestOf('Received server error (0) from primary with message "timed out"')).toBeUndefined();
    expect(requestOf('Received server error (999) from primary')).toBeUndefined();
  });

  it('reads TGI success lines with total_time in any unit', () => {
    const text = (time: string) =>
      `INFO generate{total_time="${time}" validation_time="1ms"}: text_generation_router::server: router/src/server.rs:309: Success`;
    expect(requestOf(text('357.5ms'))).toEqual({ status: 200, latencyMs: 357.5 });
    expect(requestOf(text('1.5s'))?.latencyMs).toBe(1500);
    expect(requestOf(text('250µs'))?.latencyMs).toBeCloseTo(0.25);
    expect(requestOf(text('250us'))?.latencyMs).toBeCloseTo(0.25);
    expect(requestOf(text('5000ns'))?.latencyMs).toBeCloseTo(0.005);
  });

  it('reads TGI JSON success lines, with or without total_time', () => {
    expect(
      requestOf(
        '{"level":"INFO","message":"Success","target":"text_generation_router::server","span":{"total_time":"12.5ms"}}',
      ),
    ).toEqual({ status: 200, latencyMs: 12.5 });
    expect(
      requestOf(
        '{"level":"INFO","message":"Success","target":"text_generation_router::server","span":{"infer',
      ),
    ).toEqual({
      status: 200,
    });
  });

  it.each([
    '2023-01-18 16:20:17,856 - MainThread - urllib3.connectionpool - DEBUG - https://api.sagemaker.us-east-1.amazonaws.com:443 "POST / HTTP/1.1" 400 58',
    'An error occurred (403) when calling the HeadObject operation: Forbidden',
    '2018/12/09 21:38:02 [error] 9#9: *4 client intended to send too large body, request: "POST /invocations HTTP/1.1", host: "x"',
    'Upload: Success',
    '10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET /ping HTTP/1.1" 999 1',
    'Model server started.',
    '10.0.12.7:51834 a b c - "POST /invocations HTTP/1.1" 200 OK',
  ])('finds no request in %j', (message) => {
    expect(requestOf(message)).toBeUndefined();
  });
});
