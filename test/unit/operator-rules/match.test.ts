import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../../lib/classify/index.ts';
import { parseLogSource } from '../../../lib/log-source.ts';
import {
  compileGlob,
  hasOperatorRules,
  inScope,
  MAX_MATCHED_CHARS,
  matchesGlob,
  NO_OPERATOR_RULES,
  parseOperatorRules,
  partitionMuted,
  routeAlert,
  rulesForSource,
  withCustomRules,
} from '../../../lib/operator-rules/index.ts';

const RULES = parseOperatorRules(
  JSON.stringify({
    version: 1,
    rules: [
      {
        id: 'dataloader-killed',
        pattern: 'DataLoader worker \\(pid \\d+\\) is killed',
        severity: 'error',
        category: 'worker_died',
        scope: { resourceType: 'TrainingJob', resourceName: 'llama-*' },
      },
      {
        id: 'oom-is-fine-here',
        pattern: 'CUDA out of memory',
        severity: 'info',
        category: 'none',
        scope: { container: 'probe' },
      },
      { id: 'anywhere', pattern: 'QUOTA_EXHAUSTED', severity: 'warning', category: 'throttling' },
    ],
    mutes: [
      { id: 'known', fingerprint: '0123456789abcdef', until: '2026-12-31' },
      { id: 'dev', resourceName: 'dev-*' },
      { id: 'retry', pattern: 'retrying in \\d+s', ignoreCase: true },
    ],
    routes: [
      {
        id: 'vision',
        resourceName: 'vision-*',
        slack: ['/w/vision', '/w/shared'],
        attributes: { team: 'vision' },
      },
      {
        id: 'oom',
        categories: ['cuda_oom'],
        minSeverity: 'critical',
        slack: ['/w/shared'],
        attributes: { team: 'gpu', route: 'oom' },
      },
      { id: 'endpoints', resourceType: 'Endpoint', attributes: { route: 'serving' } },
    ],
  }),
  'test',
);

const classify = createClassifier();
const TRAINING = parseLogSource('/aws/sagemaker/TrainingJobs', 'llama-ft-1/algo-1-1764148443');
const OTHER_JOB = parseLogSource('/aws/sagemaker/TrainingJobs', 'bert-1/algo-1-1764148443');
const PROBE = parseLogSource('/aws/sagemaker/Endpoints/prod', 'AllTraffic/i-0a1b2c3d4e5f60718/probe');

describe('withCustomRules', () => {
  it('a custom rule in scope decides before the built-in rules, keeping metrics and HTTP', () => {
    const line = "ERROR: DataLoader worker (pid 4242) is killed by signal: Killed. {'loss': 1.5}";
    expect(classify(line).ruleId).not.toBe('custom/dataloader-killed');
    const custom = withCustomRules(classify, RULES.rules, TRAINING)(line);
    expect(custom).toMatchObject({
      severity: 'error',
      category: 'worker_died',
      ruleId: 'custom/dataloader-killed',
    });
  });

  it("a custom rule's category is its own, never one the context gave", () => {
    const fromContext = () => ({
      severity: 'error' as const,
      category: 'user_script_error' as const,
      ruleId: 'general-failure-words',
      categoryFrom: 'context' as const,
    });
    const line = 'ERROR: DataLoader worker (pid 4242) is killed by signal: Killed.';
    const custom = withCustomRules(fromContext, RULES.rules, TRAINING)(line);
    expect(custom).toMatchObject({ category: 'worker_died', ruleId: 'custom/dataloader-killed' });
    expect(custom.categoryFrom).toBeUndefined();
  });

  it('out of scope, the built-in decision stands; a rule without scope applies everywhere', () => {
    const line = 'ERROR: DataLoader worker (pid 4242) is killed by signal: Killed.';
    expect(withCustomRules(classify, RULES.rules, OTHER_JOB)(line)).toEqual(classify(line));
    expect(withCustomRules(classify, RULES.rules, OTHER_JOB)('upstream said QUOTA_EXHAUSTED')).toMatchObject({
      severity: 'warning',
      category: 'throttling',
      ruleId: 'custom/anywhere',
    });
  });

  it('can make a line benign for one container only', () => {
    const line = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';
    expect(withCustomRules(classify, RULES.rules, PROBE)(line)).toMatchObject({
      severity: 'info',
      category: 'none',
    });
    expect(rulesForSource(RULES.rules, PROBE).map((rule) => rule.id)).toEqual([
      'oom-is-fine-here',
      'anywhere',
    ]);
  });

  it('returns the built-in classifier itself when no rule is in scope; leaves empty input alone', () => {
    expect(withCustomRules(classify, [], TRAINING)).toBe(classify);
    const wrapped = withCustomRules(classify, RULES.rules, TRAINING);
    expect(wrapped('')).toEqual({ severity: 'info', category: 'none' });
    expect(wrapped(`${'x'.repeat(MAX_MATCHED_CHARS)}QUOTA_EXHAUSTED`).ruleId).not.toBe('custom/anywhere');
  });
});

