import { describe, expect, it } from 'vitest';
import {
  checkWebhookParameters,
  loadOperatorRules,
  NO_OPERATOR_RULES,
  readOperatorRulesConfig,
  SUGGESTED_MUTE_DAYS,
  toMuteCommand,
} from '../../../lib/operator-rules/index.ts';

const DOCUMENT = JSON.stringify({
  version: 1,
  routes: [{ id: 'vision', slack: ['/sagewatch/prod/webhooks/vision'] }],
});

describe('readOperatorRulesConfig', () => {
  it('reads a parameter, a file, or nothing', () => {
    expect(readOperatorRulesConfig({})).toEqual({});
    expect(
      readOperatorRulesConfig({
        OPERATOR_RULES_PARAMETER: '/sagewatch/prod/rules',
        ROUTE_WEBHOOK_PATH: '/sagewatch/prod/webhooks/',
      }),
    ).toEqual({
      source: { kind: 'parameter', variable: 'OPERATOR_RULES_PARAMETER', name: '/sagewatch/prod/rules' },
      webhookPath: '/sagewatch/prod/webhooks/',
    });
    expect(readOperatorRulesConfig({ OPERATOR_RULES_FILE: 'sagewatch.rules.json' }).source).toEqual({
      kind: 'file',
      variable: 'OPERATOR_RULES_FILE',
      path: 'sagewatch.rules.json',
    });
  });

  it('names the variable with a bad value', () => {
    expect(() => readOperatorRulesConfig({ OPERATOR_RULES_PARAMETER: 'rules' })).toThrow(
      /^OPERATOR_RULES_PARAMETER: 'rules' is not/,
    );
    expect(() =>
      readOperatorRulesConfig({ OPERATOR_RULES_PARAMETER: '/a', OPERATOR_RULES_FILE: 'b' }),
    ).toThrow(/both set/);
    expect(() => readOperatorRulesConfig({ ROUTE_WEBHOOK_PATH: '/no-trailing-slash' })).toThrow(
      /^ROUTE_WEBHOOK_PATH:/,
    );
  });
});

describe('loadOperatorRules', () => {
  const readers = (value: string | undefined) => ({
    parameter: async () => value,
    file: () => value ?? '',
  });

  it('nothing configured: no rules, nothing read', async () => {
    expect(
      await loadOperatorRules({}, { parameter: () => Promise.reject(new Error('no')), file: () => '' }),
    ).toBe(NO_OPERATOR_RULES);
  });

  it('reads the parameter or the file and checks the webhooks against the path', async () => {
    const webhookPath = '/sagewatch/prod/webhooks/';
    const rules = await loadOperatorRules(
      { source: { kind: 'parameter', variable: 'OPERATOR_RULES_PARAMETER', name: '/r' }, webhookPath },
      readers(DOCUMENT),
    );
    expect(rules.routes[0]?.slack).toEqual(['/sagewatch/prod/webhooks/vision']);
    await expect(
      loadOperatorRules(
        { source: { kind: 'file', variable: 'OPERATOR_RULES_FILE', path: 'r.json' } },
        readers(DOCUMENT),
      ),
    ).rejects.toThrow(
      /^OPERATOR_RULES_FILE: routes\[0\] \(id 'vision'\)\.slack: .* not under ROUTE_WEBHOOK_PATH \(not set\)/,
    );
  });

  it('a missing or unreadable document fails, naming the variable', async () => {
    const source = { kind: 'parameter', variable: 'OPERATOR_RULES_PARAMETER', name: '/r' } as const;
    await expect(loadOperatorRules({ source }, readers(undefined))).rejects.toThrow(
      /OPERATOR_RULES_PARAMETER: the parameter '\/r' does not exist/,
    );
    await expect(
      loadOperatorRules(
        { source },
        { parameter: () => Promise.reject(new Error('AccessDenied')), file: () => '' },
      ),
    ).rejects.toThrow(/OPERATOR_RULES_PARAMETER: cannot read '\/r': AccessDenied/);
    await expect(
      loadOperatorRules(
        { source: { kind: 'file', variable: 'OPERATOR_RULES_FILE', path: 'x.json' } },
        {
          parameter: async () => undefined,
          file: () => {
            throw new Error('ENOENT');
          },
        },
      ),
    ).rejects.toThrow(/OPERATOR_RULES_FILE: cannot read 'x.json': ENOENT/);
  });

  it('checkWebhookParameters passes parameters under the path', () => {
    expect(() => checkWebhookParameters([{ id: 'a', slack: ['/p/x'] }], '/p/', 'V')).not.toThrow();
    expect(() => checkWebhookParameters([{ id: 'a', slack: ['/q/x'] }], '/p/', 'V')).toThrow(
      /V: routes\[0\]/,
    );
  });
});

describe('toMuteCommand', () => {
  it(`mutes for ${SUGGESTED_MUTE_DAYS} days, into the parameter or the file`, () => {
    const now = Date.parse('2026-12-04T10:00Z');
    expect(toMuteCommand('3f2a9c4d1e8b7a60', now, { parameter: '/sagewatch/prod/rules' })).toBe(
      'sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 2026-12-11 --parameter /sagewatch/prod/rules',
    );
    expect(toMuteCommand('3f2a9c4d1e8b7a60', now, { file: "my rules's.json" })).toBe(
      `sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 2026-12-11 --file 'my rules'\\''s.json'`,
    );
  });
});
