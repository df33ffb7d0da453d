import { inject } from 'vitest';

/** Client configuration that points an AWS SDK v3 client at the shared moto server. */
export function motoClientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: inject('motoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** Wipes moto's state so each test file starts from an empty account. */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${inject('motoEndpoint')}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}
