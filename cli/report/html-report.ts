/**
 * `sagewatch replay --report`: what a replay found, as one self-contained HTML file to look at
 * after a failed job (no script, no network: styles and SVG charts are inline). A timeline of
 * errors and incidents per log stream; training metrics per host over time, loss curves side by
 * side with NaN values marked; HTTP status and latency per serving container; every incident with
 * its context lines and console link; the time range and sources read. Each chart has a text
 * alternative and a data table. All log-derived text is escaped: log lines are hostile input.
 */
import type { DetectedIncident } from '../../lib/incidents/index.ts';
import type { DeliveryReport } from '../../lib/processor/delivery-processor.ts';
import type { LogSource } from '../../lib/types.ts';
import { formatCount } from '../table.ts';
import {
  escapeXml as esc,
  formatClock,
  type LineSeries,
  renderLineChart,
  renderStackedBars,
  renderTimeline,
  type TimelineLane,
} from './svg.ts';

/** What the report is built from. */
export interface ReportInput {
  reports: readonly DeliveryReport[];
  /** The sources read, one line each (`events.jsonl (jsonl, 171 events)`). */
  sources: readonly string[];
}

/** One log stream's events, as the report draws them. */
interface Stream {
  key: string;
  source: LogSource;
  label: string;
  events: number;
  errors: { t: number; category: string }[];
  metrics: Map<string, { t: number; v: number }[]>;
  http: { t: number; status: number; latencyMs?: number }[];
}

/** Bucket widths for request counts, smallest first. */
const BUCKETS_MS = [1, 5, 10, 15, 30, 60, 300, 900, 3600, 21_600, 86_400].map((s) => s * 1000);
const MAX_BUCKETS = 40;

/** The smallest bucket width that covers `spanMs` in at most {@link MAX_BUCKETS} buckets. */
export function chooseBucketMs(spanMs: number): number {
  return (
    BUCKETS_MS.find((width) => spanMs / width <= MAX_BUCKETS) ?? (BUCKETS_MS[BUCKETS_MS.length - 1] as number)
  );
}

/** `my-job · algo-1` / `prod · AllTraffic/i-0abc · model`: short enough for a lane; sections name the resource. */
export function toStreamLabel(source: LogSource): string {
  const where =
    source.variantName && source.instance ? `${source.variantName}/${source.instance}` : source.instance;
  const name = source.resourceName ?? source.resourceType;
  return [
    name.length > 24 ? `${name.slice(0, 23)}…` : name,
    where ?? source.logStream,
    source.container ?? source.channel,
  ]
    .filter(Boolean)
    .join(' · ');
}

function collectStreams(reports: readonly DeliveryReport[]): Stream[] {
  const streams = new Map<string, Stream>();
  for (const { processed } of reports) {
    const { source } = processed;
    const key = `${source.logGroup}\n${source.logStream}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = {
        key,
        source,
        label: toStreamLabel(source),
        events: 0,
        errors: [],
        metrics: new Map(),
        http: [],
      };
      streams.set(key, stream);
    }
    for (const { event, classification } of processed.classified) {
      stream.events++;
      if (classification.severity === 'error') {
        stream.errors.push({ t: event.timestamp, category: classification.category });
      }
      for (const [name, value] of Object.entries(classification.metrics ?? {})) {
        const points = stream.metrics.get(name) ?? [];
        points.push({ t: event.timestamp, v: value });
        stream.metrics.set(name, points);
      }
      if (classification.http) {
        stream.http.push({
          t: event.timestamp,
          status: classification.http.status,
          ...(classification.http.latencyMs === undefined
            ? {}
            : { latencyMs: classification.http.latencyMs }),
        });
      }
    }
  }
  return [...streams.values()].sort(
    (a, b) =>
      a.source.resourceType.localeCompare(b.source.resourceType) ||
      (a.source.resourceName ?? '').localeCompare(b.source.resourceName ?? '') ||
      a.label.localeCompare(b.label, 'en', { numeric: true }),
  );
}

function rangeOf(times: readonly number[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (t < low) low = t;
    if (t > high) high = t;
  }
  return low <= high ? [low, high] : [0, 0];
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  return (
    `<details><summary>Data table: ${esc(caption)}</summary><table><caption>${esc(caption)}</caption>` +
    `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table></details>'
  );
}

const formatValue = (value: number): string =>
  Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);

