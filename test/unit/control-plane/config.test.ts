import { describe, expect, it } from 'vitest';
import { readMetricsNamespace } from '../../../lib/control-plane/config.ts';

describe('readMetricsNamespace', () => {
  it('refuses namespaces that are too long or start with a colon', () => {
    expect(() => readMetricsNamespace({ METRICS_NAMESPACE: 'x'.repeat(256) })).toThrow(/METRICS_NAMESPACE/);
    expect(() => readMetricsNamespace({ METRICS_NAMESPACE: ':x' })).toThrow(/METRICS_NAMESPACE/);
    expect(readMetricsNamespace({ METRICS_NAMESPACE: 'x'.repeat(255) })).toHaveLength(255);
  });
});
