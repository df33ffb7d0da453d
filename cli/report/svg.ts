/**
 * The report's charts as SVG text: line charts, a timeline of marks per lane, and stacked bars.
 * Written here rather than inlining a chart library because the report must be one file that
 * works without network or script: a library would add hundreds of KiB of JavaScript to every
 * report and draw only once a script runs; these few shapes are generated once, the same output
 * for the same input (testable as text), and each chart carries its own text alternative
 * (<title>, <desc>, labelled series) and tells series apart by marker shape, dash pattern and
 * hatching as well as by colour.
 *
 * Every string that reaches the output goes through {@link escapeXml}: the labels come from log
 * streams, which are hostile input.
 */

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Okabe–Ito: told apart by people with any common colour-vision deficiency. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

/** Marker shapes, cycled with the palette: a series is never told apart by colour alone. */
export const MARKERS = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'cross',
  'triangle-down',
  'star',
  'bar',
] as const;
export type MarkerShape = (typeof MARKERS)[number];

/** Dash patterns of lines, cycled: solid, dashed, dotted, dash-dot. */
const DASHES = ['', '7 3', '2 3', '9 3 2 3'];

const fmt = (value: number): string => (Math.round(value * 10) / 10).toString();

/** One marker as an SVG element centred on (x, y). */
export function marker(shape: MarkerShape, x: number, y: number, size: number, color: string): string {
  const r = size / 2;
  const fill = `fill="${color}" stroke="#fff" stroke-width="0.8"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}" ${fill}/>`;
    case 'square':
      return `<rect x="${fmt(x - r)}" y="${fmt(y - r)}" width="${fmt(size)}" height="${fmt(size)}" ${fill}/>`;
    case 'triangle':
      return `<path d="M${fmt(x)} ${fmt(y - r * 1.15)}L${fmt(x + r * 1.15)} ${fmt(y + r)}L${fmt(x - r * 1.15)} ${fmt(y + r)}Z" ${fill}/>`;
    case 'triangle-down':
      return `<path d="M${fmt(x)} ${fmt(y + r * 1.15)}L${fmt(x + r * 1.15)} ${fmt(y - r)}L${fmt(x - r * 1.15)} ${fmt(y - r)}Z" ${fill}/>`;
    case 'diamond':
      return `<path d="M${fmt(x)} ${fmt(y - r * 1.3)}L${fmt(x + r * 1.3)} ${fmt(y)}L${fmt(x)} ${fmt(y + r * 1.3)}L${fmt(x - r * 1.3)} ${fmt(y)}Z" ${fill}/>`;
    case 'cross':
      return `<path d="M${fmt(x - r)} ${fmt(y - r)}L${fmt(x + r)} ${fmt(y + r)}M${fmt(x + r)} ${fmt(y - r)}L${fmt(x - r)} ${fmt(y + r)}" stroke="${color}" stroke-width="2.4" fill="none"/>`;
    case 'bar':
      return `<rect x="${fmt(x - r / 3)}" y="${fmt(y - r * 1.2)}" width="${fmt((r * 2) / 3)}" height="${fmt(r * 2.4)}" ${fill}/>`;
    case 'star': {
      const points: string[] = [];
      for (let i = 0; i < 10; i++) {
        const radius = i % 2 === 0 ? r * 1.35 : r * 0.6;
        const angle = (Math.PI / 5) * i - Math.PI / 2;
        points.push(`${fmt(x + radius * Math.cos(angle))},${fmt(y + radius * Math.sin(angle))}`);
      }
      return `<polygon points="${points.join(' ')}" ${fill}/>`;
    }
  }
}

/** The visual identity of the n-th series or category: colour, marker, dash. */
export function styleOf(index: number): { color: string; marker: MarkerShape; dash: string } {
  return {
    color: PALETTE[index % PALETTE.length] as string,
    marker: MARKERS[index % MARKERS.length] as MarkerShape,
    dash: DASHES[index % DASHES.length] as string,
  };
}

