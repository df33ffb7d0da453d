import { describe, expect, it } from 'vitest';
import { computeOccurrenceKey } from '../../../lib/incidents/fingerprint.ts';
import { omissionMarker, sizeOf } from '../../../lib/incidents/fit-lines.ts';
import {
  MAX_CONTEXT_BYTES,
  MAX_CONTEXT_LINES,
  MAX_HEADLINE_CHARS,
  toIncidents,
} from '../../../lib/incidents/to-incidents.ts';
import type { ClassifiedEvent } from '../../../lib/types.ts';
import { classified, ENDPOINT, T0, TRAINING } from './build.ts';

const OOM_LINE =
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity; 13.20 GiB already allocated)';

/** A real-looking traceback as CloudWatch delivers it: one event per line, frames with #011. */
const OOM_TRACEBACK = [
  ['Traceback (most recent call last):', 'error', 'python_exception'],
  '#011File "/opt/ml/code/train.py", line 212, in <module>',
  '#011#011main(args)',
  '#011File "/opt/ml/code/train.py", line 171, in main',
  '#011#011loss.backward()',
  '#011File "/opt/conda/lib/python3.10/site-packages/torch/_tensor.py", line 522, in backward',
  '#011#011torch.autograd.backward(',
  [OOM_LINE, 'error', 'cuda_oom'],
] as const;