describe('mutes', () => {
  const incident = (
    over: Partial<{ fingerprint: string; resourceName: string; headline: string; context: string[] }>,
  ) => ({
    fingerprint: 'ffffffffffffffff',
    resourceName: 'prod-job',
    headline: 'ValueError: bad',
    context: ['Traceback (most recent call last):', 'ValueError: bad'],
    ...over,
  });

  it('by fingerprint until the expiry, then no more', () => {
    const muted = incident({ fingerprint: '0123456789abcdef' });
    expect(partitionMuted([muted], RULES.mutes, Date.parse('2026-12-30T23:59Z')).muted[0]?.mute.id).toBe(
      'known',
    );
    expect(partitionMuted([muted], RULES.mutes, Date.parse('2026-12-31T00:00Z')).alert).toEqual([muted]);
  });

  it('by resource glob and by pattern on the headline or a context line', () => {
    const now = Date.parse('2026-12-01');
    const result = partitionMuted(
      [
        incident({ resourceName: 'dev-42' }),
        incident({ context: ['ConnectionError: Retrying in 5s'] }),
        incident({ headline: 'retrying in 3s', context: [] }),
        incident({}),
      ],
      RULES.mutes,
      now,
    );
    expect(result.muted.map(({ mute }) => mute.id)).toEqual(['dev', 'retry', 'retry']);
    expect(result.alert).toHaveLength(1);
  });

  it('every field a mute names must match', () => {
    const [both] = parseOperatorRules(
      JSON.stringify({
        version: 1,
        mutes: [{ fingerprint: '0123456789abcdef', resourceName: 'a-*', pattern: 'x{3}' }],
      }),
      't',
    ).mutes;
    const now = 0;
    const list = both ? [both] : [];
    expect(
      partitionMuted(
        [incident({ fingerprint: '0123456789abcdef', resourceName: 'a-1', headline: 'xxx' })],
        list,
        now,
      ).muted,
    ).toHaveLength(1);
    expect(
      partitionMuted(
        [incident({ fingerprint: '0123456789abcdef', resourceName: 'b-1', headline: 'xxx' })],
        list,
        now,
      ).muted,
    ).toHaveLength(0);
    expect(
      partitionMuted([incident({ fingerprint: '0123456789abcdef', resourceName: 'a-1' })], list, now).muted,
    ).toHaveLength(0);
    expect(partitionMuted([incident({ fingerprint: '0123456789abcdef' })], [], now)).toEqual({
      alert: [incident({ fingerprint: '0123456789abcdef' })],
      muted: [],
    });
    expect(
      partitionMuted(
        [incident({ context: [`${'y'.repeat(MAX_MATCHED_CHARS)} retrying in 1s`] })],
        RULES.mutes,
        now,
      ).muted,
    ).toHaveLength(0);
  });
});

describe('routeAlert', () => {
  const alert = {
    resourceType: 'Endpoint' as const,
    resourceName: 'vision-prod',
    category: 'cuda_oom' as const,
    severity: 'critical' as const,
  };

  it('collects every matching route: Slack webhooks once each, first value of an attribute wins', () => {
    expect(routeAlert(RULES.routes, alert)).toEqual({
      routes: ['vision', 'oom', 'endpoints'],
      slack: [
        { parameter: '/w/vision', route: 'vision' },
        { parameter: '/w/shared', route: 'vision' },
      ],
      attributes: { team: 'vision', route: 'oom' },
    });
  });

  it('categories, severity and resource type narrow a route', () => {
    expect(routeAlert(RULES.routes, { ...alert, severity: 'error' }).routes).toEqual(['vision', 'endpoints']);
    expect(routeAlert(RULES.routes, { ...alert, category: 'nccl' }).routes).toEqual(['vision', 'endpoints']);
    expect(
      routeAlert(RULES.routes, { ...alert, resourceType: 'TrainingJob', resourceName: 'x' }).routes,
    ).toEqual(['oom']);
    expect(routeAlert([], alert)).toEqual({ routes: [], slack: [], attributes: {} });
  });
});

describe('globs and scopes', () => {
  it('* and ? over the whole name, other characters literally', () => {
    expect(matchesGlob(compileGlob('llama-*'), 'llama-ft/1')).toBe(true);
    expect(matchesGlob(compileGlob('a?c'), 'abc')).toBe(true);
    expect(matchesGlob(compileGlob('a.c'), 'abc')).toBe(false);
    expect(matchesGlob(compileGlob('*'), undefined)).toBe(true);
    expect(matchesGlob(compileGlob('x*'), undefined)).toBe(false);
  });

  it('a container scope needs a container', () => {
    expect(inScope({ container: compileGlob('model') }, { resourceType: 'Endpoint' })).toBe(false);
    expect(
      inScope({ container: compileGlob('model') }, { resourceType: 'Endpoint', container: 'model' }),
    ).toBe(true);
  });

  it('hasOperatorRules', () => {
    expect(hasOperatorRules(NO_OPERATOR_RULES)).toBe(false);
    expect(hasOperatorRules(RULES)).toBe(true);
  });
});
