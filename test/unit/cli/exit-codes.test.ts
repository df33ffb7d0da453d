import { describe, expect, it } from 'vitest';
import { ExitCodes, InputError, toFailure, UsageError } from '../../../cli/exit-codes.ts';
import { ConfigError } from '../../../lib/errors.ts';

function named(name: string, message = 'boom', extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, extra);
}

describe('toFailure', () => {
  it('maps usage, input and configuration errors to their codes, message unchanged', () => {
    expect(toFailure(new UsageError('bad flag'))).toEqual({ exitCode: ExitCodes.usage, message: 'bad flag' });
    expect(toFailure(new InputError('no such group'))).toEqual({ exitCode: 4, message: 'no such group' });
    expect(toFailure(new ConfigError('METRICS_DETAIL', 'expected one of resource'))).toEqual({
      exitCode: 3,
      message: 'METRICS_DETAIL: expected one of resource',
    });
  });

  it('names AWS_REGION and --region when the SDK has no region', () => {
    const failure = toFailure(new Error('Region is missing'));
    expect(failure.exitCode).toBe(ExitCodes.config);
    expect(failure.message).toContain('AWS_REGION');
    expect(failure.message).toContain('--region');
  });

  it('explains missing credentials, naming the profile when one is in use', () => {
    const error = named('CredentialsProviderError', 'Could not load credentials from any providers');
    const plain = toFailure(error);
    expect(plain.exitCode).toBe(3);
    expect(plain.message).toContain('AWS_PROFILE');
    expect(plain.message).toContain('AWS_ACCESS_KEY_ID');
    const withProfile = toFailure(error, { profile: 'ops' });
    expect(withProfile.message).toContain("profile 'ops'");
    expect(withProfile.message).toContain('aws sso login --profile ops');
  });

  it('treats rejected and expired credentials as configuration errors', () => {
    for (const name of [
      'ExpiredTokenException',
      'UnrecognizedClientException',
      'InvalidSignatureException',
    ]) {
      const failure = toFailure(named(name, 'nope'));
      expect(failure.exitCode).toBe(3);
      expect(failure.message).toContain(`rejected the credentials (${name})`);
    }
  });

  it('treats access denied as configuration (permissions)', () => {
    const failure = toFailure(
      named('AccessDeniedException', 'not authorized to perform logs:FilterLogEvents'),
    );
    expect(failure).toEqual({
      exitCode: 3,
      message:
        'AWS refused the call (AccessDeniedException): not authorized to perform logs:FilterLogEvents. The credentials need that permission.',
    });
  });

  it('maps ResourceNotFoundException to input not found, with the region when known', () => {
    expect(toFailure(named('ResourceNotFoundException', 'gone'), { region: 'eu-west-1' })).toEqual({
      exitCode: 4,
      message: 'not found in eu-west-1: gone',
    });
    expect(toFailure(named('ResourceNotFoundException', 'gone')).message).toBe('not found: gone');
  });

  it('maps unreadable files to exit 4 with the path and the reason', () => {
    expect(toFailure(named('Error', 'x', { code: 'ENOENT', path: 'events.jsonl' }))).toEqual({
      exitCode: 4,
      message: "cannot read 'events.jsonl': no such file",
    });
    expect(toFailure(named('Error', 'x', { code: 'EISDIR' })).message).toBe(
      'cannot read the input: is a directory',
    );
    expect(toFailure(named('Error', 'x', { code: 'EACCES', path: 7 })).message).toBe(
      'cannot read the input: permission denied',
    );
  });

  it('explains an unreachable endpoint as a runtime failure', () => {
    const failure = toFailure(named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }));
    expect(failure.exitCode).toBe(ExitCodes.failure);
    expect(failure.message).toContain('AWS_ENDPOINT_URL');
  });

  it('reports anything else as a runtime failure with its name', () => {
    expect(toFailure(named('ThrottlingException', 'slow down', { code: 42 }))).toEqual({
      exitCode: 1,
      message: 'ThrottlingException: slow down',
    });
    expect(toFailure(named('Weird', 'x', { code: 'EWHATEVER' })).exitCode).toBe(1);
    expect(toFailure('a string')).toEqual({ exitCode: 1, message: 'a string' });
  });
});