describe('toIncidents: grouping', () => {
  it('makes one incident of a traceback split across events, with the most specific category', () => {
    const events = classified(['epoch 3 loss=0.41', ...OOM_TRACEBACK, 'epoch 4 loss=0.40']);
    const incidents = toIncidents(events, TRAINING, {
      consoleUrl: ({ startMs, endMs }) => `https://console.example/?start=${startMs}&end=${endMs}`,
      region: 'us-east-1',
      accountId: '123456789012',
    });
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({
      schemaVersion: 1,
      severity: 'critical',
      category: 'cuda_oom',
      title: 'CUDA out of memory in training job my-job (algo-3)',
      headline: OOM_LINE,
      resourceType: 'TrainingJob',
      resourceName: 'my-job',
      instance: 'algo-3',
      host: 'my-job/algo-3',
      logGroup: TRAINING.logGroup,
      logStream: TRAINING.logStream,
      region: 'us-east-1',
      accountId: '123456789012',
      count: 1,
      firstSeenMs: T0 + 5,
      lastSeenMs: T0 + 40,
      eventIds: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'],
      occurrenceKey: computeOccurrenceKey(TRAINING.logGroup, TRAINING.logStream, 'e1'),
      truncated: false,
      consoleUrl: `https://console.example/?start=${T0 + 5}&end=${T0 + 40}`,
    });
    expect(incident?.context).toEqual([
      'Traceback (most recent call last):',
      '\tFile "/opt/ml/code/train.py", line 212, in <module>',
      '\t\tmain(args)',
      '\tFile "/opt/ml/code/train.py", line 171, in main',
      '\t\tloss.backward()',
      '\tFile "/opt/conda/lib/python3.10/site-packages/torch/_tensor.py", line 522, in backward',
      '\t\ttorch.autograd.backward(',
      OOM_LINE,
    ]);
    expect(incident?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('returns nothing for a delivery without errors', () => {
    expect(toIncidents(classified(['epoch 1', ['deprecated', 'warning', 'none'], 'done']), TRAINING)).toEqual(
      [],
    );
    expect(toIncidents([], TRAINING)).toEqual([]);
  });

  // A structure can make an incident of lines none of which the classifier called an error (a
  // traceback is an error), or of a warning line and a line with a category (a Java stack).
  it.each([
    ['a traceback', ['Traceback (most recent call last):', 'ValueError: bad input']],
    ['a frame', ['  File "train.py", line 3, in <module>', 'ValueError: bad input']],
    ['the toolkit error', ['ExecuteUserScriptError:', 'ExitCode 1']],
    ['an escaped traceback', ['Trace#033[0mback (most recent call last):', 'ValueError: bad input']],
    ['a traceback with a control', ['Trace\u0007back (most recent call last):', 'ValueError: bad input']],
    [
      'a traceback in one event',
      ['epoch 1\nTrace#033[0mback (most recent call last):\nValueError: bad input'],
    ],
  ])('finds %s that no line was called an error for', (_kind, structure) => {
    // First in the delivery: a frame starts a traceback where its channel has no line before it.
    const events = classified([...structure, 'epoch 2 loss 0.4']);
    expect(toIncidents(events, TRAINING).map((incident) => incident.severity)).not.toEqual([]);
  });

  it.each([
    ['Caused by: java.io.IOException: a', 'Caused by: java.io.IOException: b'],
    ['Suppressed: java.io.IOException: a', 'Suppressed: java.io.IOException: b'],
    ['\t... 3 more', '\t... 4 more'],
    ['\tat a.B.c(B.java:1)', '\tat d.E.f(E.java:2)'],
    ['#011at a.B.c(B.java:1)', '#011at d.E.f(E.java:2)'],
  ])('finds a Java stack of a warning and a categorised line: %j', (first, second) => {
    // Frames carry no verdict (docs/labelling.md): the head or a `Caused by:` line does.
    const isFrame = !first.includes(': ');
    const events = classified([
      'epoch 1',
      isFrame ? ['java.util.concurrent.TimeoutException: slow', 'warning', 'timeout'] : 'epoch 1b',
      [first, 'warning', 'none'],
      [second, 'info', isFrame ? 'worker_died' : 'timeout'],
      'epoch 2',
    ]);
    expect(toIncidents(events, TRAINING)).toMatchObject([{ severity: 'warning', category: 'timeout' }]);
  });

  it('finds nothing in a healthy delivery', () => {
    const healthy = classified([
      'epoch 1 loss 0.5',
      'Saving model at step 100',
      ['deprecated', 'warning', 'none'],
      ['looks like a category', 'info', 'timeout'],
    ]);
    expect(toIncidents(healthy, TRAINING)).toEqual([]);
  });

  it('keeps chained exceptions in one incident titled by the last exception', () => {
    const events = classified([
      'Traceback (most recent call last):',
      '  File "train.py", line 10, in load',
      "KeyError: 'label'",
      'During handling of the above exception, another exception occurred:',
      'Traceback (most recent call last):',
      '  File "train.py", line 20, in <module>',
      ['ValueError: bad dataset', 'error', 'python_exception'],
    ]);
    const [incident] = toIncidents(events, TRAINING);
    expect(incident).toMatchObject({
      category: 'python_exception',
      severity: 'error',
      headline: 'ValueError: bad dataset',
      title: 'ValueError in training job my-job (algo-3)',
    });
    expect(incident?.context).toContain("KeyError: 'label'");
  });

  it('leaves interleaved benign lines out of the context and the event ids', () => {
    const events = classified([
      ...OOM_TRACEBACK.slice(0, 3),
      'INFO checkpoint saved',
      ...OOM_TRACEBACK.slice(3),
    ]);
    const [incident] = toIncidents(events, TRAINING);
    expect(incident?.context).not.toContain('INFO checkpoint saved');
    expect(incident?.eventIds).not.toContain('e3');
    expect(incident?.eventIds).toHaveLength(8);
  });

  it('rates a Java stack trace of a dying TorchServe worker as critical on an endpoint', () => {
    const events = classified([
      [
        '2021-02-25 16:56:24,230 [ERROR] W-9000-densenet161_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker error',
        'error',
        'worker_died',
      ],
      'org.pytorch.serve.wlm.WorkerInitializationException: Backend worker did not respond in given time',
      '#011at org.pytorch.serve.wlm.WorkerThread.run(WorkerThread.java:199)',
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '#011... 3 more',
    ]);
    const [incident] = toIncidents(events, ENDPOINT);
    expect(incident).toMatchObject({
      severity: 'critical',
      category: 'worker_died',
      headline: 'java.net.SocketTimeoutException: Read timed out',
      title: 'Model server worker died in endpoint my-endpoint (AllTraffic/i-0abc123def4567890)',
      variantName: 'AllTraffic',
    });
    expect(incident?.context).toHaveLength(5);
  });

  it('drops a Java stack trace that no line calls an error (a debug dump)', () => {
    const events = classified(['java.lang.InterruptedException', '#011at a.b.C.d(C.java:1)']);
    expect(toIncidents(events, ENDPOINT)).toEqual([]);
  });

  it('rates the toolkit failure block critical, with the category of the message inside', () => {
    const events = classified([
      [
        '2022-05-19 09:52:15,272 sagemaker-training-toolkit ERROR    ExecuteUserScriptError:',
        'error',
        'user_script_error',
      ],
      'ExitCode 1',
      'ErrorMessage "RuntimeError:',
      [
        ' CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)"',
        'error',
        'cuda_oom',
      ],
      'Command "/opt/conda/bin/python3.8 train.py"',
    ]);
    const [incident] = toIncidents(events, TRAINING);
    expect(incident).toMatchObject({
      severity: 'critical',
      category: 'cuda_oom',
      headline:
        'RuntimeError: CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)',
    });
  });

  it('rates a toolkit block as a failed script even when the classifier saw nothing in it', () => {
    const events = classified(['ExecuteUserScriptError:', 'ExitCode 2', 'Command "python train.py"']);
    expect(toIncidents(events, TRAINING)[0]).toMatchObject({
      severity: 'critical',
      category: 'user_script_error',
      title: 'User script failed in training job my-job (algo-3)',
    });
  });

  it('counts a traceback and the toolkit block that repeats its exception as one failure', () => {
    const message = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';
    const events = classified([
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      [message, 'error', 'cuda_oom'],
      ['ExecuteUserScriptError:', 'error', 'user_script_error'],
      'ExitCode 1',
      [`ErrorMessage "${message}"`, 'error', 'cuda_oom'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      count: 2,
      category: 'cuda_oom',
      eventIds: ['e0', 'e1', 'e2', 'e3', 'e4', 'e5'],
    });
    expect(incidents[0]?.context[0]).toBe('Traceback (most recent call last):');
  });

  it('reads a traceback forwarded by TorchServe worker stderr, first line in full', () => {
    const p = '2024-03-20T05:50:51,53';
    const events = classified([
      `${p}0 [WARN ] W-9000-model_1.0-stderr MODEL_LOG - Traceback (most recent call last):`,
      `${p}1 [WARN ] W-9000-model_1.0-stderr MODEL_LOG -   File "/opt/ts/model_loader.py", line 94, in load`,
      `${p}1 [WARN ] W-9000-model_1.0-stderr MODEL_LOG -     module = importlib.import_module(name)`,
      [
        `${p}2 [WARN ] W-9000-model_1.0-stderr MODEL_LOG - ModuleNotFoundError: No module named 'transformers'`,
        'error',
        'import_error',
      ],
    ]);
    const [incident] = toIncidents(events, ENDPOINT);
    expect(incident).toMatchObject({
      category: 'import_error',
      severity: 'error',
      headline: "ModuleNotFoundError: No module named 'transformers'",
      context: [
        `${p}0 [WARN ] W-9000-model_1.0-stderr MODEL_LOG - Traceback (most recent call last):`,
        '  File "/opt/ts/model_loader.py", line 94, in load',
        '    module = importlib.import_module(name)',
        "ModuleNotFoundError: No module named 'transformers'",
      ],
    });
  });

  it('emits a traceback cut at the end of the delivery, flagged truncated, as an error', () => {
    const events = classified(['INFO start', ...OOM_TRACEBACK.slice(1, 5).map((line) => line as string)]);
    // Frames alone at the start of a delivery are the rest of an earlier traceback; here they
    // follow a line of the same stream, so only a Traceback line could start one.
    expect(toIncidents(events, TRAINING)).toEqual([]);
    const cut = classified([
      'INFO start',
      'Traceback (most recent call last):',
      '#011File "train.py", line 3, in f',
    ]);
    expect(toIncidents(cut, TRAINING)).toMatchObject([
      {
        truncated: true,
        severity: 'error',
        category: 'python_exception',
        // Never a bare frame (issue 13): where it was cut, said as such.
        headline: 'Python traceback cut before its exception line, last at File "train.py", line 3, in f',
        title: 'Python exception in training job my-job (algo-3)',
      },
    ]);
  });

  it('reads a whole traceback delivered as one multi-line event', () => {
    const message = [
      'Traceback (most recent call last):',
      '  File "app.py", line 9, in handler',
      'ValueError: bad input',
      '',
    ].join('\n');
    const incidents = toIncidents(classified([[message, 'error', 'python_exception']]), ENDPOINT);
    expect(incidents).toMatchObject([
      { headline: 'ValueError: bad input', eventIds: ['e0'], context: message.split('\n').slice(0, 3) },
    ]);
  });
});

describe('toIncidents: single lines, warnings and counting', () => {
  it('makes an error line outside any structure a one-line incident, headline without its timestamp', () => {
    const events = classified([
      ['2024-03-29 10:57:14,159 NCCL WARN NET/OFI Request completed with error', 'error', 'nccl'],
    ]);
    expect(toIncidents(events, TRAINING)).toMatchObject([
      {
        severity: 'critical',
        category: 'nccl',
        headline: 'NCCL WARN NET/OFI Request completed with error',
        context: ['2024-03-29 10:57:14,159 NCCL WARN NET/OFI Request completed with error'],
      },
    ]);
  });

  it('counts the same failure within one delivery once, with first and last seen', () => {
    const line = (n: number) => [`[${n}] WORKER TIMEOUT (pid:${300 + n})`, 'error', 'timeout'] as const;
    const incidents = toIncidents(classified([line(1), 'ok', line(2), line(3)], T0, 1_000), ENDPOINT);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      count: 3,
      firstSeenMs: T0,
      lastSeenMs: T0 + 3_000,
      eventIds: ['e0', 'e2', 'e3'],
      context: ['[1] WORKER TIMEOUT (pid:301)'],
    });
  });

  it('counts a long run of the same failure once, event ids in order and each once', () => {
    const events = classified(
      Array.from(
        { length: 400 },
        (_, i) => [`[${i}] WORKER TIMEOUT (pid:${i})`, 'error', 'timeout'] as const,
      ),
      T0,
      1_000,
    );
    // A retried write can repeat an event id within a delivery: it is listed once.
    const repeated = events[7];
    if (repeated) repeated.event.id = 'e3';
    const [incident, ...others] = toIncidents(events, ENDPOINT);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ count: 400, firstSeenMs: T0, lastSeenMs: T0 + 399_000 });
    expect(incident?.eventIds).toEqual(
      Array.from({ length: 400 }, (_, i) => `e${i}`).filter((id) => id !== 'e7'),
    );
  });

  it('keeps the most severe rating of a repeated failure, and the first context', () => {
    const events = classified([
      ['ThrottlingException: Rate exceeded', 'warning', 'throttling'],
      ['ThrottlingException: Rate exceeded', 'error', 'throttling'],
      ['ThrottlingException: Rate exceeded', 'warning', 'throttling'],
    ]);
    const [incident, ...others] = toIncidents(events, TRAINING);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ count: 3, severity: 'error', eventIds: ['e0', 'e1', 'e2'] });
    expect(incident?.context).toEqual(['ThrottlingException: Rate exceeded']);
  });

  it('tells the same headline apart when the category differs', () => {
    const events = classified([
      ['RuntimeError: failed', 'error', 'python_exception'],
      ['RuntimeError: failed', 'error', 'nccl'],
      ['RuntimeError: failed', 'error', 'python_exception'],
    ]);
    expect(toIncidents(events, TRAINING).map((i) => [i.category, i.count])).toEqual([
      ['python_exception', 2],
      ['nccl', 1],
    ]);
  });

  it('counts the same traceback on two MPI ranks once', () => {
    const rank = (r: number, text: string) => `[1,mpirank:${r},algo-${r + 1}]<stderr>:${text}`;
    const events = classified([
      rank(0, 'Traceback (most recent call last):'),
      rank(1, 'Traceback (most recent call last):'),
      rank(0, '  File "train.py", line 3, in <module>'),
      rank(1, '  File "train.py", line 3, in <module>'),
      [
        rank(
          1,
          'torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1691, unhandled system error',
        ),
        'error',
        'nccl',
      ],
      [
        rank(
          0,
          'torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1691, unhandled system error',
        ),
        'error',
        'nccl',
      ],
    ]);
    expect(toIncidents(events, TRAINING)).toMatchObject([
      { count: 2, category: 'nccl', severity: 'critical', eventIds: ['e0', 'e2', 'e5', 'e1', 'e3', 'e4'] },
    ]);
  });

  it('keeps incidents with different fingerprints apart, in order of first occurrence', () => {
    const events = classified([
      ['ClientError: An error occurred (ThrottlingException)', 'warning', 'throttling'],
      ['ModuleNotFoundError: No module named benchmarks', 'error', 'import_error'],
    ]);
    expect(toIncidents(events, TRAINING).map((i) => [i.severity, i.category])).toEqual([
      ['warning', 'throttling'],
      ['error', 'import_error'],
    ]);
  });

  it('drops incidents below the minimum severity', () => {
    const events = classified([
      ['ThrottlingException', 'warning', 'throttling'],
      ['ValueError: x', 'error', 'python_exception'],
      [OOM_LINE, 'error', 'cuda_oom'],
    ]);
    expect(toIncidents(events, TRAINING, { minSeverity: 'error' }).map((i) => i.severity)).toEqual([
      'error',
      'critical',
    ]);
    expect(toIncidents(events, TRAINING, { minSeverity: 'critical' }).map((i) => i.category)).toEqual([
      'cuda_oom',
    ]);
  });

  it('ignores info lines whatever their category', () => {
    expect(
      toIncidents(classified([['CUDA out of memory (retrying)', 'info', 'cuda_oom']]), TRAINING),
    ).toEqual([]);
  });
});

