/**
 * Training metric formats beside those of training-metrics.ts: the built-in algorithms' final
 * scores (`#test_score (algo-1, RMSE): 57678.5`) and SageMaker Debugger's raw metric records
 * (`_RawMetricData(MetricName='loss_GLOBAL',Value=0.017,...)`). Used only when the main parsers
 * found nothing on the line.
 */
import { createLogKeyedRecord } from '../text/log-keyed-record.ts';
import type { MetricValues } from './training-metrics.ts';

/** `#test_score (algo-1, mean_wQuantileLoss): 0.165` and the same for `#validation_score`. */
const BUILT_IN_SCORE =
  /#(?:test|validation|train)_score \([\w-]{1,60}, ([^)\s]{1,100})\): (-?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|nan|inf))\s*$/;
/** SageMaker Debugger: `_RawMetricData(MetricName='name',Value=0.017,...)`. */
const DEBUGGER_RAW_METRIC =
  /_RawMetricData\(MetricName='([^'\n]{1,100})',\s?Value=(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|nan)\b/;

function toNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Metrics in the formats above, from a message's line bodies.
 *
 * @example
 * extractMoreMetrics(['#test_score (algo-1, RMSE): 57678.5']) // { RMSE: 57678.5 }
 */
export function extractMoreMetrics(lines: readonly string[]): MetricValues | undefined {
  let found: MetricValues | undefined;
  for (const line of lines) {
    const match = BUILT_IN_SCORE.exec(line) ?? DEBUGGER_RAW_METRIC.exec(line);
    if (match === null) continue;
    found ??= createLogKeyedRecord();
    found[match[1] as string] = toNumber(match[2] as string);
  }
  return found;
}
