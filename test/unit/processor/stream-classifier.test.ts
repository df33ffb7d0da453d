import { describe, expect, it } from 'vitest';
import { parseLogSource } from '../../../lib/log-source.ts';
import { parseOperatorRules } from '../../../lib/operator-rules/index.ts';
import { createStreamClassifiers } from '../../../lib/processor/stream-classifier.ts';

const ENDPOINT = parseLogSource('/aws/sagemaker/Endpoints/fraud-prod', 'AllTraffic/i-0a1b2c3d4e5f60718');
const TRAINING = parseLogSource('/aws/sagemaker/TrainingJobs', 'llama-ft/algo-1-1764148442');

describe('createStreamClassifiers', () => {
  it('classifies with the stream as context', () => {
    const classifierFor = createStreamClassifiers({ metricDefinitions: [] });
    // A traceback frame is structure, not the error, in a stream.
    expect(classifierFor(TRAINING)('  File "/opt/ml/code/train.py", line 3, in <module>')).toMatchObject({
      severity: 'info',
    });
    // A failure named only by words is the request's in an endpoint, the script's in a job.
    expect(classifierFor(TRAINING)('Failed to process the request').category).toBe('user_script_error');
    expect(classifierFor(ENDPOINT)('Failed to process the request')).toMatchObject({
      severity: 'error',
      category: 'invocation_error',
    });
  });

  it('tries the custom rules in scope of the stream first, and only those', () => {
    const operatorRules = parseOperatorRules(
      JSON.stringify({
        version: 1,
        rules: [
          {
            id: 'fraud-timeouts',
            pattern: 'feature store slow',
            severity: 'error',
            category: 'timeout',
            scope: { resourceType: 'Endpoint', resourceName: 'fraud-*' },
          },
        ],
      }),
      'test',
    );
    const classifierFor = createStreamClassifiers({ metricDefinitions: [], operatorRules });
    expect(classifierFor(ENDPOINT)('feature store slow again')).toMatchObject({
      severity: 'error',
      category: 'timeout',
      ruleId: 'custom/fraud-timeouts',
    });
    expect(classifierFor(TRAINING)('feature store slow again').ruleId).not.toBe('custom/fraud-timeouts');
  });
});