/** Evenly spaced, rounded tick values over [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

/** `09:20:15` (UTC) for a time in ms. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function svgOpen(id: string, kind: string, frame: Frame, title: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(id)}" data-chart="${kind}" role="img" ` +
    `viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" ` +
    `aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" font-family="system-ui, sans-serif" font-size="11">` +
    `<title id="${escapeXml(id)}-title">${escapeXml(title)}</title>` +
    `<desc id="${escapeXml(id)}-desc">${escapeXml(description)}</desc>`
  );
}

function timeAxis(frame: Frame, domain: readonly [number, number], scaleX: (x: number) => number): string {
  const [start, end] = domain;
  const out: string[] = [];
  const y = frame.height - frame.bottom;
  out.push(
    `<line x1="${frame.left}" y1="${y}" x2="${frame.width - frame.right}" y2="${y}" stroke="#555" aria-hidden="true"/>`,
  );
  const seconds = niceTicks(start / 1000, end / 1000, 6);
  for (const second of seconds) {
    const x = scaleX(second * 1000);
    if (x < frame.left - 0.5 || x > frame.width - frame.right + 0.5) continue;
    out.push(
      `<line x1="${fmt(x)}" y1="${y}" x2="${fmt(x)}" y2="${y + 4}" stroke="#555"/>` +
        `<text x="${fmt(x)}" y="${y + 15}" text-anchor="middle" fill="#333">${formatClock(second * 1000)}</text>`,
    );
  }
  return `<g class="axis-x" aria-hidden="true">${out.join('')}</g>`;
}

/** A linear scale from a domain onto a pixel range; a degenerate domain maps to the range's middle. */
function linear(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/** One line of a line chart: `y` may be NaN (marked at the top, the line broken there). */
export interface LineSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  /** Which colour, marker and dash ({@link styleOf}); default its place in the list. Keeps a host's look across charts. */
  style?: number;
}

/** A line chart over time. */
export interface LineChartInput {
  id: string;
  title: string;
  description: string;
  /** Time range in ms. */
  xDomain: readonly [number, number];
  series: readonly LineSeries[];
  yLabel: string;
  width?: number;
}

