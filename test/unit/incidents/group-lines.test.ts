import { describe, expect, it } from 'vitest';
import {
  type GroupingLine,
  groupLines,
  isExceptionLine,
  LEAD_IN_MAX_GAP_MS,
  MAX_GROUP_LINES,
  MAX_INTERLEAVED_LINES,
} from '../../../lib/incidents/group-lines.ts';
import { normaliseLine } from '../../../lib/incidents/normalise-line.ts';
import { classified, type Line } from './build.ts';

/** Groups one-line events; an error line outside a structure is a signal. */
function group(lines: readonly Line[], stepMs = 5) {
  const events = classified(lines, undefined, stepMs);
  const grouping: GroupingLine[] = events.map(({ event, classification }, i) => ({
    ...normaliseLine(event.message),
    event: i,
    timestamp: event.timestamp,
    severity: classification.severity,
  }));
  return groupLines(grouping, (i) => events[i]?.classification.severity === 'error');
}

const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 42, in <module>',
  '    main()',
  '  File "/opt/ml/code/train.py", line 30, in main',
  '    loss.backward()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
];

describe('isExceptionLine', () => {
  it.each([
    'ValueError: bad',
    'torch.OutOfMemoryError: CUDA out of memory.',
    'RuntimeError:',
    'KeyboardInterrupt',
    'jinja2.exceptions.TemplateNotFound: index.html',
    'java.lang.IllegalStateException: closed',
  ])('accepts %s', (text) => {
    expect(isExceptionLine(text)).toBe(true);
  });

  it.each([
    'INFO: started',
    'WARNING: low disk',
    'Warning: Permanently added',
    'loss: 0.5',
    'Done',
    'epoch 3',
  ])('rejects %s', (text) => {
    expect(isExceptionLine(text)).toBe(false);
  });
});

