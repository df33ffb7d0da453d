import { describe, expect, it } from 'vitest';
import { toMuteCommand, toMuteDestination } from '../../../lib/operator-rules/index.ts';

describe('toMuteDestination', () => {
  it('points the mute command where the rules come from', () => {
    expect(
      toMuteDestination({
        kind: 'parameter',
        variable: 'OPERATOR_RULES_PARAMETER',
        name: '/sagewatch/prod/rules',
      }),
    ).toEqual({ parameter: '/sagewatch/prod/rules' });
    expect(toMuteDestination({ kind: 'file', variable: 'OPERATOR_RULES_FILE', path: 'rules.yaml' })).toEqual({
      file: 'rules.yaml',
    });
    expect(toMuteDestination(undefined)).toBeUndefined();
  });

  it('gives toMuteCommand a target it accepts', () => {
    const target = toMuteDestination({ kind: 'file', variable: 'OPERATOR_RULES_FILE', path: 'rules.yaml' });
    expect(toMuteCommand('3f2a9c4d1e8b7a60', Date.parse('2026-12-04T10:00Z'), target ?? { file: '' })).toBe(
      'sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 2026-12-11 --file rules.yaml',
    );
  });
});
