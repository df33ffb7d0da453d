import { describe, expect, it } from 'vitest';
import { Categories, classifyMessage, parseLogSource, ResourceTypes } from '../../lib/index.ts';

// The two contracts other parts build on, through the public entry point.
describe('public API', () => {
  it('parseLogSource fills the documented LogSource fields', () => {
    expect(
      parseLogSource('/aws/sagemaker/Endpoints/fraud', 'AllTraffic/i-0123456789abcdef0/model'),
    ).toMatchObject({
      resourceType: 'Endpoint',
      resourceName: 'fraud',
      variantName: 'AllTraffic',
      instance: 'i-0123456789abcdef0',
      container: 'model',
      host: 'fraud/AllTraffic/i-0123456789abcdef0',
    });
    expect(parseLogSource('/aws/sagemaker/TrainingJobs', 'job-7/algo-3-1764148442')).toMatchObject({
      resourceType: 'TrainingJob',
      resourceName: 'job-7',
      instance: 'algo-3',
      startedAt: 1764148442,
      host: 'job-7/algo-3',
    });
    expect(ResourceTypes).toContain(parseLogSource('/not/sagemaker', 'x').resourceType);
  });

  it('classifyMessage returns the documented vocabulary', () => {
    const oom = classifyMessage('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB');
    expect(oom).toMatchObject({ severity: 'error', category: 'cuda_oom' });
    expect(Categories).toContain(oom.category);
    expect(classifyMessage('INFO:root:all good')).toMatchObject({ severity: 'info', category: 'none' });
  });
});

describe('package entry point', () => {
  it("is lib/index.ts, through package.json's exports", async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(manifest.exports).toEqual({ '.': './lib/index.ts' });
    const viaManifest = await import(new URL(`../../${manifest.exports['.']}`, import.meta.url).href);
    expect(viaManifest.parseLogSource).toBe(parseLogSource);
    expect(viaManifest.classifyMessage).toBe(classifyMessage);
  });
});
