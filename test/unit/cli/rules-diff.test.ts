import { describe, expect, it } from 'vitest';
import { replayDeliveries } from '../../../cli/replay.ts';
import {
  decisionChanged,
  diffReplays,
  MAX_SHOWN,
  renderRulesDiff,
  toDecision,
} from '../../../cli/rules-diff.ts';
import { parseOperatorRules } from '../../../lib/operator-rules/index.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const START = Date.parse('2026-11-26T09:20:00Z');
const config = {
  detail: 'host' as const,
  namespace: 'Test/Rules',
  suppressionWindowMs: 15 * 60_000,
  region: 'eu-west-1',
  metricDefinitions: [],
};

const RULES = parseOperatorRules(
  JSON.stringify({
    version: 1,
    rules: [
      { id: 'quota', pattern: 'QUOTA_EXHAUSTED', severity: 'error', category: 'throttling' },
      {
        id: 'oom-ok',
        pattern: 'CUDA out of memory',
        severity: 'info',
        category: 'none',
        scope: { resourceName: 'probe-*' },
      },
    ],
    mutes: [{ id: 'dev', resourceName: 'dev-*', until: '2026-12-31' }],
    routes: [{ id: 'gpu', categories: ['cuda_oom'], slack: ['/w/gpu'], attributes: { team: 'gpu' } }],
  }),
  'rules.json',
);

const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';
const deliveries = [
  makeDelivery('/aws/sagemaker/TrainingJobs', 'probe-1/algo-1-1764148443', [OOM], START),
  makeDelivery('/aws/sagemaker/TrainingJobs', 'dev-1/algo-1-1764148443', [OOM], START),
  makeDelivery(
    '/aws/sagemaker/TrainingJobs',
    'prod-1/algo-1-1764148443',
    [OOM, 'upstream QUOTA_EXHAUSTED'],
    START,
  ),
];

async function run(withRules: boolean) {
  return (
    await replayDeliveries(deliveries, {
      config: withRules ? { ...config, operatorRules: RULES } : config,
      publish: async () => [],
    })
  ).reports;
}

describe('diffReplays', () => {
  it('lines changed, incidents added, gone and muted, and the routes of what is sent', async () => {
    const diff = diffReplays(await run(false), await run(true), RULES);
    expect(
      diff.changedLines.map((line) => [line.logStream, line.before.category, line.after.ruleId]),
    ).toEqual([
      ['probe-1/algo-1-1764148443', 'cuda_oom', 'custom/oom-ok'],
      ['prod-1/algo-1-1764148443', 'none', 'custom/quota'],
    ]);
    expect(diff.added.map((incident) => incident.category)).toEqual(['throttling']);
    expect(diff.removed.map((incident) => incident.logStream)).toEqual(['probe-1/algo-1-1764148443']);
    expect(diff.muted.map((incident) => [incident.logStream, incident.mute])).toEqual([
      ['dev-1/algo-1-1764148443', 'dev'],
    ]);
    expect(diff.routed).toEqual([
      expect.objectContaining({
        category: 'cuda_oom',
        routes: ['gpu'],
        slack: ['/w/gpu'],
        attributes: { team: 'gpu' },
      }),
    ]);

    const text = renderRulesDiff(diff, 'rules.json').join('\n');
    expect(text).toContain('Lines whose decision changes (2):');
    expect(text).toContain(
      'error cuda_oom (cuda-oom) → info none (custom/oom-ok): RuntimeError: CUDA out of memory',
    );
    expect(text).toContain('by mute dev');
    expect(text).toContain('→ gpu: slack /w/gpu, team=gpu');
    expect(renderRulesDiff(diff, 'rules.json', true).join('\n')).not.toContain('Incidents added');
  });

  it('nothing changes without rules; long sections are cut and counted', async () => {
    const none = parseOperatorRules('{"version":1}', 'x');
    const diff = diffReplays(await run(false), await run(false), none);
    expect(diff).toEqual({ changedLines: [], added: [], removed: [], muted: [], routed: [] });
    expect(renderRulesDiff(diff, 'x')).toContain('  none');
    const many = {
      ...diff,
      changedLines: Array.from({ length: MAX_SHOWN + 3 }, () => ({
        message: `${'x'.repeat(200)}\n  y`,
        before: { severity: 'info' as const, category: 'none' as const },
        after: { severity: 'error' as const, category: 'timeout' as const, ruleId: 'custom/t' },
      })),
    };
    const text = renderRulesDiff(many, 'x');
    expect(text).toContain('  … and 3 more (--json has them all)');
    expect(text.find((line) => line.includes('→'))?.length).toBeLessThan(200);
  });

  it('decisions', () => {
    expect(toDecision({ severity: 'info', category: 'none' })).toEqual({
      severity: 'info',
      category: 'none',
    });
    expect(
      decisionChanged(
        { severity: 'info', category: 'none' },
        { severity: 'info', category: 'none', ruleId: 'r' },
      ),
    ).toBe(true);
    expect(
      decisionChanged({ severity: 'error', category: 'nccl' }, { severity: 'error', category: 'nccl' }),
    ).toBe(false);
  });
});
