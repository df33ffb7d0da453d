/**
 * Reads EMF documents the way CloudWatch does: every directive's metrics under every one of its
 * dimension sets, with the values of the document's members. Two sets of documents read the same
 * in CloudWatch when they expand to the same data points.
 */
import type { EmfDocument } from '../../lib/metrics/emf.ts';

/** One metric series in one minute: namespace, metric, unit, dimension set (names and values), timestamp. */
export type DataPointKey = string;

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
          const value = document[Name] as number | number[];
          const list = points.get(key) ?? [];
          list.push(...(Array.isArray(value) ? value : [value]));
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
