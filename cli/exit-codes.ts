/**
 * The `sagewatch` CLI's exit codes and the errors that map to them. Every failure a command can meet
 * ends as one of these codes with one message that says what to do about it.
 */
import { ConfigError } from '../lib/errors.ts';

/** Exit codes, documented in docs/cli.md. */
export const ExitCodes = {
  /** The command did what was asked. */
  ok: 0,
  /** A runtime failure: an AWS call failed, some alerts could not be published, a reconcile failed. */
  failure: 1,
  /** The command line is wrong: unknown option, bad value, missing argument. */
  usage: 2,
  /** Configuration, credentials or permissions: no region, no credentials, a bad setting, access denied. */
  config: 3,
  /** The input does not exist or cannot be read: a file, a log group. */
  notFound: 4,
} as const;

/** One of {@link ExitCodes}. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** The command line cannot be used as given. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input (file, log group) does not exist or cannot be read. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** How a command failed: the exit code and a message for the operator. */
export interface Failure {
  exitCode: ExitCode;
  message: string;
}

/** What the failing command was talking to, to make messages concrete. */
export interface FailureContext {
  /** The AWS profile in use (`--profile` or `AWS_PROFILE`), named in credential errors. */
  profile?: string;
  /** The Region in use, named in not-found errors. */
  region?: string;
}

/** AWS error names that mean the credentials are absent, expired or rejected. */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'TokenRefreshRequired',
]);

/** AWS error names that mean the caller may not do what it asked. */
const PERMISSION_ERRORS: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
]);

/** Node file system error codes that mean an input cannot be read. */
const UNREADABLE_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/** Network error codes: the endpoint could not be reached at all. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorPath(error: Error): string | undefined {
  const path = (error as { path?: unknown }).path;
  return typeof path === 'string' ? path : undefined;
}

function credentialsMessage(error: Error, context: FailureContext): string {
  if (error.name === 'CredentialsProviderError') {
    const where = context.profile
      ? `profile '${context.profile}' gave none (check it exists in ~/.aws/config, or run \`aws sso login --profile ${context.profile}\`)`
      : 'set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
    return `no AWS credentials: ${where}. (${error.message})`;
  }
  return `AWS rejected the credentials (${error.name}): ${error.message}. Refresh them (for SSO: \`aws sso login\`) and retry.`;
}

/**
 * Maps anything a command threw to an exit code and a message. Pure: the caller prints and exits.
 */
export function toFailure(error: unknown, context: FailureContext = {}): Failure {
  if (!(error instanceof Error)) return { exitCode: ExitCodes.failure, message: String(error) };
  if (error instanceof UsageError) return { exitCode: ExitCodes.usage, message: error.message };
  if (error instanceof InputError) return { exitCode: ExitCodes.notFound, message: error.message };
  if (error instanceof ConfigError) return { exitCode: ExitCodes.config, message: error.message };
  if (error.message === 'Region is missing') {
    return {
      exitCode: ExitCodes.config,
      message:
        'no AWS Region: set AWS_REGION, pass --region, or set `region` in the profile of ~/.aws/config',
    };
  }
  if (CREDENTIAL_ERRORS.has(error.name)) {
    return { exitCode: ExitCodes.config, message: credentialsMessage(error, context) };
  }
  if (PERMISSION_ERRORS.has(error.name)) {
    return {
      exitCode: ExitCodes.config,
      message: `AWS refused the call (${error.name}): ${error.message}. The credentials need that permission.`,
    };
  }
  if (error.name === 'ResourceNotFoundException') {
    const region = context.region ? ` in ${context.region}` : '';
    return { exitCode: ExitCodes.notFound, message: `not found${region}: ${error.message}` };
  }
  const code = errorCode(error);
  if (code !== undefined && code in UNREADABLE_CODES) {
    const path = errorPath(error);
    return {
      exitCode: ExitCodes.notFound,
      message: `cannot read ${path === undefined ? 'the input' : `'${path}'`}: ${UNREADABLE_CODES[code]}`,
    };
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return {
      exitCode: ExitCodes.failure,
      message: `cannot reach the AWS endpoint (${code}): check the network, AWS_ENDPOINT_URL or --endpoint-url`,
    };
  }
  return { exitCode: ExitCodes.failure, message: `${error.name}: ${error.message}` };
}
