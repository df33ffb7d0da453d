import { describe, expect, it } from 'vitest';
import {
  applyMetricDefinitions,
  compileMetricDefinitions,
  MAX_METRIC_DEFINITIONS,
  parseMetricDefinitions,
} from '../../../lib/classify/metric-definitions.ts';
import { ConfigError } from '../../../lib/errors.ts';

function problemOf(json: string, variable?: string): ConfigError {
  try {
    parseMetricDefinitions(json, variable);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseMetricDefinitions', () => {
  it("accepts SageMaker's PascalCase and camelCase entries", () => {
    expect(
      parseMetricDefinitions(
        '[{"Name":"val:f1","Regex":"val_f1=([0-9.]+)"},{"name":"lr","regex":"lr: (\\\\S+)"}]',
      ),
    ).toEqual([
      { name: 'val:f1', regex: 'val_f1=([0-9.]+)' },
      { name: 'lr', regex: 'lr: (\\S+)' },
    ]);
    expect(parseMetricDefinitions('[]')).toEqual([]);
  });

  it.each([
    ['not json', 'METRIC_DEFINITIONS: not valid JSON'],
    ['{"Name":"x"}', 'METRIC_DEFINITIONS: must be a JSON array'],
    ['[1]', 'METRIC_DEFINITIONS: entry 0: must be an object'],
    ['[{"Regex":"(x)"}]', 'METRIC_DEFINITIONS: entry 0: Name is missing'],
    ['[{"Name":"","Regex":"(x)"}]', 'METRIC_DEFINITIONS: entry 0: Name is missing or empty'],
    [`[{"Name":"${'n'.repeat(256)}","Regex":"(x)"}]`, 'METRIC_DEFINITIONS: entry 0: Name is longer than 255'],
    ['[{"Name":"a","Regex":"(x)"},{"Name":"b"}]', 'METRIC_DEFINITIONS: entry 1: Regex is missing'],
    [
      `[{"Name":"a","Regex":"(${'x'.repeat(500)})"}]`,
      'METRIC_DEFINITIONS: entry 0: Regex is longer than 500',
    ],
    ['[{"Name":"a","Regex":"(unclosed"}]', 'METRIC_DEFINITIONS: entry 0: Regex does not compile'],
    ['[{"Name":"a","Regex":"loss: [0-9.]+"}]', 'METRIC_DEFINITIONS: entry 0: Regex has no capture group'],
    ['[{"Name":"a","Regex":"(?:x)"}]', 'METRIC_DEFINITIONS: entry 0: Regex has no capture group'],
    [
      '[{"Name":"a","Regex":"(x)"},{"Name":"a","Regex":"(y)"}]',
      'METRIC_DEFINITIONS: entry 1: duplicate Name a',
    ],
  ])('rejects %j', (json, message) => {
    // Act
    const error = problemOf(json);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe('METRIC_DEFINITIONS');
    expect(error.message).toContain(message);
  });

  it(`rejects more than ${MAX_METRIC_DEFINITIONS} definitions`, () => {
    const many = Array.from({ length: MAX_METRIC_DEFINITIONS + 1 }, (_, index) => ({
      Name: `m${index}`,
      Regex: '(x)',
    }));
    expect(problemOf(JSON.stringify(many)).message).toContain('has 41 definitions; at most 40');
    expect(parseMetricDefinitions(JSON.stringify(many.slice(1)))).toHaveLength(MAX_METRIC_DEFINITIONS);
  });

  it('names the variable it was given', () => {
    expect(problemOf('[', 'CUSTOM_METRICS').message).toMatch(/^CUSTOM_METRICS: /);
  });
});

describe('applyMetricDefinitions', () => {
  const definitions = compileMetricDefinitions([
    { name: 'val:f1', regex: 'val_f1=([0-9.]+|nan)' },
    { name: 'tab', regex: 'step\\t(\\d+)' },
    { name: 'word', regex: 'state=(\\w+)' },
    { name: 'broken', regex: '(' },
  ]);

  it('compiles only valid definitions', () => {
    expect(definitions.map((definition) => definition.name)).toEqual(['val:f1', 'tab', 'word']);
  });

  it("reads each definition's first capture group as a number", () => {
    expect(applyMetricDefinitions(definitions, ['epoch 2 val_f1=0.91'])).toEqual({ 'val:f1': 0.91 });
    expect(applyMetricDefinitions(definitions, ['val_f1=nan'])?.['val:f1']).toBeNaN();
  });

  it('tries the candidates in order and stops at the first match', () => {
    expect(applyMetricDefinitions(definitions, ['no tab here', 'step\t12'])).toEqual({ tab: 12 });
    expect(applyMetricDefinitions(definitions, ['step\t1', 'step\t2'])).toEqual({ tab: 1 });
  });

  it('skips values that are not numbers and lines that match nothing', () => {
    expect(applyMetricDefinitions(definitions, ['state=running'])).toBeUndefined();
    expect(applyMetricDefinitions(definitions, ['nothing'])).toBeUndefined();
  });
});
