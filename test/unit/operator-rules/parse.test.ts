import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import {
  compileOperatorRules,
  MAX_ROUTE_ATTRIBUTES,
  parseOperatorRules,
  validateOperatorRules,
} from '../../../lib/operator-rules/index.ts';

const ORIGIN = 'OPERATOR_RULES_PARAMETER';

function parse(document: unknown) {
  return parseOperatorRules(JSON.stringify(document), ORIGIN);
}

function problem(document: unknown): string {
  try {
    parse(document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(ORIGIN);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const FULL = {
  version: 1,
  rules: [
    {
      id: 'dataloader-killed',
      pattern: 'DataLoader worker \\(pid \\d+\\) is killed',
      severity: 'error',
      category: 'worker_died',
      scope: { resourceType: 'TrainingJob', resourceName: 'llama-*', container: 'model' },
    },
    { id: 'benign', pattern: 'expected failure', ignoreCase: true, severity: 'info', category: 'none' },
  ],
  mutes: [
    { fingerprint: '0123456789abcdef', until: '2026-12-31' },
    { id: 'noisy', pattern: 'retrying', ignoreCase: true, resourceName: 'dev-*', until: '2026-12-31T18:00Z' },
  ],
  routes: [
    {
      id: 'vision',
      resourceName: 'vision-*',
      resourceType: ['Endpoint', 'InferenceComponent'],
      categories: ['worker_died'],
      minSeverity: 'error',
      slack: ['/sagewatch/prod/webhooks/vision'],
      attributes: { team: 'vision' },
    },
  ],
};

describe('parseOperatorRules', () => {
  it('compiles a full document', () => {
    const rules = parse(FULL);
    expect(rules.rules.map((rule) => rule.ruleId)).toEqual(['custom/dataloader-killed', 'custom/benign']);
    expect(rules.rules[0]?.scope.resourceTypes).toEqual(new Set(['TrainingJob']));
    expect(rules.rules[0]?.scope.resourceName?.test('llama-ft-1')).toBe(true);
    expect(rules.rules[1]?.pattern.flags).toBe('i');
    expect(rules.mutes.map((mute) => [mute.id, mute.untilMs])).toEqual([
      ['mutes[0]', Date.parse('2026-12-31')],
      ['noisy', Date.parse('2026-12-31T18:00Z')],
    ]);
    expect(rules.routes[0]).toMatchObject({
      id: 'vision',
      slack: ['/sagewatch/prod/webhooks/vision'],
      attributes: { team: 'vision' },
      minSeverity: 'error',
    });
    expect(rules.routes[0]?.categories).toEqual(new Set(['worker_died']));
  });

  it('an empty document is no rules', () => {
    expect(parse({ version: 1 })).toEqual({ rules: [], mutes: [], routes: [] });
  });

  it.each([
    [{ version: 2 }, 'version'],
    [{ version: 1, extra: true }, 'extra'],
    [
      { version: 1, rules: [{ ...FULL.rules[0], category: 'oops' }] },
      "rules[0] (id 'dataloader-killed').category",
    ],
    [{ version: 1, rules: [{ ...FULL.rules[0], severity: 'critical' }] }, 'severity'],
    [{ version: 1, rules: [{ ...FULL.rules[0], id: 'has space' }] }, "rules[0] (id 'has space').id"],
    [
      { version: 1, rules: [{ ...FULL.rules[0], pattern: '(a+)+' }] },
      "rules[0] (id 'dataloader-killed').pattern: not linear-time",
    ],
    [{ version: 1, rules: [{ ...FULL.rules[0], pattern: 'a{2,1}' }] }, 'pattern: Invalid regular expression'],
    [{ version: 1, rules: [FULL.rules[0], FULL.rules[0]] }, 'the id is used twice'],
    [{ version: 1, rules: [{ ...FULL.rules[0], scope: { resourceType: 'Job' } }] }, 'scope.resourceType'],
    [{ version: 1, mutes: [{ until: '2026-12-31' }] }, 'at least one of fingerprint, pattern, resourceName'],
    [{ version: 1, mutes: [{ fingerprint: 'XYZ' }] }, 'mutes[0].fingerprint'],
    [{ version: 1, mutes: [{ fingerprint: '0123456789abcdef', until: 'next week' }] }, 'mutes[0].until'],
    [{ version: 1, mutes: [{ id: 'm', pattern: '.*a.*' }] }, "mutes[0] (id 'm').pattern"],
    [{ version: 1, mutes: [{ pattern: '(?=a)' }] }, 'mutes[0].pattern'],
    [
      {
        version: 1,
        mutes: [
          { id: 'm', pattern: 'a' },
          { id: 'm', pattern: 'b' },
        ],
      },
      'used twice',
    ],
    [{ version: 1, routes: [{ id: 'r' }] }, 'a route needs a destination'],
    [{ version: 1, routes: [{ id: 'r', slack: ['https://hooks.slack.com/services/x'] }] }, 'not a URL'],
    [
      { version: 1, routes: [{ id: 'r', attributes: { severity: 'x' } }] },
      "every alert already carries 'severity'",
    ],
    [
      {
        version: 1,
        routes: [
          {
            id: 'r',
            attributes: Object.fromEntries(
              Array.from({ length: MAX_ROUTE_ATTRIBUTES + 1 }, (_, i) => [`a${i}`, 'x']),
            ),
          },
        ],
      },
      'more than 5',
    ],
  ])('names the bad entry: %j', (document, expected) => {
    expect(problem(document)).toContain(expected);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseOperatorRules('{', ORIGIN)).toThrow(/OPERATOR_RULES_PARAMETER: is not valid JSON/);
  });

  it('validate keeps the document as written; compile does the patterns', () => {
    const document = validateOperatorRules(FULL, '--rules');
    expect(document.mutes?.[0]).toEqual({ fingerprint: '0123456789abcdef', until: '2026-12-31' });
    expect(compileOperatorRules(document, '--rules').rules).toHaveLength(2);
    expect(() => validateOperatorRules('nope', '--rules')).toThrow(/--rules: the document/);
  });
});

describe('the documented examples', () => {
  it('docs/configuration.md and samples/operator-rules.json hold documents the processor accepts', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const root = resolve(import.meta.dirname, '../../..');
    const docs = readFileSync(resolve(root, 'docs/configuration.md'), 'utf8');
    const example = /```json\n(\{\n {2}"version": 1[\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const documented = parseOperatorRules(example, 'docs/configuration.md');
    expect(documented.rules.length + documented.mutes.length + documented.routes.length).toBe(7);
    const sample = parseOperatorRules(
      readFileSync(resolve(root, 'samples/operator-rules.json'), 'utf8'),
      'sample',
    );
    expect(sample.routes.map((route) => route.id)).toEqual(['fraud-team', 'gpu-oncall']);
  });
});