function timelineSection(
  streams: readonly Stream[],
  incidents: readonly DetectedIncident[],
  domain: [number, number],
): string {
  const categories = [...new Set(streams.flatMap((s) => s.errors.map((e) => e.category)))].sort();
  const lanes: TimelineLane[] = streams.map((stream) => ({
    label: stream.label,
    marks: stream.errors.map((e) => ({ x: e.t, category: e.category })),
    flags: incidents.flatMap((incident, index) =>
      incident.logGroup === stream.source.logGroup && incident.logStream === stream.source.logStream
        ? [
            {
              x: incident.firstSeenMs,
              label: String(index + 1),
              href: `#incident-${index + 1}`,
              title: `Incident ${index + 1}: ${incident.title}`,
            },
          ]
        : [],
    ),
  }));
  const withErrors = streams.filter((s) => s.errors.length > 0);
  const first = withErrors
    .map((s) => ({ label: s.label, t: Math.min(...s.errors.map((e) => e.t)) }))
    .sort((a, b) => a.t - b.t)[0];
  const description =
    `${streams.length} log streams from ${iso(domain[0])} to ${iso(domain[1])}; ` +
    (first
      ? `${withErrors.length} with errors, the first in ${first.label} at ${iso(first.t)}; ${incidents.length} incidents.`
      : 'no errors.');
  const svg = renderTimeline({
    id: 'timeline',
    title: 'Errors by category and incidents, per log stream',
    description,
    xDomain: domain,
    lanes,
    categories,
  });
  const rows = streams.map((s) => {
    const counts = new Map<string, number>();
    for (const e of s.errors) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
    const firstError = s.errors.length > 0 ? iso(Math.min(...s.errors.map((e) => e.t))) : '';
    return [
      s.label,
      formatCount(s.events),
      formatCount(s.errors.length),
      [...counts].map(([c, n]) => `${c} ${n}`).join(', '),
      firstError,
      lanes
        .find((l) => l.label === s.label)
        ?.flags.map((f) => f.label)
        .join(', ') ?? '',
    ];
  });
  return (
    `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>` +
    `<p>${esc(description)} Each mark is one error line, its shape and colour its category; a numbered flag is an incident, listed below.</p>` +
    `<figure class="wide">${svg}</figure>` +
    table(
      'errors per log stream',
      ['log stream', 'events', 'errors', 'by category', 'first error', 'incidents'],
      rows,
    ) +
    '</section>'
  );
}

function trainingSection(streams: readonly Stream[]): string {
  const jobs = new Map<string, Stream[]>();
  for (const s of streams) {
    if (s.metrics.size === 0) continue;
    const job = `${s.source.resourceType} ${s.source.resourceName ?? s.source.logGroup}`;
    jobs.set(job, [...(jobs.get(job) ?? []), s]);
  }
  if (jobs.size === 0) return '';
  const parts: string[] = [];
  let chart = 0;
  for (const [job, members] of jobs) {
    const names = [...new Set(members.flatMap((m) => [...m.metrics.keys()]))];
    // Loss-like metrics are the curves a person compares across hosts; the rest go in the table.
    const charted = names.filter((name) => /loss/i.test(name)).slice(0, 6);
    const domain = rangeOf(members.flatMap((m) => [...m.metrics.values()].flat().map((p) => p.t)));
    const figures: string[] = [];
    for (const name of charted) {
      // A host keeps its colour, marker and dash in every chart of the job.
      const series: LineSeries[] = members.flatMap((m, style) =>
        m.metrics.has(name)
          ? [
              {
                name: m.source.instance ?? m.label,
                points: (m.metrics.get(name) ?? []).map((p) => ({ x: p.t, y: p.v })),
                style,
              },
            ]
          : [],
      );
      const nans = series.reduce((sum, s) => sum + s.points.filter((p) => Number.isNaN(p.y)).length, 0);
      const last = series
        .map((s) => {
          const finite = s.points.filter((p) => Number.isFinite(p.y));
          const end = finite[finite.length - 1];
          return `${s.name} ${end ? `${formatValue(end.y)} at ${formatClock(end.x)}` : 'no finite value'}`;
        })
        .join('; ');
      figures.push(
        `<figure>${renderLineChart({
          id: `training-${++chart}`,
          title: `${name} per host, ${job}`,
          description: `${series.length} hosts. Last value: ${last}.${nans > 0 ? ` ${nans} NaN values, marked with a cross labelled NaN on the top edge.` : ''}`,
          xDomain: domain,
          series,
          yLabel: name,
        })}<figcaption>${esc(name)}</figcaption></figure>`,
      );
    }
    const rows = members.flatMap((m) =>
      [...m.metrics].flatMap(([name, points]) =>
        points.map((p) => [m.source.instance ?? m.label, name, iso(p.t), formatValue(p.v)]),
      ),
    );
    parts.push(
      `<h3>${esc(job)}</h3>` +
        (figures.length > 0
          ? `<div class="charts">${figures.join('')}</div>`
          : '<p>No loss metric printed.</p>') +
        `<p>Metrics printed: ${esc(names.join(', '))}.</p>` +
        table(`training metrics, ${job}`, ['host', 'metric', 'time', 'value'], rows),
    );
  }
  return `<section aria-labelledby="h-training"><h2 id="h-training">Training metrics per host</h2>${parts.join('')}</section>`;
}

