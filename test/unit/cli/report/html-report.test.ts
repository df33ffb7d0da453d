import { describe, expect, it } from 'vitest';
import { replayDeliveries } from '../../../../cli/replay.ts';
import { chooseBucketMs, renderReplayReport, toStreamLabel } from '../../../../cli/report/html-report.ts';
import { parseLogSource } from '../../../../lib/log-source.ts';
import type { DeliveryReport } from '../../../../lib/processor/delivery-processor.ts';
import { makeDelivery } from '../../../helpers/deliveries.ts';

const START = Date.parse('2026-11-26T09:20:00Z');
const config = {
  detail: 'host' as const,
  namespace: 'Test/Report',
  suppressionWindowMs: 15 * 60_000,
  region: 'eu-west-1',
  metricDefinitions: [],
};

async function replay(deliveries: Parameters<typeof replayDeliveries>[0]): Promise<DeliveryReport[]> {
  return (await replayDeliveries(deliveries, { config, publish: async () => [] })).reports;
}

describe('chooseBucketMs', () => {
  it('takes the smallest width that keeps to 40 buckets', () => {
    expect(chooseBucketMs(0)).toBe(1000);
    expect(chooseBucketMs(40_000)).toBe(1000);
    expect(chooseBucketMs(41_000)).toBe(5000);
    expect(chooseBucketMs(3 * 3_600_000)).toBe(300_000);
    expect(chooseBucketMs(400 * 86_400_000)).toBe(86_400_000);
  });
});

describe('toStreamLabel', () => {
  it('names the resource (shortened), the instance and the container or channel', () => {
    expect(
      toStreamLabel(parseLogSource('/aws/sagemaker/Endpoints/prod', 'AllTraffic/i-0a1b2c3d4e5f60718/model')),
    ).toBe('prod · AllTraffic/i-0a1b2c3d4e5f60718 · model');
    expect(
      toStreamLabel(
        parseLogSource('/aws/sagemaker/TrainingJobs', 'llama-ft-2026-11-26-09-14-03-512/algo-3-1764148442'),
      ),
    ).toBe('llama-ft-2026-11-26-09-… · algo-3');
    expect(toStreamLabel(parseLogSource('/aws/other', 'stream'))).toBe('Unknown · stream');
  });
});

describe('renderReplayReport', () => {
  it('says so when there were no events', () => {
    const html = renderReplayReport({ reports: [], sources: ['empty.jsonl (jsonl, 0 events)'] });
    expect(html).toContain('<p>No events in that range.</p>');
    expect(html).not.toContain('Time range');
  });

  it('draws the timeline, loss per host with NaNs, HTTP per container and the incidents, all escaped', async () => {
    const group = '/aws/sagemaker/TrainingJobs';
    const reports = await replay([
      makeDelivery(
        group,
        'job-1/algo-1-1764148443',
        ["{'loss': 2.0}", "{'loss': 1.5}", "{'loss': nan}", "{'loss': 1.0, 'acc': 0.5}"],
        START,
      ),
      makeDelivery(
        group,
        'job-1/algo-2-1764148443',
        [
          'Traceback (most recent call last):',
          '  File "train.py", line 1',
          'ValueError: bad <script>alert(1)</script>',
        ],
        START + 1000,
      ),
      makeDelivery(
        '/aws/sagemaker/Endpoints/prod',
        'AllTraffic/i-0a1b2c3d4e5f60718/model',
        [
          '2026-11-26 09:30:00,100 [INFO ] W-9000-m ACCESS_LOG - /169.254.178.2:41000 "POST /invocations HTTP/1.1" 200 14',
          '2026-11-26 09:30:01,100 [INFO ] W-9000-m ACCESS_LOG - /169.254.178.2:41000 "POST /invocations HTTP/1.1" 503 19',
        ],
        START,
      ),
      makeDelivery(
        '/aws/sagemaker/Endpoints/prod',
        'AllTraffic/i-0a1b2c3d4e5f60718/preprocess',
        ['10.32.0.2 - - [26/Nov/2026:09:30:00 +0000] "GET /ping HTTP/1.1" 404 512 "-" "AHC/2.0"'],
        START,
      ),
    ]);
    const html = renderReplayReport({ reports, sources: ['<b>events</b>.jsonl (jsonl, 10 events)'] });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('&#60;b&#62;events&#60;/b&#62;.jsonl');
    expect(html).toContain('Time range: 2026-11-26T09:20:00Z → 2026-11-26T09:20:03Z (UTC)');
    expect(html).toContain('data-lane="job-1 · algo-2" data-errors="');
    expect(html).toContain('data-series="algo-1" data-points="4" data-nan="1"');
    expect(html).toContain('1 NaN values, marked');
    expect(html).toContain('Metrics printed: loss, acc.');
    expect(html).toContain('<td>NaN</td>');
    expect(html).toContain('data-series="5xx" data-points="1"');
    expect(html).toContain('data-series="4xx" data-points="1"');
    expect(html).toMatch(/Request latency per container, Endpoint prod/);
    expect(html).toContain('<article id="incident-1"');
    expect(html).toContain('ValueError: bad &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<a href="https://eu-west-1.console.aws.amazon.com/');
    expect(html).toContain('href="#incident-1"');
  });

  it('links only https console URLs, notes suppressed incidents, and reports jobs with no loss metric', async () => {
    const reports = await replay([
      makeDelivery(
        '/aws/sagemaker/TrainingJobs',
        'job-2/algo-1-1764148443',
        ["{'acc': 0.5}", 'RuntimeError: CUDA out of memory'],
        START,
      ),
      makeDelivery(
        '/aws/sagemaker/TrainingJobs',
        'job-2/algo-1-1764148443',
        ['RuntimeError: CUDA out of memory'],
        START + 60_000,
      ),
    ]);
    const incident = reports[0]?.alerts.sent[0]?.incident;
    if (incident) incident.consoleUrl = 'javascript:alert(1)';
    const html = renderReplayReport({ reports, sources: ['x'] });
    expect(html).toContain('No loss metric printed.');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('1 more were suppressed');
    expect(html).not.toContain('HTTP status and latency');
  });

  it('lists no incidents when there are none', async () => {
    const reports = await replay([
      makeDelivery('/aws/sagemaker/TrainingJobs', 'job-3/algo-1-1764148443', ['all good'], START),
    ]);
    const html = renderReplayReport({ reports, sources: ['x'] });
    expect(html).toContain('<p>None.</p>');
    expect(html).toContain('no errors.');
  });
});
