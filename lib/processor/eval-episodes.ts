/**
 * Episode evaluation: each labelled episode (the consecutive lines one failure, or one
 * alarming-looking but benign block, writes to one stream) goes through the real pipeline as one
 * delivery, and the incidents it gives are compared with those a person expects. Pure apart from
 * the pipeline it drives (in-memory store, collecting publisher); `scripts/eval-episodes.ts` runs it.
 *
 * @module
 */

import type { DetectedIncident } from '../incidents/index.ts';
import type { Category } from '../types.ts';
import { Categories } from '../types.ts';
import { createDeliveryProcessor, type DeliveryProcessorConfig } from './delivery-processor.ts';
import { createMemorySuppressionStore } from './suppression.ts';

/** One expected incident: its category and a substring of the line that should head it. */
export interface ExpectedIncident {
  category: Category;
  headline: string;
}

/** One labelled episode of the corpus (`test/fixtures/corpus/episodes.*.jsonl`). */
export interface Episode {
  id: string;
  kind: 'failure' | 'benign';
  logGroup: string;
  logStream: string;
  lines: string[];
  expected: ExpectedIncident[];
}

/** What the pipeline made of one episode. */
export interface EpisodeResult {
  episode: Episode;
  incidents: readonly Pick<DetectedIncident, 'category' | 'headline' | 'count'>[];
  /** Failures: exactly the expected incidents (as many, with the same categories). */
  exact: boolean;
  /** Failures: every expected category has an incident of its own. */
  category: boolean;
  /** Failures: every expected headline is inside an incident's headline. */
  headline: boolean;
  /** Benign blocks: no incident at all. */
  quiet: boolean;
}

/** Aggregate figures of one set of episodes. */
export interface EpisodeReport {
  failures: number;
  benign: number;
  exact: number;
  category: number;
  headline: number;
  quiet: number;
  results: EpisodeResult[];
}

/** The start of every episode's delivery; events are one second apart, ids sequential. */
export const EPISODE_START_MS = Date.UTC(2026, 0, 5, 12, 0, 0);

const EVAL_CONFIG: DeliveryProcessorConfig = {
  namespace: 'SageMaker/Logs',
  detail: 'host',
  suppressionWindowMs: 15 * 60_000,
  region: 'us-east-1',
  metricDefinitions: [],
};

const CATEGORY_SET: ReadonlySet<string> = new Set(Categories);

/** Reads episodes from JSON Lines; a malformed row is reported, never thrown. */
export function parseEpisodes(text: string): {
  episodes: Episode[];
  problems: { lineNumber: number; problem: string }[];
} {
  const episodes: Episode[] = [];
  const problems: { lineNumber: number; problem: string }[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    const problem = (why: string) => problems.push({ lineNumber: i + 1, problem: why });
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      problem('not JSON');
      continue;
    }
    const { id, kind, log_group, log_stream, lines, expected } = row;
    if (typeof id !== 'string' || (kind !== 'failure' && kind !== 'benign')) {
      problem('id or kind');
      continue;
    }
    if (typeof log_group !== 'string' || typeof log_stream !== 'string') {
      problem('log group or stream');
      continue;
    }
    if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) {
      problem('lines');
      continue;
    }
    if (
      !Array.isArray(expected) ||
      !expected.every(
        (e: { category?: unknown; headline?: unknown }) =>
          typeof e?.category === 'string' && CATEGORY_SET.has(e.category) && typeof e.headline === 'string',
      )
    ) {
      problem('expected');
      continue;
    }
    episodes.push({
      id,
      kind,
      logGroup: log_group,
      logStream: log_stream,
      lines: lines as string[],
      expected: expected as ExpectedIncident[],
    });
  }
  return { episodes, problems };
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Whether each expected item can be paired with a different incident that `fits` it. */
function pairs<E, I>(
  expected: readonly E[],
  incidents: readonly I[],
  fits: (e: E, i: I) => boolean,
): boolean {
  const used = new Set<number>();
  // Greedy in order is enough for the handful of incidents an episode has, but try the scarcer
  // expectations first: those with fewer fitting incidents.
  const order = [...expected].sort(
    (a, b) => incidents.filter((i) => fits(a, i)).length - incidents.filter((i) => fits(b, i)).length,
  );
  for (const e of order) {
    const index = incidents.findIndex((incident, i) => !used.has(i) && fits(e, incident));
    if (index < 0) return false;
    used.add(index);
  }
  return true;
}