const STATUS_CLASSES = [
  { name: '2xx', color: '#009E73', pattern: 'solid' },
  { name: '3xx', color: '#56B4E9', pattern: 'solid' },
  { name: '4xx', color: '#E69F00', pattern: 'hatch' },
  { name: '5xx', color: '#D55E00', pattern: 'cross' },
] as const;

function httpSection(streams: readonly Stream[]): string {
  const resources = new Map<string, Stream[]>();
  for (const s of streams) {
    if (s.http.length === 0) continue;
    const resource = `${s.source.resourceType} ${s.source.resourceName ?? s.source.logGroup}`;
    resources.set(resource, [...(resources.get(resource) ?? []), s]);
  }
  if (resources.size === 0) return '';
  const parts: string[] = [];
  let chart = 0;
  for (const [resource, members] of resources) {
    const domain = rangeOf(members.flatMap((m) => m.http.map((h) => h.t)));
    const bucketMs = chooseBucketMs(domain[1] - domain[0]);
    const figures: string[] = [];
    for (const m of members) {
      const buckets = new Map<number, Record<string, number>>();
      for (const h of m.http) {
        const x = domain[0] + Math.floor((h.t - domain[0]) / bucketMs) * bucketMs;
        const counts = buckets.get(x) ?? {};
        const cls = `${Math.floor(h.status / 100)}xx`;
        counts[cls] = (counts[cls] ?? 0) + 1;
        buckets.set(x, counts);
      }
      const byClass = STATUS_CLASSES.map(
        (c) => `${c.name} ${m.http.filter((h) => `${Math.floor(h.status / 100)}xx` === c.name).length}`,
      ).join(', ');
      const who = m.source.container ?? m.source.channel ?? m.source.instance ?? m.label;
      figures.push(
        `<figure>${renderStackedBars({
          id: `http-${++chart}`,
          title: `HTTP status per ${bucketMs / 1000}-second bucket, ${m.label}`,
          description: `${m.http.length} requests: ${byClass}.`,
          xDomain: domain,
          bucketMs,
          classes: STATUS_CLASSES,
          buckets: [...buckets].map(([x, counts]) => ({ x, counts })),
        })}<figcaption>${esc(who)}: status</figcaption></figure>`,
      );
    }
    const latency = members
      .filter((m) => m.http.some((h) => h.latencyMs !== undefined))
      .map((m) => ({
        name: m.source.container ?? m.source.instance ?? m.label,
        points: m.http.flatMap((h) => (h.latencyMs === undefined ? [] : [{ x: h.t, y: h.latencyMs }])),
      }));
    if (latency.length > 0) {
      const max = latency.map((s) => `${s.name} max ${Math.max(...s.points.map((p) => p.y))} ms`).join('; ');
      figures.push(
        `<figure>${renderLineChart({
          id: `latency-${++chart}`,
          title: `Request latency per container, ${resource}`,
          description: `${latency.length} containers log a latency: ${max}.`,
          xDomain: domain,
          series: latency,
          yLabel: 'latency (ms)',
        })}<figcaption>latency</figcaption></figure>`,
      );
    }
    const rows = members.flatMap((m) =>
      m.http.map((h) => [
        m.label,
        iso(h.t),
        String(h.status),
        h.latencyMs === undefined ? '' : String(h.latencyMs),
      ]),
    );
    parts.push(
      `<h3>${esc(resource)}</h3><div class="charts">${figures.join('')}</div>` +
        table(`requests, ${resource}`, ['container', 'time', 'status', 'latency (ms)'], rows),
    );
  }
  return `<section aria-labelledby="h-http"><h2 id="h-http">HTTP status and latency per container</h2>${parts.join('')}</section>`;
}

