// The processor's own metrics (Powertools, dimension `service`) are written only when non-zero: a
// document of zeros per delivery would cost more log bytes than the metrics are worth.

/** What the processor's own counts read from a delivery's report. */
interface CountedReport {
  duplicate: boolean;
  processed: { stats: { outOfWindow: number } };
}

/** The processor's own counters for one delivery, by metric name; only the non-zero ones. */
export function toProcessorCounts(
  report: CountedReport & { routeFailures: number },
): Array<[name: string, count: number]> {
  return toBatchCounts({ reports: [report], routeFailures: report.routeFailures, undecodable: 0 });
}

/**
 * The processor's own counters for one invocation of any number of deliveries (a Kinesis batch),
 * by metric name; only the non-zero ones. `UndecodableRecords`: records of the delivery stream
 * skipped because they can never be decoded (lib/processor/kinesis-batch.ts).
 */
export function toBatchCounts(batch: {
  reports: readonly CountedReport[];
  routeFailures: number;
  undecodable: number;
}): Array<[name: string, count: number]> {
  let outOfWindow = 0;
  let duplicates = 0;
  for (const report of batch.reports) {
    outOfWindow += report.processed.stats.outOfWindow;
    if (report.duplicate) duplicates++;
  }
  const counts: Array<[string, number]> = [
    ['RouteDeliveryFailures', batch.routeFailures],
    ['EventsOutOfWindow', outOfWindow],
    ['DuplicateDeliveries', duplicates],
    ['UndecodableRecords', batch.undecodable],
  ];
  return counts.filter(([, count]) => count > 0);
}