/** Line chart: one line per series with markers, NaN values as labelled crosses on the top edge. */
export function renderLineChart(input: LineChartInput): string {
  const legendRows = Math.ceil(input.series.length / 3);
  const frame: Frame = {
    width: input.width ?? 560,
    height: 230 + legendRows * 18,
    left: 54,
    right: 14,
    top: 22,
    bottom: 36 + legendRows * 18,
  };
  const finite = input.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  let [low, high] = finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  if (low === high) [low, high] = [low - 1, high + 1];
  const pad = (high - low) * 0.08;
  const ticks = niceTicks(low - pad, high + pad, 5);
  const yDomain: [number, number] = [
    Math.min(ticks[0] as number, low - pad),
    Math.max(ticks[ticks.length - 1] as number, high + pad),
  ];
  const scaleX = linear(input.xDomain, [frame.left + 6, frame.width - frame.right - 6]);
  const scaleY = linear(yDomain, [frame.height - frame.bottom, frame.top]);
  const out = [svgOpen(input.id, 'line', frame, input.title, input.description)];
  const grid: string[] = [];
  for (const tick of ticks) {
    const y = scaleY(tick);
    grid.push(
      `<line x1="${frame.left}" y1="${fmt(y)}" x2="${frame.width - frame.right}" y2="${fmt(y)}" stroke="#e3e3e3"/>` +
        `<text x="${frame.left - 6}" y="${fmt(y + 4)}" text-anchor="end" fill="#333">${escapeXml(String(tick))}</text>`,
    );
  }
  out.push(`<g class="axis-y" aria-hidden="true">${grid.join('')}</g>`);
  out.push(
    `<text x="${frame.left}" y="${frame.top - 8}" fill="#333" aria-hidden="true">${escapeXml(input.yLabel)}</text>`,
  );
  out.push(timeAxis(frame, input.xDomain, scaleX));
  input.series.forEach((series, index) => {
    const style = styleOf(series.style ?? index);
    const segments: string[] = [];
    let open = false;
    const marks: string[] = [];
    let nans = 0;
    for (const point of series.points) {
      const x = scaleX(point.x);
      if (!Number.isFinite(point.y)) {
        nans++;
        open = false;
        marks.push(
          `<g class="nan" data-nan="true">${marker('cross', x, frame.top + 4, 9, style.color)}` +
            `<text x="${fmt(x + 6)}" y="${frame.top + 8}" fill="${style.color}" font-weight="bold">NaN</text></g>`,
        );
        continue;
      }
      const y = scaleY(point.y);
      segments.push(`${open ? 'L' : 'M'}${fmt(x)} ${fmt(y)}`);
      open = true;
      marks.push(marker(style.marker, x, y, 7, style.color));
    }
    out.push(
      `<g class="series" data-series="${escapeXml(series.name)}" data-points="${series.points.length}" data-nan="${nans}" ` +
        `aria-label="${escapeXml(`${series.name}: ${series.points.length} values${nans > 0 ? `, ${nans} NaN` : ''}`)}">` +
        `<path d="${segments.join('')}" fill="none" stroke="${style.color}" stroke-width="1.8"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
        `${marks.join('')}</g>`,
    );
  });
  out.push(
    legend(
      frame,
      input.series.map((s, index) => ({ name: s.name, style: s.style ?? index })),
      'line',
    ),
  );
  out.push('</svg>');
  return out.join('');
}

function legend(
  frame: Frame,
  entries: readonly { name: string; style: number }[],
  kind: 'line' | 'marker',
): string {
  const out: string[] = [];
  const columnWidth = (frame.width - frame.left) / 3;
  entries.forEach(({ name, style: styleIndex }, index) => {
    const style = styleOf(styleIndex);
    const x = frame.left + (index % 3) * columnWidth;
    const y = frame.height - frame.bottom + 34 + Math.floor(index / 3) * 18;
    const line =
      kind === 'line'
        ? `<line x1="${fmt(x)}" y1="${y}" x2="${fmt(x + 22)}" y2="${y}" stroke="${style.color}" stroke-width="1.8"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`
        : '';
    const shown = name.length > 34 ? `${name.slice(0, 33)}…` : name;
    out.push(
      `${line}${marker(style.marker, x + 11, y, 8, style.color)}<text x="${fmt(x + 28)}" y="${y + 4}" fill="#222">${escapeXml(shown)}</text>`,
    );
  });
  return `<g class="legend" aria-hidden="true">${out.join('')}</g>`;
}

/** One row of a timeline. */
export interface TimelineLane {
  label: string;
  /** Marks at times, each of one category (its shape and colour follow `categories`). */
  marks: readonly { x: number; category: string }[];
  /** Flags above the marks: incidents, numbered, linking to their description. */
  flags: readonly { x: number; label: string; href: string; title: string }[];
}

/** A timeline: lanes of categorised marks over time. */
export interface TimelineInput {
  id: string;
  title: string;
  description: string;
  xDomain: readonly [number, number];
  lanes: readonly TimelineLane[];
  /** Categories in legend order. */
  categories: readonly string[];
  width?: number;
}

const LANE_HEIGHT = 30;
const LANE_LABEL_WIDTH = 300;

/** Timeline: one lane per row, a shaped mark per event, numbered flags for incidents. */
export function renderTimeline(input: TimelineInput): string {
  const legendRows = Math.ceil((input.categories.length + 1) / 3);
  const frame: Frame = {
    width: input.width ?? 1000,
    height: 24 + input.lanes.length * LANE_HEIGHT + 36 + legendRows * 18,
    left: LANE_LABEL_WIDTH,
    right: 16,
    top: 18,
    bottom: 36 + legendRows * 18,
  };
  const scaleX = linear(input.xDomain, [frame.left + 8, frame.width - frame.right - 8]);
  const out = [svgOpen(input.id, 'timeline', frame, input.title, input.description)];
  input.lanes.forEach((lane, index) => {
    const y = frame.top + index * LANE_HEIGHT + LANE_HEIGHT / 2;
    const label = lane.label.length > 48 ? `…${lane.label.slice(-47)}` : lane.label;
    const counts = new Map<string, number>();
    for (const mark of lane.marks) counts.set(mark.category, (counts.get(mark.category) ?? 0) + 1);
    const summary =
      lane.marks.length === 0
        ? 'no errors'
        : `${lane.marks.length} errors: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`;
    const parts = [
      `<rect x="${frame.left}" y="${y - LANE_HEIGHT / 2 + 1}" width="${frame.width - frame.left - frame.right}" height="${LANE_HEIGHT - 2}" fill="${index % 2 === 0 ? '#f6f6f6' : '#fff'}"/>`,
      `<text x="${frame.left - 8}" y="${y + 4}" text-anchor="end" fill="#222"><title>${escapeXml(lane.label)}</title>${escapeXml(label)}</text>`,
    ];
    for (const mark of lane.marks) {
      const style = styleOf(Math.max(0, input.categories.indexOf(mark.category)));
      parts.push(marker(style.marker, scaleX(mark.x), y + 3, 9, style.color));
    }
    for (const flag of lane.flags) {
      const x = scaleX(flag.x);
      parts.push(
        `<a href="${escapeXml(flag.href)}" class="flag" aria-label="${escapeXml(flag.title)}"><title>${escapeXml(flag.title)}</title>` +
          `<line x1="${fmt(x)}" y1="${y - 12}" x2="${fmt(x)}" y2="${y + 12}" stroke="#000" stroke-width="1.2"/>` +
          `<rect x="${fmt(x)}" y="${y - 13}" width="${8 + flag.label.length * 6}" height="11" fill="#000"/>` +
          `<text x="${fmt(x + 3)}" y="${y - 4.5}" fill="#fff" font-size="9" font-weight="bold">${escapeXml(flag.label)}</text></a>`,
      );
    }
    out.push(
      `<g class="lane" data-lane="${escapeXml(lane.label)}" data-errors="${lane.marks.length}" data-incidents="${lane.flags.length}" ` +
        `aria-label="${escapeXml(`${lane.label}: ${summary}; ${lane.flags.length} incidents`)}">${parts.join('')}</g>`,
    );
  });
  out.push(timeAxis(frame, input.xDomain, scaleX));
  const legendItems: string[] = [];
  const columnWidth = (frame.width - frame.left) / 3;
  input.categories.forEach((category, index) => {
    const style = styleOf(index);
    const x = frame.left + (index % 3) * columnWidth;
    const y = frame.height - frame.bottom + 34 + Math.floor(index / 3) * 18;
    legendItems.push(
      `${marker(style.marker, x + 6, y, 9, style.color)}<text x="${fmt(x + 16)}" y="${y + 4}" fill="#222">${escapeXml(category)}</text>`,
    );
  });
  const flagIndex = input.categories.length;
  const fx = frame.left + (flagIndex % 3) * columnWidth;
  const fy = frame.height - frame.bottom + 34 + Math.floor(flagIndex / 3) * 18;
  legendItems.push(
    `<rect x="${fmt(fx)}" y="${fy - 7}" width="14" height="11" fill="#000"/><text x="${fmt(fx + 3)}" y="${fy + 2}" fill="#fff" font-size="9" font-weight="bold">1</text>` +
      `<text x="${fmt(fx + 20)}" y="${fy + 4}" fill="#222">incident (numbered as listed below)</text>`,
  );
  out.push(`<g class="legend" aria-hidden="true">${legendItems.join('')}</g>`);
  out.push('</svg>');
  return out.join('');
}

/** Stacked bars: per time bucket, counts per class (HTTP status classes), told apart by hatching. */
export interface StackedBarsInput {
  id: string;
  title: string;
  description: string;
  xDomain: readonly [number, number];
  bucketMs: number;
  /** Class names, bottom first, with their fill: solid, hatched or cross-hatched. */
  classes: readonly { name: string; color: string; pattern: 'solid' | 'hatch' | 'cross' }[];
  /** Per bucket start: counts per class name. */
  buckets: readonly { x: number; counts: Readonly<Record<string, number>> }[];
  width?: number;
}

/** Stacked bars over time with a hatched fill per class and a legend. */
export function renderStackedBars(input: StackedBarsInput): string {
  const frame: Frame = { width: input.width ?? 560, height: 230, left: 54, right: 14, top: 22, bottom: 54 };
  const totals = input.buckets.map((b) => Object.values(b.counts).reduce((sum, n) => sum + n, 0));
  // Requests are whole numbers: no tick at 0.25.
  const ticks = niceTicks(0, Math.max(1, ...totals), 4).filter(Number.isInteger);
  const yMax = Math.max(ticks[ticks.length - 1] as number, 1);
  const scaleX = linear(
    [input.xDomain[0], input.xDomain[1] + input.bucketMs],
    [frame.left + 2, frame.width - frame.right - 2],
  );
  const scaleY = linear([0, yMax], [frame.height - frame.bottom, frame.top]);
  const out = [svgOpen(input.id, 'bars', frame, input.title, input.description)];
  const defs = input.classes
    .filter((c) => c.pattern !== 'solid')
    .map((c) => {
      const lines =
        c.pattern === 'hatch'
          ? `<path d="M0 6L6 0" stroke="${c.color}" stroke-width="2"/>`
          : `<path d="M0 6L6 0M0 0L6 6" stroke="${c.color}" stroke-width="1.6"/>`;
      return `<pattern id="${escapeXml(`${input.id}-${c.name}`)}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/>${lines}</pattern>`;
    });
  out.push(`<defs>${defs.join('')}</defs>`);
  const fillOf = (c: StackedBarsInput['classes'][number]) =>
    c.pattern === 'solid' ? c.color : `url(#${escapeXml(`${input.id}-${c.name}`)})`;
  const grid = ticks.map((tick) => {
    const y = scaleY(tick);
    return (
      `<line x1="${frame.left}" y1="${fmt(y)}" x2="${frame.width - frame.right}" y2="${fmt(y)}" stroke="#e3e3e3"/>` +
      `<text x="${frame.left - 6}" y="${fmt(y + 4)}" text-anchor="end" fill="#333">${tick}</text>`
    );
  });
  out.push(`<g class="axis-y" aria-hidden="true">${grid.join('')}</g>`);
  out.push(`<text x="${frame.left}" y="${frame.top - 8}" fill="#333" aria-hidden="true">requests</text>`);
  const barWidth = Math.max(2, scaleX(input.xDomain[0] + input.bucketMs) - scaleX(input.xDomain[0]) - 2);
  for (const cls of input.classes) {
    const rects: string[] = [];
    let count = 0;
    for (const bucket of input.buckets) {
      const below = input.classes
        .slice(0, input.classes.indexOf(cls))
        .reduce((sum, c) => sum + (bucket.counts[c.name] ?? 0), 0);
      const n = bucket.counts[cls.name] ?? 0;
      if (n === 0) continue;
      count += n;
      const y0 = scaleY(below);
      const y1 = scaleY(below + n);
      rects.push(
        `<rect x="${fmt(scaleX(bucket.x) + 1)}" y="${fmt(y1)}" width="${fmt(barWidth)}" height="${fmt(y0 - y1)}" fill="${fillOf(cls)}" stroke="${cls.color}" stroke-width="1"><title>${escapeXml(`${formatClock(bucket.x)}: ${n} × ${cls.name}`)}</title></rect>`,
      );
    }
    out.push(
      `<g class="series" data-series="${escapeXml(cls.name)}" data-points="${count}" aria-label="${escapeXml(`${cls.name}: ${count} requests`)}">${rects.join('')}</g>`,
    );
  }
  out.push(timeAxis(frame, input.xDomain, scaleX));
  const legendItems = input.classes.map((cls, index) => {
    const x = frame.left + index * 90;
    const y = frame.height - 14;
    return `<rect x="${x}" y="${y - 9}" width="14" height="11" fill="${fillOf(cls)}" stroke="${cls.color}"/><text x="${x + 19}" y="${y}" fill="#222">${escapeXml(cls.name)}</text>`;
  });
  out.push(`<g class="legend" aria-hidden="true">${legendItems.join('')}</g>`);
  out.push('</svg>');
  return out.join('');
}
