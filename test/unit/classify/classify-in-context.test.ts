import { describe, expect, it } from 'vitest';
import {
  classifyInContext,
  contextCategory,
  createContextClassifier,
  TRACEBACK_STRUCTURE_RULE_ID,
} from '../../../lib/classify/classify-in-context.ts';
import { classifyMessage } from '../../../lib/classify/index.ts';

describe('classifyInContext', () => {
  it('names a generic failure by where it happened', () => {
    const message = 'batch 7 could not be scored by the handler';
    expect(classifyMessage(message).category).toBe('python_exception');
    expect(classifyInContext(message, { resourceType: 'Endpoint' }).category).toBe('invocation_error');
    // Said so, for the grouping: such a category tells where, not what.
    expect(classifyInContext(message, { resourceType: 'Endpoint' }).categoryFrom).toBe('context');
    expect(classifyMessage(message).categoryFrom).toBeUndefined();
    expect(classifyInContext(message, { resourceType: 'TrainingJob' }).category).toBe('user_script_error');
    expect(classifyInContext(message, { resourceType: 'TransformJob', channel: 'data-log' }).category).toBe(
      'invocation_error',
    );
    expect(classifyInContext(message, { resourceType: 'NotebookInstance' }).category).toBe(
      'python_exception',
    );
    expect(classifyInContext(message).category).toBe('python_exception');
  });

  it('keeps a named exception and a specific rule whatever the context', () => {
    expect(classifyInContext('KeyError: missing column', { resourceType: 'Endpoint' }).category).toBe(
      'python_exception',
    );
    expect(
      classifyInContext('RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB', {
        resourceType: 'Endpoint',
      }).category,
    ).toBe('cuda_oom');
  });

  it('reads traceback structure as info in a stream, where classifyMessage reports an error', () => {
    const frame = '  File "/srv/app/train.py", line 40, in run';
    expect(classifyMessage(frame).severity).toBe('error');
    expect(classifyInContext(frame, { resourceType: 'TrainingJob' })).toMatchObject({
      severity: 'info',
      category: 'none',
      ruleId: TRACEBACK_STRUCTURE_RULE_ID,
    });
  });

  it('keeps the category a specific rule gives a frame, for the traceback it belongs to', () => {
    const frame = '  File "/opt/conda/lib/python3.10/site-packages/ts/model_loader.py", line 81, in load';
    const line = classifyMessage(frame);
    const inStream = classifyInContext(frame, { resourceType: 'Endpoint' });
    expect(inStream.severity).toBe('info');
    expect(inStream.category).toBe(line.category);
  });

  it('never throws and passes non-errors through', () => {
    expect(classifyInContext('epoch 1 loss=0.5', { resourceType: 'TrainingJob' }).metrics).toEqual({
      epoch: 1,
      loss: 0.5,
    });
    expect(createContextClassifier()(undefined as unknown as string)).toEqual({
      severity: 'info',
      category: 'none',
    });
  });
});

describe('contextCategory', () => {
  it('has nothing to say without a context or for a resource without a generic failure kind', () => {
    expect(contextCategory(undefined)).toBeUndefined();
    expect(contextCategory({})).toBeUndefined();
    expect(contextCategory({ resourceType: 'Unknown' })).toBeUndefined();
  });
});
