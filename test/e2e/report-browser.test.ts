/**
 * The replay report in a real browser: the installed CLI replays the bundled samples
 * (samples/deliveries.json as JSON lines) with --report, headless Chromium opens the file, and the
 * test checks that it renders without a console error, that each chart holds the series the
 * samples imply, and that hostile log text stays text. Screenshots are kept as artifacts under
 * .sagewatch/artifacts/ (ignored by git).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toSampleJsonLines } from '../../scripts/sample-events.ts';
import { type BrowserPage, launchPage } from './chromium.ts';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, '.sagewatch', 'artifacts');
const cli = inject('packedCli');
const work = mkdtempSync(join(tmpdir(), 'sagewatch-report-'));
let browser: BrowserPage;

function replay(args: string[]): void {
  const result = spawnSync(cli.bin, ['replay', ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, PATH: cli.pathEnv, AWS_REGION: 'us-east-1' },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchPage(1100);
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

interface ChartInfo {
  id: string;
  kind: string;
  title: string;
  desc: string;
  width: number;
  series: { name: string; points: number; nan: number }[];
  lanes: { name: string; errors: number; incidents: number }[];
}

const READ_CHARTS = `[...document.querySelectorAll('svg[data-chart]')].map((svg) => ({
  id: svg.id,
  kind: svg.dataset.chart,
  title: svg.querySelector(':scope > title')?.textContent ?? '',
  desc: svg.querySelector(':scope > desc')?.textContent ?? '',
  width: svg.getBoundingClientRect().width,
  series: [...svg.querySelectorAll('[data-series]')].map((g) => ({
    name: g.dataset.series, points: Number(g.dataset.points), nan: Number(g.dataset.nan ?? 0),
  })),
  lanes: [...svg.querySelectorAll('[data-lane]')].map((g) => ({
    name: g.dataset.lane, errors: Number(g.dataset.errors), incidents: Number(g.dataset.incidents),
  })),
}))`;

describe('the replay report of the bundled samples, in headless Chromium', () => {
  it('renders without console errors, with the expected charts and series, and is kept as a screenshot', async () => {
    writeFileSync(join(work, 'samples.jsonl'), toSampleJsonLines());
    replay(['samples.jsonl', '--report', 'report.html']);
    await browser.open(pathToFileURL(join(work, 'report.html')).href);
    expect(browser.errors).toEqual([]);
    expect(await browser.evaluate<number>('document.scripts.length')).toBe(0);

    const charts = await browser.evaluate<ChartInfo[]>(READ_CHARTS);
    for (const chart of charts) {
      expect(chart.title, chart.id).not.toBe('');
      expect(chart.desc, chart.id).not.toBe('');
      expect(chart.width, chart.id).toBeGreaterThan(200);
    }
    const byTitle = (pattern: RegExp) => charts.filter((chart) => pattern.test(chart.title));

    const [timeline] = byTitle(/^Errors by category and incidents/);
    expect(timeline?.lanes).toHaveLength(9);
    const lane = (pattern: RegExp) => timeline?.lanes.find((l) => pattern.test(l.name));
    // In a stream, a traceback's frames and header are info; its exception line carries the error.
    expect(lane(/algo-3$/)).toMatchObject({ errors: 5, incidents: 1 });
    // algo-3's traceback starts at 09:20:02 with frames (info); its exception line comes later.
    expect(timeline?.desc).toContain(
      'the first in research-nb · research-nb/LifecycleConfigOnStart · LifecycleConfigOnStart at 2026-11-26T09:20:09Z',
    );
    expect(lane(/algo-1$/)).toMatchObject({ errors: 0, incidents: 0 });
    // The 5xx answers and the dying worker are one problem: one incident.
    expect(lane(/ · model$/)).toMatchObject({ errors: 16, incidents: 1 });
    expect(lane(/LifecycleConfigOnStart/)).toMatchObject({ errors: 5, incidents: 2 });

    const [loss] = byTitle(/^loss per host/);
    expect(loss?.series).toEqual([
      { name: 'algo-1', points: 12, nan: 0 },
      { name: 'algo-2', points: 12, nan: 0 },
      { name: 'algo-3', points: 1, nan: 0 },
      { name: 'algo-4', points: 12, nan: 0 },
    ]);
    expect(byTitle(/^eval_loss per host/)[0]?.series.map((s) => s.name)).toEqual([
      'algo-1',
      'algo-2',
      'algo-4',
    ]);

    const [model] = byTitle(/^HTTP status .* model$/);
    expect(model?.series).toEqual([
      { name: '2xx', points: 18, nan: 0 },
      { name: '3xx', points: 0, nan: 0 },
      { name: '4xx', points: 0, nan: 0 },
      { name: '5xx', points: 12, nan: 0 },
    ]);
    expect(byTitle(/^HTTP status .* preprocess$/)[0]?.series[0]).toEqual({ name: '2xx', points: 40, nan: 0 });
    expect(byTitle(/^Request latency per container, Endpoint fraud-pipeline-prod/)[0]?.series).toEqual([
      { name: 'model', points: 30, nan: 0 },
    ]);

    const incidents = await browser.evaluate<{ title: string; link: string }[]>(
      `[...document.querySelectorAll('article.incident')].map((a) => ({
        title: a.querySelector('h3').textContent, link: a.querySelector('a')?.href ?? '' }))`,
    );
    // Numbered in the order they began: algo-3's CUDA OOM first.
    expect(incidents.map((incident) => incident.title.replace(/ in .*/, ''))).toEqual([
      '1 CUDA out of memory',
      '2 Import error',
      '3 User script failed',
      '4 Model server worker died',
    ]);
    for (const incident of incidents)
      expect(incident.link).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\//);
    const text = await browser.evaluate<string>('document.body.innerText');
    expect(text).toContain('Time range: 2026-11-26T09:20:00Z → 2026-11-26T09:21:10Z');
    expect(text).toContain('samples.jsonl (jsonl, 176 events)');
    // The sample's bearer token is scrubbed from the incidents, as in an alert.
    expect(text).toContain('[REDACTED');

    writeFileSync(join(artifacts, 'report.png'), await browser.screenshot());
    writeFileSync(join(artifacts, 'report-top.png'), await browser.screenshot(1250));
  });

  it('keeps hostile log text as text', async () => {
    const hostile = [
      '<script>console.error("xss")</script>',
      '<img src=x onerror="console.error(1)">',
      '"><svg onload="console.error(2)">',
      "{'loss': nan} </title><script>console.error(3)</script>",
    ];
    const lines = hostile.map((message, index) =>
      JSON.stringify({
        logGroupName: '/aws/sagemaker/TrainingJobs',
        logStreamName: `x-<b>job</b>/algo-${index + 1}-1764148443`,
        timestamp: Date.parse('2026-11-26T10:00:00Z') + index * 1000,
        message: `Traceback (most recent call last):\nValueError: ${message}`,
      }),
    );
    writeFileSync(join(work, 'hostile.jsonl'), `${lines.join('\n')}\n`);
    replay(['hostile.jsonl', '--report', 'hostile.html']);
    await browser.open(pathToFileURL(join(work, 'hostile.html')).href);
    expect(browser.errors).toEqual([]);
    expect(
      await browser.evaluate<number>('document.querySelectorAll("script, img, b, svg[onload]").length'),
    ).toBe(0);
    expect(await browser.evaluate<string>('document.body.innerText')).toContain(
      '<script>console.error("xss")</script>',
    );
  });
});
