/**
 * Reads EMF documents the way CloudWatch does: every directive's metrics under every one of its
 * dimension sets, with the values of the document's members. Two sets of documents read the same
 * in CloudWatch when they expand to the same data points.
 */
import type { EmfDocument, EmfValue } from '../../lib/metrics/emf.ts';

/** One metric series in one minute: namespace, metric, unit, dimension set (names and values), timestamp. */
export type DataPointKey = string;

/**
 * The values one metric member stands for. A histogram (`Values`/`Counts` with its statistic set)
 * stands for each value repeated as often as its count; one whose statistic set disagrees with its
 * values is refused, since CloudWatch would read the two differently.
 */
export function valuesOf(value: EmfValue): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value;
  const { Values, Counts, Max, Min, Count, Sum } = value;
  if (Values.length !== Counts.length || Values.length === 0) {
    throw new Error(`histogram with ${Values.length} values and ${Counts.length} counts`);
  }
  const out: number[] = [];
  Values.forEach((v, i) => {
    const times = Counts[i] as number;
    if (!Number.isInteger(times) || times < 1) throw new Error(`histogram count ${times}`);
    for (let n = 0; n < times; n++) out.push(v);
  });
  const sum = out.reduce((a, b) => a + b, 0);
  if (
    Count !== out.length ||
    Max !== Math.max(...Values) ||
    Min !== Math.min(...Values) ||
    Math.abs(Sum - sum) > 1e-9 * Math.max(1, Math.abs(sum))
  ) {
    throw new Error(
      `histogram statistics ${JSON.stringify({ Max, Min, Count, Sum })} disagree with its values`,
    );
  }
  return out;
}

/**
 * Expands documents into series → every value written for it, sorted (CloudWatch keeps no order
 * between the values of one minute; Sum, SampleCount, Minimum, Maximum and percentiles follow from
 * the multiset).
 */
export function expandEmf(documents: readonly string[]): Map<DataPointKey, number[]> {
  const points = new Map<DataPointKey, number[]>();
  for (const json of documents) {
    const document = JSON.parse(json) as EmfDocument;
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions) {
        const dimensions = set.map((name) => [name, document[name]]);
        for (const { Name, Unit = 'None' } of directive.Metrics) {
          // An absent Unit is EMF's default, None.
          const key = JSON.stringify([directive.Namespace, Name, Unit, dimensions, document._aws.Timestamp]);
          const list = points.get(key) ?? [];
          list.push(...valuesOf(document[Name] as EmfValue));
          points.set(key, list);
        }
      }
    }
  }
  for (const values of points.values()) values.sort((a, b) => a - b);
  return points;
}

/** The expansion as a sorted plain object, for `toEqual` with readable differences. */
export function expandEmfSorted(documents: readonly string[]): Record<DataPointKey, number[]> {
  return Object.fromEntries([...expandEmf(documents)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