describe('toIncidents: secrets and limits', () => {
  it('scrubs secrets from headline, context and source fields', () => {
    const events = classified([
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      '    boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE")',
      ['botocore.exceptions.ClientError: bad token=abc123secret', 'error', 's3_access'],
    ]);
    const [incident] = toIncidents(events, { ...TRAINING, resourceName: 'job-password=hunter2' });
    const text = JSON.stringify(incident);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('abc123secret');
    expect(text).not.toContain('hunter2');
    expect(incident?.headline).toBe('botocore.exceptions.ClientError: bad token=[REDACTED:token]');
  });

  it('scrubs a private key printed over several events as one block', () => {
    const events = classified([
      ['ERROR bad key file:', 'error', 'none'],
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn',
      '-----END RSA PRIVATE KEY-----',
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(JSON.stringify(incidents)).not.toContain('MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn');
  });

  it('bounds the context of a huge traceback, keeping its head and its exception line', () => {
    const frames = Array.from(
      { length: 300 },
      (_, i) => `  File "/opt/ml/code/deep.py", line ${i}, in f${'x'.repeat(60)}`,
    );
    const events = classified([
      'Traceback (most recent call last):',
      ...frames,
      ['RecursionError: too deep', 'error', 'python_exception'],
    ]);
    const [incident] = toIncidents(events, TRAINING);
    const context = incident?.context ?? [];
    expect(context.length).toBeLessThanOrEqual(MAX_CONTEXT_LINES);
    expect(sizeOf(context.join('\n'), 'bytes')).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
    expect(context[0]).toBe('Traceback (most recent call last):');
    expect(context.at(-1)).toBe('RecursionError: too deep');
    expect(context.some((line) => /lines omitted/.test(line))).toBe(true);
    expect(incident?.eventIds).toHaveLength(302);
  });

  it('bounds a 1 MB line and a long headline', () => {
    const huge = `ValueError: ${'y'.repeat(1_000_000)}`;
    const [incident] = toIncidents(classified([[huge, 'error', 'python_exception']]), TRAINING);
    expect(incident?.headline.length).toBeLessThanOrEqual(MAX_HEADLINE_CHARS);
    expect(sizeOf(incident?.context.join('\n') ?? '', 'bytes')).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
    expect(incident?.context).not.toContain(omissionMarker(1));
  });

  it('has no console link without a link builder', () => {
    const [incident] = toIncidents(classified([['ValueError: x', 'error', 'python_exception']]), TRAINING);
    expect(incident).not.toHaveProperty('consoleUrl');
    expect(incident).not.toHaveProperty('region');
  });
});

describe('toIncidents: one problem, one incident', () => {
  it('makes one critical incident of a worker that logs its death three ways', () => {
    const events = classified([
      ['[INFO ] W-9000-model-stdout MODEL_LOG - Backend worker process died.', 'error', 'worker_died'],
      [
        '[INFO ] epollEventLoopGroup-5-1 WorkerThread - 9000 Worker disconnected. WORKER_STARTED',
        'error',
        'worker_died',
      ],
      [
        '[DEBUG] W-9000-model WorkerThread - Backend worker monitoring thread interrupted',
        'error',
        'worker_died',
      ],
    ]);
    const incidents = toIncidents(events, ENDPOINT);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'worker_died', severity: 'critical', count: 3 });
    expect(incidents[0]?.eventIds).toEqual(['e0', 'e1', 'e2']);
    expect(incidents[0]?.headline).toContain('Backend worker process died');
  });

  it('folds the toolkit failure report into the traceback that caused it', () => {
    const events = classified([
      ['Traceback (most recent call last):', 'error', 'python_exception'],
      '  File "/opt/ml/code/train.py", line 9, in <module>',
      ["KeyError: 'label'", 'error', 'python_exception'],
      [
        '2024-03-20 05:50:53,002 sagemaker-training-toolkit ERROR    ExecuteUserScriptError:',
        'error',
        'user_script_error',
      ],
      'ExitCode 1',
      'ErrorMessage "KeyError: label"',
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    // The traceback names the problem; the report makes it fatal to the job.
    expect(incidents[0]).toMatchObject({ category: 'python_exception', severity: 'critical', count: 2 });
    expect(incidents[0]?.headline).toBe("KeyError: 'label'");
  });

  it('keeps a failure report that comes long after the last error apart', () => {
    const error = classified([["KeyError: 'label'", 'error', 'python_exception']]);
    const report = classified(
      [['sagemaker-training-toolkit ERROR    ExecuteUserScriptError:', 'error', 'user_script_error']],
      T0 + 5 * 60_000,
    ).map((event) => ({ ...event, event: { ...event.event, id: 'late' } }));
    expect(toIncidents([...error, ...report], TRAINING).map((i) => i.category)).toEqual([
      'python_exception',
      'user_script_error',
    ]);
  });

  it('keeps two different exceptions as two incidents', () => {
    const events = classified([
      ["KeyError: 'label'", 'error', 'python_exception'],
      ['ValueError: shapes (3,) and (4,) not aligned', 'error', 'python_exception'],
    ]);
    expect(toIncidents(events, TRAINING)).toHaveLength(2);
  });
});

describe('toIncidents: real streams (ranks, wrappers, chains, launcher and toolkit reports)', () => {
  const rank = (n: number, text: string) => `[1,mpirank:${n},algo-1]<stderr>:${text}`;
  const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 64.00 MiB (GPU 6)';

  it('makes one incident of several ranks writing the same traceback at once, naming them', () => {
    const lines: string[] = [];
    for (const line of ['Traceback (most recent call last):', '  File "train.py", line 9, in <module>']) {
      for (const n of [10, 2, 1]) lines.push(rank(n, line));
    }
    for (const n of [10, 2, 1]) lines.push(rank(n, OOM));
    const events = classified(lines.map((line) => (line.endsWith(OOM) ? [line, 'error', 'cuda_oom'] : line)));
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      category: 'cuda_oom',
      count: 3,
      headline: OOM,
      writers: ['mpirank:1,algo-1', 'mpirank:2,algo-1', 'mpirank:10,algo-1'],
    });
  });

  it('reads an exception whose rank prefix mpirun wrote inside the line, through a chain', () => {
    const events = classified([
      rank(14, 'Traceback (most recent call last):'),
      rank(14, '  File "model.py", line 861, in _step'),
      [
        `${rank(14, 'RuntimeError')}${rank(14, ': CUDA out of memory. Tried to allocate 64.00 MiB')}`,
        'error',
        'cuda_oom',
      ],
      rank(14, ''),
      rank(14, 'During handling of the above exception, another exception occurred:'),
      rank(14, 'Traceback (most recent call last):'),
      rank(14, '  File "train.py", line 431, in <module>'),
      [rank(14, 'RuntimeError: CUDA out of memory. Tried to allocate 770.00 MiB'), 'error', 'cuda_oom'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.headline).toBe('RuntimeError: CUDA out of memory. Tried to allocate 770.00 MiB');
    expect(incidents[0]?.writers).toBeUndefined();
  });

  it("folds mpirun's closing banner into the failure before it", () => {
    const events = classified([
      ...OOM_TRACEBACK,
      '--------------------------------------------------------------------------',
      ['Primary job  terminated normally, but 1 process returned', 'error', 'nccl'],
      'a non-zero exit code. Per user-direction, the job has been aborted.',
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'cuda_oom', headline: OOM_LINE, count: 2 });
  });

  it('folds a banner written before the failure it reports into that failure', () => {
    const events = classified([
      ['Primary job  terminated normally, but 1 process returned', 'error', 'nccl'],
      [
        'mpirun noticed that process rank 7 with PID 0 on node algo-2 exited on signal 9 (Killed).',
        'error',
        'host_oom',
      ],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'host_oom', count: 2 });
    expect(incidents[0]?.headline).toContain('mpirun noticed');
    expect(incidents[0]?.eventIds).toEqual(['e1', 'e0']);
  });

  it('makes a launcher banner with nothing to report a failed script', () => {
    const events = classified([
      ['torch.distributed.elastic.multiprocessing.errors.ChildFailedError:', 'error', 'nccl'],
      '============================================================',
    ]);
    expect(toIncidents(events, TRAINING)).toMatchObject([
      {
        category: 'user_script_error',
        headline: 'torch.distributed.elastic.multiprocessing.errors.ChildFailedError:',
      },
    ]);
  });

  it("heads torchrun's own traceback by the error line that announced it", () => {
    const events = classified([
      [
        'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: -9) local_rank: 3 (pid: 812917) of binary: /bin/python',
        'error',
        'host_oom',
      ],
      'Traceback (most recent call last):',
      '  File "/bin/torchrun", line 8, in <module>',
      '    sys.exit(main())',
      ['torch.distributed.elastic.multiprocessing.errors.ChildFailedError:', 'error', 'nccl'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'host_oom' });
    expect(incidents[0]?.headline).toContain('failed (exitcode: -9) local_rank: 3');
  });

  it('keeps a toolkit report whose ErrorMessage names another error as its own incident', () => {
    const events = classified([
      'Traceback (most recent call last):',
      '  File "train.py", line 9, in <module>',
      ["KeyError: 'label'", 'error', 'python_exception'],
      'epoch 2',
      ['ExecuteUserScriptError:', 'error', 'user_script_error'],
      'ExitCode 1',
      ['ErrorMessage "ValueError: shapes (3,) and (4,) not aligned"', 'error', 'python_exception'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents.map((i) => [i.category, i.headline])).toEqual([
      ['python_exception', "KeyError: 'label'"],
      ['user_script_error', 'ValueError: shapes (3,) and (4,) not aligned'],
    ]);
  });

  it('keeps a report that names an error apart from a traceback written after it (Clarify exit_message)', () => {
    const events = classified([
      [
        'INFO:analyzer.data_loading.data_loader_util:exit_message: Customer Error: cannot reshape array of size 1 into shape (6,newaxis)',
        'error',
        'user_script_error',
      ],
      [
        'ERROR:sagemaker-clarify-processing:Errors occurred when analyzing your data.',
        'error',
        'python_exception',
      ],
      'Traceback (most recent call last):',
      '  File "predictor.py", line 328, in predict',
      ['ValueError: cannot reshape array of size 1 into shape (6,newaxis)', 'error', 'python_exception'],
    ]);
    // The toolkit's report folds only into an earlier cause (issue 13).
    expect(toIncidents(events, TRAINING).map((i) => i.category)).toEqual([
      'user_script_error',
      'python_exception',
    ]);
  });

  it('folds a report that names nothing into the failure written right after it', () => {
    const events = classified([
      ['[2023-03-10:07:00:54:ERROR] Reporting training FAILURE', 'error', 'user_script_error'],
      ['[2023-03-10:07:00:54:ERROR] framework error: ', 'error', 'python_exception'],
      'Traceback (most recent call last):',
      '  File "train.py", line 3, in <module>',
      ["KeyError: 'label'", 'error', 'python_exception'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'python_exception', severity: 'critical', count: 2 });
  });

  it('never folds a report into a warning', () => {
    const events = classified([
      ['ThrottlingException: Rate exceeded, retrying', 'warning', 'throttling'],
      ['ExecuteUserScriptError:', 'error', 'user_script_error'],
      'ExitCode 1',
    ]);
    expect(toIncidents(events, TRAINING).map((i) => i.category)).toEqual(['throttling', 'user_script_error']);
  });

  it('heads a problem by its best-worded occurrence when the first is garbled', () => {
    const events = classified([
      'Traceback (most recent call last):',
      '  File "run.py", line 8, in <module>',
      ['ModuleNotFoundErrorModuleNotFoundError:', 'error', 'import_error'],
      'Traceback (most recent call last):',
      '  File "run.py", line 8, in <module>',
      ["ModuleNotFoundError: No module named 'trl.commands'", 'error', 'import_error'],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      count: 2,
      headline: "ModuleNotFoundError: No module named 'trl.commands'",
    });
    expect(incidents[0]?.context.at(-1)).toBe("ModuleNotFoundError: No module named 'trl.commands'");
  });
});

describe('toIncidents: deliveries that start or end inside a structure', () => {
  it('continues a traceback whose delivery starts with the code line of a cut frame', () => {
    const events = classified([
      '    Bucket=bucket, Key=key, **extra_args)',
      '  File "/usr/lib/botocore/client.py", line 316, in _api_call',
      '    return self._make_api_call(operation_name, kwargs)',
      [
        'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the CreateMultipartUpload operation: Access Denied',
        'error',
        's3_access',
      ],
    ]);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 's3_access', eventIds: ['e0', 'e1', 'e2', 'e3'] });
  });

  it('heads a Java stack whose exception has no message by the error line that announced it', () => {
    const events = classified([
      [
        '2020-06-10 11:30:41,286 [DEBUG] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker monitoring thread interrupted or backend worker process died.',
        'error',
        'worker_died',
      ],
      'java.lang.InterruptedException',
      '\tat java.base/java.util.concurrent.locks.AbstractQueuedSynchronizer.await(AbstractQueuedSynchronizer.java:2056)',
      '\tat org.pytorch.serve.wlm.WorkerThread.run(WorkerThread.java:123)',
    ]);
    const incidents = toIncidents(events, ENDPOINT);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.headline).toContain('Backend worker monitoring thread interrupted');
  });

  it('takes the timestamp off a gunicorn headline, offset included', () => {
    const events = classified([
      ['[2023-06-01 10:00:00 +0000] [24] [ERROR] Error handling request /ping', 'error', 'health_check'],
    ]);
    expect(toIncidents(events, ENDPOINT)[0]?.headline).toBe('[24] [ERROR] Error handling request /ping');
  });
});

describe('toIncidents: a model-server worker dying', () => {
  it("makes one incident of a worker's Python traceback and the frontend's lines about it, headed by the exception", () => {
    const events = classified([
      '2024-03-22T11:42:15,558 [INFO ] W-9000-resnet_1.0-stdout MODEL_LOG - Traceback (most recent call last):',
      '2024-03-22T11:42:15,558 [INFO ] W-9000-resnet_1.0-stdout MODEL_LOG -   File "/ts/model_loader.py", line 143, in load',
      '2024-03-22T11:42:15,558 [INFO ] W-9000-resnet_1.0-stdout MODEL_LOG -     initialize_fn(service.context)',
      [
        "2024-03-22T11:42:15,559 [INFO ] W-9000-resnet_1.0-stdout MODEL_LOG - ModuleNotFoundError: No module named 'timm'",
        'error',
        'import_error',
      ],
      [
        '2024-03-22T11:42:15,560 [WARN ] W-9000-resnet_1.0 org.pytorch.serve.wlm.BatchAggregator - Load model failed: resnet, error: Worker died.',
        'error',
        'model_load_failure',
      ],
      [
        '2024-03-22T11:42:15,561 [INFO ] W-9000-resnet_1.0 org.pytorch.serve.wlm.WorkerThread - Retry worker: 9000 in 1 seconds.',
        'error',
        'worker_died',
      ],
    ]);
    const incidents = toIncidents(events, ENDPOINT);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      category: 'import_error',
      headline: "ModuleNotFoundError: No module named 'timm'",
      count: 3,
      severity: 'critical',
    });
    expect(incidents[0]?.eventIds).toHaveLength(6);
  });

  it('keeps the deaths of two workers apart', () => {
    const events = classified([
      [
        '[WARN ] W-9000-a_1.0 org.pytorch.serve.wlm.BatchAggregator - Load model failed: a',
        'error',
        'model_load_failure',
      ],
      [
        '[INFO ] W-9001-b_1.0 org.pytorch.serve.wlm.WorkerThread - Retry worker: 9001 in 1 seconds.',
        'error',
        'worker_died',
      ],
    ]);
    expect(toIncidents(events, ENDPOINT)).toHaveLength(2);
  });
});

describe('toIncidents: decisions of the general tier', () => {
  /** An event the general tier decided (failure words), as the context-aware classifier says it. */
  const general = (
    events: ClassifiedEvent[],
    index: number,
    severity: 'error' | 'warning' = 'error',
  ): ClassifiedEvent[] => {
    const event = events[index] as ClassifiedEvent;
    event.classification = {
      severity,
      category: 'user_script_error',
      ruleId: 'general-failure-words',
      categoryFrom: 'context',
    };
    return events;
  };

  it('a failure named only by words next to a traceback is a symptom of it: one incident', () => {
    const events = general(classified([...OOM_TRACEBACK, 'epoch 4', 'train.py FAILED'], T0, 1_000), 9);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ category: 'cuda_oom', headline: OOM_LINE, count: 1 });
    expect(incidents[0]?.eventIds).toContain('e9');
    expect(incidents[0]?.lastSeenMs).toBe(T0 + 9_000);
  });

  it('folds into the nearest of two failures', () => {
    const lines = [
      ...OOM_TRACEBACK,
      ...Array.from({ length: 30 }, (_, i) => `epoch ${i}`),
      ['ERROR: DataLoader worker (pid 4242) is killed by signal: Killed.', 'error', 'host_oom'] as const,
      'Exit code: 1',
    ];
    const events = general(classified(lines, T0, 1_000), lines.length - 1);
    const incidents = toIncidents(events, TRAINING);
    expect(incidents.map(({ category, eventIds }) => [category, eventIds.length])).toEqual([
      ['cuda_oom', 8],
      ['host_oom', 2],
    ]);
  });

  it('stands alone when nothing else failed near it, or when it is all there is', () => {
    const far = general(classified([...OOM_TRACEBACK, 'run_fsdp_qlora.py FAILED'], T0, 61_000), 8);
    expect(toIncidents(far, TRAINING).map(({ headline }) => headline)).toEqual([
      OOM_LINE,
      'run_fsdp_qlora.py FAILED',
    ]);
    const alone = general(classified(['epoch 1', 'Environment variable X is not set']), 1);
    expect(toIncidents(alone, TRAINING)).toMatchObject([
      { category: 'user_script_error', headline: 'Environment variable X is not set' },
    ]);
  });

  it('a warning the general tier decided opens no incident', () => {
    const events = general(classified(['epoch 1', 'could not reach the metrics sidecar']), 1, 'warning');
    expect(toIncidents(events, TRAINING)).toEqual([]);
  });

  it("a lead-in whose category only says where it was written leaves the traceback's category alone", () => {
    const lines = [
      'Error in atexit._run_exitfuncs:',
      'Traceback (most recent call last):',
      '  File "/opt/conda/lib/python3.7/os.py", line 223, in makedirs',
      ['PermissionError: [Errno 13] Permission denied: /microservice/mlruns', 'error', 'python_exception'],
    ] as const;
    const events = classified(lines);
    (events[0] as ClassifiedEvent).classification = {
      severity: 'error',
      category: 'invocation_error',
      ruleId: 'general-failure-words',
      categoryFrom: 'context',
    };
    expect(toIncidents(events, ENDPOINT)).toMatchObject([
      {
        category: 'python_exception',
        headline: 'PermissionError: [Errno 13] Permission denied: /microservice/mlruns',
      },
    ]);
  });
});
