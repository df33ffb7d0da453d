import { describe, expect, it } from 'vitest';
import {
  classifyGenerally,
  GENERAL_RULE_IDS,
  hintCategory,
  isTracebackStructure,
} from '../../../lib/classify/general-tier.ts';
import { classifyMessage, normalizeMessage } from '../../../lib/classify/index.ts';

function generally(message: string) {
  const normalized = normalizeMessage(message);
  return classifyGenerally(normalized.lines, normalized.level, normalized.text);
}

describe('classifyGenerally', () => {
  it.each([
    ['srun: error: gpu-node-4: tasks 0-7: Exited with exit code 1', 'nccl'],
    ['[12:00:01] src/tree/updater.cc:88: Check failed: n_nodes > 0 (0 vs. 0)', 'python_exception'],
    ['Process received signal *** on worker-9', 'python_exception'],
    ['curl: (52) Empty reply from server while calling the model', 'invocation_error'],
    ['tar: Child returned status 2 while unpacking weights', 'python_exception'],
    ['Executor app-1/3 removed: Command exited with code 1', 'worker_died'],
    ['Unable to open the configuration at /etc/app.yaml', 'python_exception'],
    ['  error: subprocess-exited-with-error', 'python_exception'],
    ['Aborted', 'python_exception'],
    ['  "errorType": "ModelError",', 'invocation_error'],
  ])('decides %j as an error of %s, with the words that decided', (message, category) => {
    const decision = generally(message);
    expect(decision?.severity).toBe('error');
    expect(decision?.category).toBe(category);
    expect(decision?.ruleId).toBe(GENERAL_RULE_IDS.failureWords);
    expect(decision?.evidence).toBeTruthy();
  });

  it('names an exception class of any language, also with an HTTP status after it', () => {
    for (const message of [
      'my_client.errors.GatewayRejectedError: 401 Client Error: Unauthorized for url: https://example.org/x',
      'com.example.store.BlobFetchException: 503 from upstream',
    ]) {
      const decision = generally(message);
      expect(decision).toMatchObject({ severity: 'error', ruleId: GENERAL_RULE_IDS.exceptionName });
    }
  });

  it.each([
    'Tests: 12 passed, 0 failed',
    'summary failures=0 errors=0',
    'Connection to cache failed, retrying in 5 s',
    'Upload of part 3 failed at first, then succeeded',
    'test_download_fails_on_missing_bucket PASSED',
    'Use --fail-fast to stop at the first failure',
    'optional.conf not found, using default settings',
    'compile step finished with no errors',
  ])('leaves the benign %j to the level', (message) => {
    expect(generally(message)).toBeUndefined();
  });

  it('makes a failure logged at WARNING a warning', () => {
    expect(generally('WARNING: Unable to reach the metrics sidecar')).toMatchObject({
      severity: 'warning',
      category: 'none',
    });
  });

  it('confirms an ERROR-level line by its words, and leaves an ERROR line without them', () => {
    expect(generally('ERROR: the sidecar terminated unexpectedly')).toMatchObject({ severity: 'error' });
    expect(generally('ERROR: mode set to verbose')).toBeUndefined();
  });

  it('is reached through classifyMessage when no specific rule matched', () => {
    expect(classifyMessage('tokenizer step 4 could not parse the vocabulary file')).toMatchObject({
      severity: 'error',
      ruleId: GENERAL_RULE_IDS.failureWords,
      evidence: 'could not parse',
    });
  });
});

describe('isTracebackStructure', () => {
  it.each([
    ['  File "/srv/app/main.py", line 12, in handler'],
    ['Traceback (most recent call last):'],
    ['(Worker pid=42)   File "/srv/app/main.py", line 12, in handler'],
    ['\tat com.example.Server.handle(Server.java:120) ~[server.jar:?]'],
    ['    raise LookupError(key)'],
    ['The above exception was the direct cause of the following exception:'],
  ])('recognises %j', (line) => {
    expect(isTracebackStructure([line])).toBe(true);
  });

  it('does not take an exception line or an empty message for structure', () => {
    expect(isTracebackStructure(['LookupError: key'])).toBe(false);
    expect(isTracebackStructure(['', '  '])).toBe(false);
  });
});

describe('hintCategory', () => {
  it('reads the kind of failure from the words, most specific first', () => {
    expect(hintCategory('mpirun noticed that a rank exited')).toBe('nccl');
    expect(hintCategory('SavedModel file does not exist at: /models/1')).toBe('model_load_failure');
    expect(hintCategory('nothing in particular')).toBeUndefined();
  });
});
