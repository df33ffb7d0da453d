import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../lib/incidents/fit-lines.ts';
import {
  EMAIL_BODY_MAX_BYTES,
  EMAIL_SUBJECT_MAX_CHARS,
  formatEmail,
  formatEmailSubject,
} from '../../../lib/incidents/format-email.ts';
import { makeIncident, T0 } from './build.ts';

describe('formatEmailSubject', () => {
  it('says severity, category, resource and instance', () => {
    expect(formatEmailSubject(makeIncident())).toBe(
      '[sagewatch][critical] cuda_oom in TrainingJob my-job (algo-3)',
    );
  });

  it('names variant, instance and container of an endpoint, and says unclassified for none', () => {
    const incident = makeIncident({
      severity: 'error',
      category: 'none',
      resourceType: 'Endpoint',
      resourceName: 'ep',
      variantName: 'AllTraffic',
      instance: 'i-0abc',
      container: 'c1',
    });
    expect(formatEmailSubject(incident)).toBe(
      '[sagewatch][error] unclassified in Endpoint ep (AllTraffic/i-0abc, container c1)',
    );
  });

  it('uses the log group when there is no resource name, without empty parentheses', () => {
    const {
      resourceName: _,
      instance: __,
      ...rest
    } = makeIncident({ resourceType: 'Unknown', logGroup: '/aws/sagemaker/X' });
    expect(formatEmailSubject(rest)).toBe('[sagewatch][critical] cuda_oom in Unknown /aws/sagemaker/X');
  });

  it('stays under 100 characters without line breaks or control characters', () => {
    const subject = formatEmailSubject(
      makeIncident({ resourceName: `job\r\nwith\u0007breaks\u2028${'n'.repeat(200)}` }),
    );
    expect(subject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX_CHARS);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  });
});

describe('formatEmail', () => {
  it('writes what, where, how often, the log lines, the link and the fingerprint', () => {
    const { subject, body } = formatEmail(makeIncident({ region: 'us-east-1', accountId: '123456789012' }));
    expect(subject).toBe('[sagewatch][critical] cuda_oom in TrainingJob my-job (algo-3)');
    for (const part of [
      'CUDA out of memory in training job my-job (algo-3)',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
      'Severity:    critical',
      'Category:    cuda_oom',
      'Resource:    training job my-job',
      'Instance:    algo-3',
      'Host:        my-job/algo-3',
      'Log group:   /aws/sagemaker/TrainingJobs',
      'Log stream:  my-job/algo-3-1710913851',
      'Account:     123456789012',
      'Region:      us-east-1',
      `Occurrences: 2 in this log batch (first ${new Date(T0).toISOString()}, last ${new Date(T0 + 2_000).toISOString()})`,
      '    Traceback (most recent call last):',
      '        loss.backward()',
      'Open the log stream:\nhttps://us-east-1.console.aws.amazon.com/',
      'Fingerprint: 0123456789abcdef (incident schema v1)',
    ]) {
      expect(body).toContain(part);
    }
    expect(body).not.toContain('Container:');
    expect(body).not.toContain('Suppressed:');
    expect(body).not.toContain('Note:');
  });

  it('mentions suppressed occurrences, an open traceback and the container when there are some', () => {
    const { consoleUrl: _, ...incident } = makeIncident({
      suppressedBefore: 4,
      truncated: true,
      container: 'model-a',
    });
    const { body } = formatEmail(incident);
    expect(body).toContain('Suppressed:  4 earlier occurrence(s) within the alert window');
    expect(body).toContain('Note: the error was still being written when this log batch ended');
    expect(body).toContain('Container:   model-a');
    expect(body).not.toContain('Open the log stream');
  });

  it('keeps the body within its byte limit by cutting the log lines, keeping the last one', () => {
    const context = [
      ...Array.from({ length: 2_000 }, (_, i) => `frame ${i} ${'é'.repeat(200)}`),
      'FinalError: the end',
    ];
    const { body } = formatEmail(makeIncident({ context }));
    expect(sizeOf(body, 'bytes')).toBeLessThanOrEqual(EMAIL_BODY_MAX_BYTES);
    expect(body).toContain('    FinalError: the end');
    expect(body).toContain('lines omitted');
  });

  it('honours a smaller limit, even when the fixed part alone is too big', () => {
    const { body } = formatEmail(makeIncident({ headline: 'h'.repeat(5_000) }), { maxBodyBytes: 1_000 });
    expect(sizeOf(body, 'bytes')).toBeLessThanOrEqual(1_000);
  });

  it('scrubs secrets that reached the incident', () => {
    const { body } = formatEmail(
      makeIncident({ context: ['password=hunter2'], headline: 'AKIAIOSFODNN7EXAMPLE' }),
    );
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
