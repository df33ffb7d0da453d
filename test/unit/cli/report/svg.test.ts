import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatClock,
  MARKERS,
  marker,
  niceTicks,
  renderLineChart,
  renderStackedBars,
  renderTimeline,
  styleOf,
} from '../../../../cli/report/svg.ts';

const T0 = Date.parse('2026-11-26T09:20:00Z');

describe('escapeXml', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('styles and markers', () => {
  it('gives each series its own colour, shape and dash, cycling', () => {
    expect(styleOf(0)).not.toEqual(styleOf(1));
    expect(styleOf(0)).toEqual({ color: '#0072B2', marker: 'circle', dash: '' });
    expect(styleOf(MARKERS.length).marker).toBe('circle');
  });

  it('draws every marker shape at the point', () => {
    for (const shape of MARKERS) {
      const svg = marker(shape, 10, 20, 8, '#000');
      expect(svg, shape).toMatch(/^<(circle|rect|path|polygon) /);
    }
  });
});

describe('niceTicks and formatClock', () => {
  it('rounds ticks to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.93, 2.31, 5)).toEqual([1, 1.5, 2]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('prints UTC clock time', () => {
    expect(formatClock(T0 + 15_000)).toBe('09:20:15');
  });
});

describe('renderLineChart', () => {
  const chart = renderLineChart({
    id: 'c1',
    title: 'loss <per> host',
    description: 'two hosts',
    xDomain: [T0, T0 + 60_000],
    series: [
      {
        name: 'algo-1',
        points: [
          { x: T0, y: 2 },
          { x: T0 + 30_000, y: 1.5 },
          { x: T0 + 60_000, y: 1 },
        ],
      },
      {
        name: 'algo-<2>',
        points: [
          { x: T0, y: 2.1 },
          { x: T0 + 30_000, y: Number.NaN },
          { x: T0 + 60_000, y: 1.2 },
        ],
      },
    ],
    yLabel: 'loss',
  });

  it('is an image with a title and a description, escaped', () => {
    expect(chart).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
    expect(chart).toContain('<title id="c1-title">loss &#60;per&#62; host</title>');
    expect(chart).toContain('<desc id="c1-desc">two hosts</desc>');
  });

  it('labels each series with its count of values and NaNs, and marks the NaN', () => {
    expect(chart).toContain('data-series="algo-1" data-points="3" data-nan="0"');
    expect(chart).toContain('data-series="algo-&#60;2&#62;" data-points="3" data-nan="1"');
    expect(chart).toContain('aria-label="algo-&#60;2&#62;: 3 values, 1 NaN"');
    expect(chart.match(/>NaN<\/text>/g)).toHaveLength(1);
    // The line breaks at the NaN: the second series' path starts twice.
    const path = /data-series="algo-&#60;2&#62;"[^>]*><path d="([^"]*)"/.exec(chart)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it('draws a chart of only NaNs, one point, or no points', () => {
    const only = renderLineChart({
      id: 'c2',
      title: 't',
      description: 'd',
      xDomain: [T0, T0],
      series: [{ name: 'a', points: [{ x: T0, y: Number.NaN }] }],
      yLabel: 'loss',
    });
    expect(only).toContain('data-nan="1"');
    const flat = renderLineChart({
      id: 'c3',
      title: 't',
      description: 'd',
      xDomain: [T0, T0 + 1000],
      series: [
        { name: 'a', points: [{ x: T0, y: 5 }] },
        { name: 'b', points: [], style: 3 },
      ],
      yLabel: 'v',
      width: 400,
    });
    expect(flat).toContain('width="400"');
    expect(flat).toContain('data-series="b" data-points="0"');
    // An explicit style: the fourth colour, in the legend (series b draws no point).
    expect(flat).toContain('stroke="#CC79A7"');
  });

  it('shortens long legend labels', () => {
    const long = renderLineChart({
      id: 'c4',
      title: 't',
      description: 'd',
      xDomain: [T0, T0 + 1000],
      series: [{ name: 'x'.repeat(60), points: [{ x: T0, y: 1 }] }],
      yLabel: 'v',
    });
    expect(long).toContain(`${'x'.repeat(33)}…`);
  });
});

describe('renderTimeline', () => {
  it('draws a lane per stream with its marks and numbered, linked incident flags', () => {
    const svg = renderTimeline({
      id: 'tl',
      title: 'Errors',
      description: 'three lanes',
      xDomain: [T0, T0 + 60_000],
      categories: ['cuda_oom', 'python_exception'],
      lanes: [
        {
          label: 'job · algo-1',
          marks: [],
          flags: [],
        },
        {
          label: `job · ${'very-long-instance-name-'.repeat(3)}algo-3`,
          marks: [
            { x: T0 + 1000, category: 'python_exception' },
            { x: T0 + 2000, category: 'cuda_oom' },
            { x: T0 + 3000, category: 'unknown_category' },
          ],
          flags: [{ x: T0 + 1000, label: '1', href: '#incident-1', title: 'Incident 1: <OOM>' }],
        },
      ],
      width: 900,
    });
    expect(svg).toContain('data-chart="timeline"');
    expect(svg).toContain('data-lane="job · algo-1" data-errors="0" data-incidents="0"');
    expect(svg).toContain('aria-label="job · algo-1: no errors; 0 incidents"');
    expect(svg).toMatch(
      /data-errors="3" data-incidents="1" aria-label="[^"]*: 3 errors: python_exception 1, cuda_oom 1, unknown_category 1; 1 incidents"/,
    );
    expect(svg).toContain('<a href="#incident-1" class="flag" aria-label="Incident 1: &#60;OOM&#62;">');
    expect(svg).toContain('>…');
    expect(svg).toContain('incident (numbered as listed below)');
  });
});

describe('renderStackedBars', () => {
  it('stacks counts per bucket, one hatched series per class, with whole-number ticks', () => {
    const svg = renderStackedBars({
      id: 'bars',
      title: 'HTTP status',
      description: '3 requests',
      xDomain: [T0, T0 + 10_000],
      bucketMs: 5000,
      classes: [
        { name: '2xx', color: '#009E73', pattern: 'solid' },
        { name: '4xx', color: '#E69F00', pattern: 'hatch' },
        { name: '5xx', color: '#D55E00', pattern: 'cross' },
      ],
      buckets: [
        { x: T0, counts: { '2xx': 1, '5xx': 1 } },
        { x: T0 + 5000, counts: { '2xx': 1 } },
      ],
    });
    expect(svg).toContain('data-series="2xx" data-points="2"');
    expect(svg).toContain('data-series="4xx" data-points="0"');
    expect(svg).toContain('data-series="5xx" data-points="1"');
    expect(svg).toContain('<pattern id="bars-4xx"');
    expect(svg).toContain('fill="url(#bars-5xx)"');
    expect(svg).toContain('<title>09:20:00: 1 × 5xx</title>');
    expect(svg).not.toMatch(/>0\.5</);
  });
});