function incidentSection(incidents: readonly DetectedIncident[], suppressed: number): string {
  const items = incidents.map((incident, index) => {
    const where = [
      incident.resourceName ? `${incident.resourceType} ${incident.resourceName}` : incident.resourceType,
      incident.host ? `host ${incident.host}` : '',
      incident.container ? `container ${incident.container}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    // Only a console link we built ourselves: https, nothing else (never a javascript: URL).
    const link =
      incident.consoleUrl?.startsWith('https://') === true
        ? `<p><a href="${esc(incident.consoleUrl)}">Open the log stream in the CloudWatch console at that time</a></p>`
        : '';
    return (
      `<article id="incident-${index + 1}" class="incident sev-${esc(incident.severity)}">` +
      `<h3><span class="num">${index + 1}</span> ${esc(incident.title)}</h3>` +
      `<dl><dt>Severity</dt><dd><span class="badge">${esc(incident.severity)}</span></dd>` +
      `<dt>Category</dt><dd>${esc(incident.category)}</dd><dt>Where</dt><dd>${esc(where)}</dd>` +
      `<dt>Log stream</dt><dd><code>${esc(incident.logGroup)}</code> <code>${esc(incident.logStream)}</code></dd>` +
      `<dt>Seen</dt><dd>${esc(`${incident.count}× from ${iso(incident.firstSeenMs)} to ${iso(incident.lastSeenMs)}`)}</dd>` +
      `<dt>Fingerprint</dt><dd><code>${esc(incident.fingerprint)}</code></dd></dl>` +
      `<p class="headline">${esc(incident.headline)}</p>` +
      `<pre aria-label="log lines">${esc(incident.context.join('\n'))}</pre>${link}</article>`
    );
  });
  return (
    `<section aria-labelledby="h-incidents"><h2 id="h-incidents">Incidents (${incidents.length})</h2>` +
    '<p>As sagewatch would have sent them: grouped, fingerprinted, secrets scrubbed.' +
    (suppressed > 0
      ? ` ${esc(formatCount(suppressed))} more were suppressed (same fingerprint within the window).`
      : '') +
    `</p>${items.length > 0 ? items.join('') : '<p>None.</p>'}</section>`
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:0 auto;max-width:1060px;padding:16px 24px 48px;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:20px 0 8px}
.meta{color:#444}.meta li{margin:2px 0}figure{margin:8px 0}figure.wide svg{max-width:100%;height:auto}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{flex:1 1 500px;max-width:540px}.charts svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#444;text-align:center}
details{margin:6px 0 12px}summary{cursor:pointer;color:#0b4f8a}table{border-collapse:collapse;font-size:12px;margin-top:6px}
caption{text-align:left;font-weight:600;padding:4px 0}th,td{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
.incident{border:1px solid #bbb;border-left:6px solid #555;padding:4px 14px 8px;margin:14px 0;border-radius:4px}
.sev-critical{border-left-color:#a11}.sev-error{border-left-color:#D55E00}.sev-warning{border-left-color:#E69F00}
.num{display:inline-block;background:#000;color:#fff;border-radius:3px;padding:0 6px;margin-right:4px;font-size:12px}
.badge{font-weight:700;text-transform:uppercase;font-size:12px}.sev-critical .badge::before{content:"\\26A0 "}
dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;margin:6px 0}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
.headline{font-weight:600;overflow-wrap:anywhere}pre{background:#f6f6f6;border:1px solid #ddd;padding:8px;overflow-x:auto;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
a{color:#0b4f8a}
`;

/** The report as one HTML document. */
export function renderReplayReport(input: ReportInput): string {
  const streams = collectStreams(input.reports);
  // In the order they began, numbered so: a post-mortem reads what went wrong first, first.
  const incidents = input.reports
    .flatMap((r) => r.alerts.sent.map((alert) => alert.incident))
    .sort((a, b) => a.firstSeenMs - b.firstSeenMs);
  const suppressed = input.reports.reduce((sum, r) => sum + r.alerts.suppressed.length, 0);
  const times = input.reports.flatMap((r) => r.processed.classified.map((c) => c.event.timestamp));
  const domain = rangeOf(times);
  const events = streams.reduce((sum, s) => sum + s.events, 0);
  const errors = streams.reduce((sum, s) => sum + s.errors.length, 0);
  const title = 'sagewatch replay report';
  const body =
    streams.length === 0
      ? '<p>No events in that range.</p>'
      : timelineSection(streams, incidents, domain) +
        trainingSection(streams) +
        httpSection(streams) +
        incidentSection(incidents, suppressed);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    // No script, no remote anything: the report opens the same offline, from a mail attachment or a ticket.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>` +
    `<header><h1>${esc(title)}</h1><ul class="meta">` +
    (streams.length > 0 ? `<li>Time range: ${esc(iso(domain[0]))} → ${esc(iso(domain[1]))} (UTC)</li>` : '') +
    `<li>Read: ${input.sources.map((s) => esc(s)).join('; ')}</li>` +
    `<li>${esc(`${formatCount(events)} events in ${formatCount(streams.length)} log streams, ${formatCount(errors)} errors, ${formatCount(incidents.length)} incidents`)}</li>` +
    '</ul></header><main>' +
    body +
    '</main></body></html>\n'
  );
}
