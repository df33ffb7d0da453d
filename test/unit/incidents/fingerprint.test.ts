import { describe, expect, it } from 'vitest';
import {
  computeFingerprint,
  computeOccurrenceKey,
  FINGERPRINT_HEX_CHARS,
  type FingerprintParts,
  MAX_NORMALISED_HEADLINE_CHARS,
  normaliseHeadline,
  OCCURRENCE_KEY_HEX_CHARS,
} from '../../../lib/incidents/fingerprint.ts';

const OOM: FingerprintParts = {
  resourceType: 'TrainingJob',
  resourceName: 'my-job',
  category: 'cuda_oom',
  headline:
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity; 13.1 GiB already allocated; 1.2 GiB free)',
};

describe('computeFingerprint', () => {
  it('is a truncated hex digest', () => {
    expect(computeFingerprint(OOM)).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_CHARS}}$`));
  });

  it('matches the same CUDA OOM on another host, GPU and step (sizes and units vary)', () => {
    const other = {
      ...OOM,
      headline:
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB (GPU 3; 15.78 GiB total capacity; 14.9 GiB already allocated; 100 MiB free)',
    };
    expect(computeFingerprint(other)).toBe(computeFingerprint(OOM));
  });

  it('matches when ids, addresses, timestamps and temp names vary', () => {
    const a = `ConnectionError: 10.0.1.12:29500 from algo-1 i-0abc123def4567890 at 2024-03-20T05:50:51.123Z req 123e4567-e89b-12d3-a456-426614174000 dir /tmp/tmpab12_xyz ptr 0x7f3a2c commit 3f786850e387`;
    const b = `ConnectionError: 10.0.7.200:29501 from algo-4 i-0fff999aaa1112223 at 2024-03-21T11:02:03.999Z req 00000000-aaaa-bbbb-cccc-111111111111 dir /tmp/tmp9k_z0pq1 ptr 0xdeadbeef commit a1b2c3d4e5f6`;
    expect(computeFingerprint({ ...OOM, category: 'nccl', headline: a })).toBe(
      computeFingerprint({ ...OOM, category: 'nccl', headline: b }),
    );
  });

  it('tells apart different quoted keys and modules (different bugs)', () => {
    const label = computeFingerprint({ ...OOM, category: 'python_exception', headline: "KeyError: 'label'" });
    const image = computeFingerprint({ ...OOM, category: 'python_exception', headline: "KeyError: 'image'" });
    expect(label).not.toBe(image);
  });

  it('ignores long quoted values (payloads, request bodies, commands)', () => {
    const headline = (body: string) => `Received client error (400) from primary with message "${body}"`;
    expect(
      computeFingerprint({
        ...OOM,
        headline: headline(`{"code": 400, "message": "bad input for request abc"}`),
      }),
    ).toBe(
      computeFingerprint({
        ...OOM,
        headline: headline(`{"code": 400, "message": "another request entirely, xyz"}`),
      }),
    );
  });

  it('differs for another resource, resource type or category', () => {
    const base = computeFingerprint(OOM);
    expect(computeFingerprint({ ...OOM, resourceName: 'other-job' })).not.toBe(base);
    expect(computeFingerprint({ ...OOM, resourceType: 'ProcessingJob' })).not.toBe(base);
    expect(computeFingerprint({ ...OOM, category: 'python_exception' })).not.toBe(base);
    const { resourceName: _, ...unnamed } = OOM;
    expect(computeFingerprint(unnamed)).not.toBe(base);
  });

  it('keeps the parts apart (no ambiguity from concatenation)', () => {
    expect(computeFingerprint({ ...OOM, resourceName: 'ab', headline: 'c' })).not.toBe(
      computeFingerprint({ ...OOM, resourceName: 'a', headline: 'bc' }),
    );
  });
});

describe('computeOccurrenceKey', () => {
  it('is stable for the same delivery and differs for another event, stream or group', () => {
    const key = computeOccurrenceKey('/aws/sagemaker/TrainingJobs', 'job/algo-1-1', '3742');
    expect(key).toMatch(new RegExp(`^[0-9a-f]{${OCCURRENCE_KEY_HEX_CHARS}}$`));
    expect(computeOccurrenceKey('/aws/sagemaker/TrainingJobs', 'job/algo-1-1', '3742')).toBe(key);
    expect(computeOccurrenceKey('/aws/sagemaker/TrainingJobs', 'job/algo-1-1', '3743')).not.toBe(key);
    expect(computeOccurrenceKey('/aws/sagemaker/TrainingJobs', 'job/algo-2-1', '3742')).not.toBe(key);
    expect(computeOccurrenceKey('/aws/sagemaker/ProcessingJobs', 'job/algo-1-1', '3742')).not.toBe(key);
  });
});

describe('normaliseHeadline', () => {
  it('replaces numbers, sizes and hex, and collapses whitespace', () => {
    expect(normaliseHeadline('  Tried to allocate 72.00 MiB   on GPU 0 at 0x7f  ')).toBe(
      'Tried to allocate <size> on GPU <n> at <hex>',
    );
  });

  it('keeps all-letter words that look like hex and all-digit runs as numbers', () => {
    expect(normaliseHeadline('deadbeefcafe 12345678')).toBe('deadbeefcafe <n>');
  });

  it('keeps short quoted values and replaces long ones', () => {
    expect(normaliseHeadline(`No module named 'transformers'`)).toBe(`No module named 'transformers'`);
    expect(normaliseHeadline(`Command "${'x'.repeat(41)}" failed`)).toBe('Command <str> failed');
  });

  it('caps the normalised headline', () => {
    expect(normaliseHeadline('word '.repeat(1_000))).toHaveLength(MAX_NORMALISED_HEADLINE_CHARS);
  });
});

describe('normaliseHeadline with structured payloads', () => {
  it('collapses long JSON objects and lists, nested ones from the inside out, and keeps short ones', () => {
    expect(normaliseHeadline(`bad {"a": {"b": [1, 2, 3], "c": "${'x'.repeat(50)}"}} end`)).toBe(
      'bad {"a": <obj>} end',
    );
    expect(normaliseHeadline(`Command '['python', 'train.py', '--epochs', '3', '--lr', '0.1']' failed`)).toBe(
      `Command '<obj>' failed`,
    );
    expect(normaliseHeadline('shape [16, 112] and {a: 1}')).toBe('shape [<n>, <n>] and {a: <n>}');
  });
});