describe('groupLines: Python tracebacks', () => {
  it('lends an open traceback no lines of a multi-line event it passed over as foreign', () => {
    // A traceback cut mid-frames, then one log event of several lines (a JSON error body), then
    // more frames: the event's indented JSON lines are not the traceback's code lines.
    const events = [
      ['Traceback (most recent call last):'],
      ['  File "/opt/ml/code/train.py", line 198, in main'],
      ['Received client error (400) ', 'from primary with message "{', '  "code": 400,', '}'],
      ['  File "/opt/ml/code/model.py", line 12, in forward'],
    ];
    const lines: GroupingLine[] = events.flatMap((texts, event) =>
      texts.map((text) => ({
        ...normaliseLine(text),
        event,
        timestamp: event * 5,
        severity: 'error' as const,
      })),
    );
    const groups = groupLines(lines, (i) => lines[i]?.event === 2);
    expect(groups.map((g) => [g.kind, g.lines])).toEqual([
      ['python_traceback', [0, 1, 6]],
      ['line', [2, 3, 4, 5]],
    ]);
    expect(groups[1]?.headline).toBe(
      'Received client error (400) from primary with message "{ "code": 400, }',
    );
  });

  it('groups a traceback from its first line to its exception line', () => {
    const groups = group(['epoch 1 loss=0.5', ...TRACEBACK, 'next line']);
    expect(groups).toEqual([
      { kind: 'python_traceback', lines: [1, 2, 3, 4, 5, 6], headlineLine: 6, complete: true },
    ]);
  });

  it('recognises frames written with #011 escapes', () => {
    const groups = group([
      'Traceback (most recent call last):',
      '#011File "/opt/ml/code/train.py", line 42, in <module>',
      '#011#011main()',
      '#011File "/opt/ml/code/train.py", line 30, in main',
      '#011#011loss.backward()',
      'ValueError: bad',
    ]);
    expect(groups).toMatchObject([{ lines: [0, 1, 2, 3, 4, 5], headlineLine: 5, complete: true }]);
  });

  it('keeps chained exceptions in one group and takes the last exception as the headline', () => {
    const groups = group([
      'Traceback (most recent call last):',
      '  File "train.py", line 10, in load',
      '    return data["label"]',
      "KeyError: 'label'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "train.py", line 20, in <module>',
      '    load()',
      'ValueError: bad dataset',
      'The above exception was the direct cause of the following exception:',
      'Traceback (most recent call last):',
      '  File "train.py", line 30, in <module>',
      'RuntimeError: training failed',
      'INFO done',
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ headlineLine: 14, complete: true });
    expect(groups[0]?.lines).toEqual([0, 1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('leaves interleaved benign lines out of the group', () => {
    const groups = group([
      TRACEBACK[0] as string,
      TRACEBACK[1] as string,
      '2024-03-20 05:50:51,100 INFO other thread: checkpoint saved',
      '[0]#011train-rmse:8.09',
      ...TRACEBACK.slice(2),
    ]);
    expect(groups).toMatchObject([{ lines: [0, 1, 4, 5, 6, 7], headlineLine: 7, complete: true }]);
  });

  it('turns an interleaved error line into its own group', () => {
    const groups = group([
      ...TRACEBACK.slice(0, 3),
      ['2024-03-20 05:50:51,100 ERROR botocore: throttled', 'error', 'throttling'],
      ...TRACEBACK.slice(3),
    ]);
    expect(groups.map((g) => [g.kind, g.lines])).toEqual([
      ['python_traceback', [0, 1, 2, 4, 5, 6]],
      ['line', [3]],
    ]);
  });

  it('keeps indented lines after the exception as part of its message', () => {
    const groups = group([
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      'RuntimeError: Error(s) in loading state_dict for Net:',
      '#011Missing key(s) in state_dict: "fc.weight".',
      'INFO next',
    ]);
    expect(groups).toMatchObject([{ lines: [0, 1, 2, 3], headlineLine: 2 }]);
  });

  it('joins a bare exception name with its message on the next line', () => {
    const groups = group([
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      'RuntimeError:',
      '  CUDA out of memory.',
    ]);
    expect(groups[0]?.headline).toBe('RuntimeError: CUDA out of memory.');
  });

  it('tolerates a foreign line between a chain marker and the next traceback', () => {
    const groups = group([
      ...TRACEBACK,
      'During handling of the above exception, another exception occurred:',
      'INFO heartbeat',
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in f',
      'ValueError: second',
    ]);
    expect(groups).toMatchObject([
      { lines: [0, 1, 2, 3, 4, 5, 6, 8, 9, 10], headlineLine: 10, complete: true },
    ]);
  });

  it('keeps a bare exception name as the headline when nothing follows it', () => {
    const groups = group([
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in f',
      'KeyboardInterrupt:',
    ]);
    expect(groups).toEqual([{ kind: 'python_traceback', lines: [0, 1, 2], headlineLine: 2, complete: true }]);
  });

  it('emits a traceback cut at the end of the delivery as incomplete, headline its deepest frame', () => {
    const groups = group(['INFO start', ...TRACEBACK.slice(0, 5)]);
    expect(groups).toEqual([
      { kind: 'python_traceback', lines: [1, 2, 3, 4, 5], headlineLine: 4, complete: false, cutAtEnd: true },
    ]);
    expect(group(['INFO start', 'Traceback (most recent call last):'])).toEqual([
      { kind: 'python_traceback', lines: [1], headlineLine: 1, complete: false, cutAtEnd: true },
    ]);
  });

  it('emits a traceback cut after a chain marker as incomplete', () => {
    const groups = group([
      ...TRACEBACK,
      'During handling of the above exception, another exception occurred:',
    ]);
    // Incomplete, but the exception seen so far says more than the marker.
    expect(groups).toMatchObject([{ complete: false, headlineLine: 5, lines: [0, 1, 2, 3, 4, 5, 6] }]);
  });

  it('treats frames at the very start of a delivery as the rest of a cut traceback', () => {
    const groups = group([...TRACEBACK.slice(3), 'INFO after']);
    expect(groups).toEqual([{ kind: 'python_traceback', lines: [0, 1, 2], headlineLine: 2, complete: true }]);
  });

  it('does not start a traceback at a lone frame in the middle of a delivery', () => {
    expect(group(['INFO start', '  File "x.py", line 3, in f', 'INFO end'])).toEqual([]);
  });

  it('gives up a traceback drowned in foreign lines, and groups what follows afresh', () => {
    const foreign = Array.from({ length: MAX_INTERLEAVED_LINES + 1 }, (_, i) => `step ${i}`);
    const groups = group([...TRACEBACK.slice(0, 2), ...foreign, ['ERROR later', 'error', 'none']]);
    expect(groups).toEqual([
      { kind: 'python_traceback', lines: [0, 1], headlineLine: 1, complete: false },
      { kind: 'line', lines: [13], headlineLine: 13, complete: true },
    ]);
  });

  it('closes a structure at the line limit and leaves the rest alone', () => {
    const frames = Array.from({ length: MAX_GROUP_LINES + 20 }, (_, i) => `  File "x.py", line ${i}, in f`);
    const groups = group(['Traceback (most recent call last):', ...frames, 'ValueError: deep']);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.lines).toHaveLength(MAX_GROUP_LINES);
    expect(groups[0]?.complete).toBe(false);
  });

  it('groups a traceback forwarded by TorchServe worker stderr', () => {
    const p = '2024-03-20T05:50:51,53';
    const groups = group([
      `${p}0 [WARN ] W-9000-model_1.0-stderr MODEL_LOG - Traceback (most recent call last):`,
      `${p}1 [WARN ] W-9000-model_1.0-stderr MODEL_LOG -   File "/opt/ts/model_service_worker.py", line 253, in <module>`,
      `${p}1 [INFO ] W-9000-model_1.0-stdout MODEL_LOG - loading model`,
      `${p}1 [WARN ] W-9000-model_1.0-stderr MODEL_LOG -     worker.run_server()`,
      `${p}2 [WARN ] W-9000-model_1.0-stderr MODEL_LOG - ModuleNotFoundError: No module named 'transformers'`,
    ]);
    expect(groups).toMatchObject([
      { kind: 'python_traceback', lines: [0, 1, 3, 4], headlineLine: 4, complete: true },
    ]);
  });

  it('keeps the tracebacks of interleaved MPI ranks apart', () => {
    const rank = (r: number, text: string) => `[1,mpirank:${r},algo-${r + 1}]<stderr>:${text}`;
    const groups = group([
      rank(0, 'Traceback (most recent call last):'),
      rank(1, 'Traceback (most recent call last):'),
      rank(0, '  File "train.py", line 3, in <module>'),
      rank(1, '  File "train.py", line 3, in <module>'),
      rank(1, 'ValueError: rank 1'),
      rank(0, 'ValueError: rank 0'),
    ]);
    expect(groups.map((g) => [g.lines, g.headlineLine])).toEqual([
      [[0, 2, 5], 5],
      [[1, 3, 4], 4],
    ]);
  });
});

describe('groupLines: lead-in lines', () => {
  it('takes an error line just before a traceback as its lead-in (logger.exception)', () => {
    const groups = group([
      ['ERROR:root:Failed to load the model', 'error', 'model_load_failure'],
      ...TRACEBACK,
    ]);
    expect(groups).toMatchObject([{ lines: [0, 1, 2, 3, 4, 5, 6], headlineLine: 6 }]);
  });

  it('takes a line ending with a colon as lead-in even when it is not an error', () => {
    const groups = group([
      '2020-08-25 20:00:05,420 sagemaker-training-toolkit ERROR    framework error: ',
      ...TRACEBACK,
    ]);
    expect(groups[0]?.lines[0]).toBe(0);
  });

  it('does not take a line written long before, nor an ordinary info line', () => {
    expect(
      group([['ERROR:root:Failed', 'error', 'none'], ...TRACEBACK], LEAD_IN_MAX_GAP_MS + 1),
    ).toMatchObject([
      { kind: 'line', lines: [0] },
      { kind: 'python_traceback', lines: [1, 2, 3, 4, 5, 6] },
    ]);
    expect(group(['INFO: epoch 3 done', ...TRACEBACK])[0]?.lines[0]).toBe(1);
    expect(group(['   ', ...TRACEBACK])[0]?.lines[0]).toBe(1);
  });
});

describe('groupLines: Java stack traces', () => {
  const JAVA = [
    [
      '2021-02-25 16:56:24,230 [ERROR] W-9000-densenet161_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker error',
      'error',
      'worker_died',
    ],
    'org.pytorch.serve.wlm.WorkerInitializationException: Backend worker did not respond in given time',
    '#011at org.pytorch.serve.wlm.WorkerThread.run(WorkerThread.java:199)',
    '#011at java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1128)',
    'Caused by: java.net.SocketTimeoutException: Read timed out',
    '#011at java.base/java.net.SocketInputStream.socketRead0(Native Method)',
    '#011... 3 more',
    '2021-02-25 16:56:24,240 [INFO ] main org.pytorch.serve.ModelServer - Model server started.',
  ] as const satisfies readonly Line[];

  it('groups the exception line, its lead-in, frames and causes; the last cause is the headline', () => {
    const groups = group(JAVA);
    expect(groups).toEqual([
      {
        kind: 'java_stack',
        lines: [0, 1, 2, 3, 4, 5, 6],
        headlineLine: 4,
        headline: 'java.net.SocketTimeoutException: Read timed out',
        complete: true,
      },
    ]);
  });

  it('takes the exception line as headline when there is no cause', () => {
    const groups = group(JAVA.slice(1, 4));
    expect(groups).toMatchObject([{ lines: [0, 1, 2], headlineLine: 0, headline: JAVA[1] }]);
  });

  it('starts at the frame itself when no exception line precedes it', () => {
    expect(group(['#011at a.b.C.d(C.java:1)', '#011at a.b.C.e(C.java:2)'])).toMatchObject([
      { kind: 'java_stack', lines: [0, 1], headlineLine: 0 },
    ]);
    expect(group(['Caused by: x.Y: z', '#011at a.b.C.d(C.java:1)'])).toMatchObject([
      { lines: [0, 1], headlineLine: 0 },
    ]);
  });
});

describe('groupLines: the training toolkit ExecuteUserScriptError block', () => {
  it('groups the newer format and finds the exception inside ErrorMessage', () => {
    const groups = group([
      [
        '2022-05-19 09:52:15,272 sagemaker-training-toolkit ERROR    Reporting training FAILURE',
        'error',
        'user_script_error',
      ],
      [
        '2022-05-19 09:52:15,272 sagemaker-training-toolkit ERROR    ExecuteUserScriptError:',
        'error',
        'user_script_error',
      ],
      'ExitCode 1',
      'ErrorMessage "RuntimeError:',
      ' CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)"',
      'Command "/opt/conda/bin/python3.8 train.py --epochs 3"',
      '2022-05-19 09:52:15,273 sagemaker-training-toolkit ERROR    Encountered exit_code 1',
    ]);
    expect(groups[0]).toEqual({
      kind: 'toolkit_error',
      lines: [0, 1, 2, 3, 4, 5],
      headlineLine: 3,
      headline:
        'RuntimeError: CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)',
      complete: true,
    });
  });

  it('groups the older format (Command only); the headline names the error', () => {
    const groups = group([
      '2019-02-25 17:22:36,331 sagemaker-containers ERROR ExecuteUserScriptError:',
      'Command "/usr/bin/python -m rnn --batch-size 256 --epochs 2"',
      'INFO next',
    ]);
    expect(groups).toMatchObject([{ lines: [0, 1], headlineLine: 0, headline: 'ExecuteUserScriptError:' }]);
  });

  it('uses the exit code when there is no message', () => {
    const groups = group(['ExecuteUserScriptError:', '', 'ExitCode 137']);
    expect(groups[0]?.headline).toBe('ExecuteUserScriptError: ExitCode 137');
  });

  it('uses the last message line when the message holds no exception line', () => {
    const groups = group([
      'ExecuteUserScriptError:',
      'ExitCode 2',
      'ErrorMessage "usage: train.py [-h]',
      'train.py: error: bad args"',
    ]);
    expect(groups[0]).toMatchObject({ headlineLine: 3, headline: 'train.py: error: bad args' });
  });

  it('reads a one-line message and an empty one', () => {
    expect(group(['ExecuteUserScriptError:', 'ErrorMessage "ValueError: bad"'])[0]?.headline).toBe(
      'ValueError: bad',
    );
    expect(group(['ExecuteUserScriptError:', 'ErrorMessage ""', 'ExitCode 1'])[0]?.headline).toBe(
      'ExecuteUserScriptError: ExitCode 1',
    );
  });

  it('follows a message and a command that span several lines', () => {
    const groups = group([
      'ExecuteUserScriptError:',
      'ExitCode 1',
      'ErrorMessage "Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      'ValueError: bad value',
      '"',
      'Command "/opt/conda/bin/python3.8 train.py',
      '--epochs 3"',
      'INFO after',
    ]);
    expect(groups).toMatchObject([
      {
        kind: 'toolkit_error',
        lines: [0, 1, 2, 3, 4, 5, 6, 7],
        headlineLine: 4,
        headline: 'ValueError: bad value',
      },
    ]);
  });

  it('emits a block whose message is still open at the end as incomplete', () => {
    const groups = group([
      'ExecuteUserScriptError:',
      'ExitCode 1',
      'ErrorMessage "Traceback (most recent call last):',
    ]);
    expect(groups).toMatchObject([{ kind: 'toolkit_error', lines: [0, 1, 2], complete: false }]);
  });
});

describe('groupLines: single lines', () => {
  it('makes each signal line outside a structure a group of its own, in order', () => {
    const groups = group([['boom', 'error', 'none'], 'fine', ...TRACEBACK, ['bang', 'error', 'none']]);
    expect(groups.map((g) => [g.kind, g.lines[0]])).toEqual([
      ['line', 0],
      ['python_traceback', 2],
      ['line', 8],
    ]);
  });

  it('keeps the lines of one multi-line event together, joined as the headline', () => {
    const grouping: GroupingLine[] = [
      'Received client error (400) ',
      'from primary with message "{',
      '}',
    ].map((text) => ({ ...normaliseLine(text), event: 0, timestamp: 0, severity: 'error' }));
    expect(groupLines(grouping, () => true)).toEqual([
      {
        kind: 'line',
        lines: [0, 1, 2],
        headlineLine: 0,
        headline: 'Received client error (400) from primary with message "{ }',
        complete: true,
      },
    ]);
  });
});
