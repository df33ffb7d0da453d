import { describe, expect, it } from 'vitest';
import {
  compileNamePattern,
  findMatchingPattern,
  isNamePattern,
  type NamePattern,
} from '../../../lib/subscriptions/patterns.ts';

function compiled(source: string): NamePattern {
  const result = compileNamePattern(source);
  if (!isNamePattern(result)) throw new Error(`expected a pattern: ${result.problem}`);
  return result;
}

describe('compileNamePattern (globs)', () => {
  it('lets * run across slashes, so the default covers endpoint groups', () => {
    const pattern = compiled('/aws/sagemaker/*');
    expect(pattern.regex.test('/aws/sagemaker/Endpoints/churn-xgb-prod')).toBe(true);
    expect(pattern.regex.test('/aws/sagemaker/TrainingJobs')).toBe(true);
    expect(pattern.regex.test('/aws/lambda/sagewatch-dev-process-logs')).toBe(false);
  });

  it('matches the whole name, not a part of it', () => {
    expect(compiled('/aws/sagemaker/TrainingJobs').regex.test('/aws/sagemaker/TrainingJobs-old')).toBe(false);
    expect(compiled('*Jobs').regex.test('/aws/sagemaker/TrainingJobs')).toBe(true);
  });

  it('treats ? as one character and regex metacharacters as literals', () => {
    expect(compiled('/aws/sagemaker/Endpoints/ep-?').regex.test('/aws/sagemaker/Endpoints/ep-1')).toBe(true);
    expect(compiled('/aws/sagemaker/Endpoints/ep-?').regex.test('/aws/sagemaker/Endpoints/ep-12')).toBe(
      false,
    );
    expect(compiled('/a.b').regex.test('/aXb')).toBe(false);
    expect(compiled('/a.b').regex.test('/a.b')).toBe(true);
  });

  it('is case-sensitive, as log group names are', () => {
    expect(compiled('/aws/sagemaker/endpoints/*').regex.test('/aws/sagemaker/Endpoints/x')).toBe(false);
  });
});

describe('compileNamePattern (regular expressions)', () => {
  it('uses the text after re: as written, unanchored', () => {
    const pattern = compiled('re:Endpoints/(staging|dev)-');
    expect(pattern.source).toBe('re:Endpoints/(staging|dev)-');
    expect(pattern.regex.test('/aws/sagemaker/Endpoints/dev-churn')).toBe(true);
    expect(pattern.regex.test('/aws/sagemaker/Endpoints/prod-churn')).toBe(false);
  });

  it('returns a problem, not an exception, for a bad or empty expression', () => {
    const bad = compileNamePattern('re:([');
    expect(isNamePattern(bad)).toBe(false);
    expect(bad).toMatchObject({ source: 're:([', problem: expect.stringMatching(/./) });
    expect(compileNamePattern('re:')).toEqual({ source: 're:', problem: 'empty regular expression' });
  });
});

describe('findMatchingPattern', () => {
  it('returns the first pattern that matches, or undefined', () => {
    const patterns = [compiled('/aws/sagemaker/TrainingJobs'), compiled('/aws/sagemaker/*')];
    expect(findMatchingPattern('/aws/sagemaker/TrainingJobs', patterns)?.source).toBe(
      '/aws/sagemaker/TrainingJobs',
    );
    expect(findMatchingPattern('/aws/sagemaker/studio', patterns)?.source).toBe('/aws/sagemaker/*');
    expect(findMatchingPattern('/aws/lambda/x', patterns)).toBeUndefined();
  });
});
