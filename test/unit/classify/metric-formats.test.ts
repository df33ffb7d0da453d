import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../lib/classify/index.ts';
import { extractMoreMetrics } from '../../../lib/classify/metric-formats.ts';

describe('extractMoreMetrics', () => {
  it('reads built-in algorithm scores and Debugger raw metrics', () => {
    expect(extractMoreMetrics(['#validation_score (algo-2, mse): 0.25'])).toEqual({ mse: 0.25 });
    expect(extractMoreMetrics(['#test_score (algo-1, rmse): nan'])?.rmse).toBeNaN();
    expect(extractMoreMetrics(['#test_score (algo-1, gain): inf'])).toEqual({
      gain: Number.POSITIVE_INFINITY,
    });
    expect(
      extractMoreMetrics([
        "_RawMetricData(MetricName='loss_GLOBAL',Value=0.5,Timestamp=1.0,IterationNumber=2)",
      ]),
    ).toEqual({ loss_GLOBAL: 0.5 });
    expect(extractMoreMetrics(['nothing here'])).toBeUndefined();
  });

  it('is used by classifyMessage when the main parsers find nothing', () => {
    expect(
      classifyMessage('[01/02/2024 10:00:00 INFO 1403] #test_score (algo-1, mape): 0.125').metrics,
    ).toEqual({
      mape: 0.125,
    });
  });
});
