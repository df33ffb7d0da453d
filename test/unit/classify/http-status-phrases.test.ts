import { describe, expect, it } from 'vitest';
import { parseStatusInWords, stripComposePrefix } from '../../../lib/classify/http-status-phrases.ts';
import { classifyMessage } from '../../../lib/classify/index.ts';

describe('parseStatusInWords', () => {
  it.each([
    ['<h1>502 Bad Gateway</h1>', 502],
    ['upload failed: An error occurred (403) when calling the PutObject operation: Forbidden', 403],
    ['https response error StatusCode: 429, RequestID: abc', 429],
    ['[WARN] Response status: 503, Slow Down', 503],
    ['bucket/key.jpg: ServerError: 500', 500],
    ['mms.service.PredictionException: bad input shape : 400', 400],
    ['{"code": 504, "type": "timeout"}', 504],
    ["metrics ['http_status:404', 'http_method:GET']", 404],
  ])('reads %j as %i', (line, status) => {
    expect(parseStatusInWords(line)).toEqual({ status });
  });

  it('reads nothing from a line without a status', () => {
    expect(parseStatusInWords('model 500M parameters loaded')).toBeUndefined();
  });
});

describe('stripComposePrefix', () => {
  it('removes a docker compose container prefix', () => {
    expect(stripComposePrefix('abc-algo-1-x1y2 | hello')).toBe('hello');
    expect(stripComposePrefix('hello')).toBeUndefined();
  });
});

describe('classifyMessage with statuses in words', () => {
  it('reads an access log behind a compose prefix, and a status phrase', () => {
    expect(
      classifyMessage(
        'job-algo-1-q1w2e | 172.18.0.1 - - [02/Mar/2023:10:00:00 +0000] "POST /invocations HTTP/1.1" 503 12 "-" "curl/8"',
      ).http,
    ).toEqual({ status: 503 });
    expect(classifyMessage('<title>504 Gateway Timeout</title>').http).toEqual({ status: 504 });
  });
});
