import {
  GetParameterCommand,
  ParameterType,
  PutParameterCommand,
  SSMClient,
  type SSMClientConfig,
} from '@aws-sdk/client-ssm';

/** An SSM client for the CLI (adaptive retries, like its other clients). */
export function createSsmClient(config: SSMClientConfig = {}): SSMClient {
  return new SSMClient({ retryMode: 'adaptive', maxAttempts: 5, ...config });
}

/** A parameter's value (decrypted) and type, or `undefined` when it does not exist. */
export async function readParameter(
  client: SSMClient,
  name: string,
): Promise<{ value: string; type: string } | undefined> {
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return { value: Parameter?.Value ?? '', type: Parameter?.Type ?? ParameterType.STRING };
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/**
 * Writes a parameter, overwriting it, keeping its type (`String` for a new one: rules documents hold
 * no secret). SSM has no conditional write: two writers at once keep the last one's document.
 */
export async function writeParameter(
  client: SSMClient,
  name: string,
  value: string,
  type?: string,
): Promise<void> {
  await client.send(
    new PutParameterCommand({
      Name: name,
      Value: value,
      Type: (type as ParameterType | undefined) ?? ParameterType.STRING,
      Overwrite: true,
    }),
  );
}
