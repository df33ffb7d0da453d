// The processor's own metrics (Powertools, dimension `service`) are written only when non-zero: a
// document of zeros per delivery would cost more log bytes than the metrics are worth.

/** The processor's own counters for one delivery, by metric name; only the non-zero ones. */
export function toProcessorCounts(report: {
  duplicate: boolean;
  processed: { stats: { outOfWindow: number } };
  routeFailures: number;
}): Array<[name: string, count: number]> {
  const counts: Array<[string, number]> = [
    ['RouteDeliveryFailures', report.routeFailures],
    ['EventsOutOfWindow', report.processed.stats.outOfWindow],
    ['DuplicateDeliveries', report.duplicate ? 1 : 0],
  ];
  return counts.filter(([, count]) => count > 0);
}