/** Runs one episode through the real pipeline and judges what came out. */
export async function runEpisode(episode: Episode): Promise<EpisodeResult> {
  const collected: DetectedIncident[] = [];
  const process = createDeliveryProcessor(EVAL_CONFIG, {
    store: createMemorySuppressionStore(),
    publish: async (alerts) => {
      for (const { incident } of alerts) collected.push(incident);
      return [];
    },
    writeEmf: () => {},
  });
  const delivery = {
    messageType: 'DATA_MESSAGE' as const,
    owner: '123456789012',
    logGroup: episode.logGroup,
    logStream: episode.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: episode.lines.map((message, i) => ({
      id: String(i + 1).padStart(56, '0'),
      timestamp: EPISODE_START_MS + i * 1000,
      message,
    })),
  };
  const nowMs = EPISODE_START_MS + episode.lines.length * 1000 + 1000;
  const report = await process(delivery, nowMs);
  collected.push(...report.alerts.suppressed);
  const incidents = collected.map(({ category, headline, count }) => ({ category, headline, count }));
  const { expected } = episode;
  const categoriesOf = (items: readonly { category: string }[]) =>
    items
      .map(({ category }) => category)
      .sort()
      .join(',');
  return {
    episode,
    incidents,
    exact: incidents.length === expected.length && categoriesOf(incidents) === categoriesOf(expected),
    category: pairs(expected, incidents, (e, i) => e.category === i.category),
    headline: pairs(expected, incidents, (e, i) => collapse(i.headline).includes(collapse(e.headline))),
    quiet: incidents.length === 0,
  };
}

/** Runs every episode and counts the measures. */
export async function evaluateEpisodes(episodes: readonly Episode[]): Promise<EpisodeReport> {
  const report: EpisodeReport = {
    failures: 0,
    benign: 0,
    exact: 0,
    category: 0,
    headline: 0,
    quiet: 0,
    results: [],
  };
  for (const episode of episodes) {
    const result = await runEpisode(episode);
    report.results.push(result);
    if (episode.kind === 'benign') {
      report.benign++;
      if (result.quiet) report.quiet++;
      continue;
    }
    report.failures++;
    if (result.exact) report.exact++;
    if (result.category) report.category++;
    if (result.headline) report.headline++;
  }
  return report;
}

const percent = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;

/** The aggregate figures of a report, as numbers (for `--json` and the quality gate). */
export function toEpisodeFigures(report: EpisodeReport) {
  return {
    failures: report.failures,
    benign: report.benign,
    exact: report.exact,
    category: report.category,
    headline: report.headline,
    benignQuiet: report.quiet,
  };
}

/**
 * The report as text: aggregate figures, and with `showMisses` every episode that missed a
 * measure with what it gave (only for episodes one may read: never for a hold-out).
 */
export function formatEpisodeReport(title: string, report: EpisodeReport, showMisses: boolean): string {
  const out = [
    title,
    `  failure episodes: ${report.failures}, benign blocks: ${report.benign}`,
    `  exactly the expected incidents: ${report.exact}/${report.failures} (${percent(report.exact, report.failures)})`,
    `  right category:                 ${report.category}/${report.failures} (${percent(report.category, report.failures)})`,
    `  right headline:                 ${report.headline}/${report.failures} (${percent(report.headline, report.failures)})`,
    `  benign blocks with no incident: ${report.quiet}/${report.benign} (${percent(report.quiet, report.benign)})`,
  ];
  if (!showMisses) return out.join('\n');
  for (const result of report.results) {
    const { episode } = result;
    const missed =
      episode.kind === 'benign'
        ? result.quiet
          ? []
          : ['quiet']
        : (['exact', 'category', 'headline'] as const).filter((measure) => !result[measure]);
    if (missed.length === 0) continue;
    out.push('', `  ✗ ${episode.id} (${missed.join(', ')})`);
    for (const e of episode.expected) out.push(`      expected ${e.category}: ${e.headline}`);
    for (const i of result.incidents) {
      out.push(
        `      got      ${i.category}${i.count > 1 ? ` ×${i.count}` : ''}: ${i.headline.slice(0, 160)}`,
      );
    }
  }
  return out.join('\n');
}
