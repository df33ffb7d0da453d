import { describe, expect, it } from 'vitest';
import { decodeCloudWatchEscapes, normalizeMessage } from '../../../lib/classify/normalize.ts';

describe('decodeCloudWatchEscapes', () => {
  it('decodes tab, carriage return and ESC, and strips the colour sequences', () => {
    expect(decodeCloudWatchEscapes('[0]#011train-rmse:1.5')).toBe('[0]\ttrain-rmse:1.5');
    expect(decodeCloudWatchEscapes('#015 50%|#015100%')).toBe('\r 50%|\r100%');
    expect(decodeCloudWatchEscapes('#033[2mtime#033[0m #033[32m INFO#033[0m')).toBe('time  INFO');
  });

  it('drops backspaces, real ANSI sequences and stray controls', () => {
    expect(decodeCloudWatchEscapes('loss: 0.5#010#010#010')).toBe('loss: 0.5');
    expect(decodeCloudWatchEscapes('\u001b[31mERROR\u001b[0m x\u0007')).toBe('ERROR x');
    expect(decodeCloudWatchEscapes('#177')).toBe('');
  });

  it('returns text without escapes or controls as it is', () => {
    const text = 'Epoch 3 - loss: 0.5\tdone';
    expect(decodeCloudWatchEscapes(text)).toBe(text);
  });

  it('leaves printable octal-looking text alone', () => {
    expect(decodeCloudWatchEscapes('issue #101 and #040')).toBe('issue #101 and #040');
  });
});

describe('normalizeMessage', () => {
  it('unwraps a quoted CloudWatch CSV export row', () => {
    // Prepare
    const row =
      '1700000000000,"2023-11-14 22:13:20,000 [INFO ] W-9000-m-stdout MODEL_LOG - File ""/x.py"", line 3",AllTraffic/i-0abc';

    // Act
    const normalized = normalizeMessage(row);

    // Assess
    expect(normalized.text).toBe('[INFO ] W-9000-m-stdout MODEL_LOG - File "/x.py", line 3');
    expect(normalized.lines).toEqual(['File "/x.py", line 3']);
    expect(normalized.level).toBeUndefined();
  });

  it('unwraps a bare CSV export row and a table row', () => {
    expect(normalizeMessage('1700000000000,#011at a.B.c(B.java:1),AllTraffic/i-0abc').text).toBe(
      '\tat a.B.c(B.java:1)',
    );
    expect(normalizeMessage('| 1700000000000 | Model server started. | AllTraffic/i-0abc |').text).toBe(
      'Model server started.',
    );
  });

  it('strips ingestion timestamps, `aws logs tail` stream names and MPI rank tags', () => {
    expect(normalizeMessage('2022-05-16T22:20:16.512-03:00 | Starting the server.').text).toBe(
      'Starting the server.',
    );
    expect(normalizeMessage('2023-11-07T11:49:54.665000+00:00 job-1/algo-1-1699307977 hello').text).toBe(
      'hello',
    );
    expect(normalizeMessage('[1,mpirank:0,algo-1]<stdout>:hello').text).toBe('hello');
    expect(normalizeMessage('[1,8]<stderr>:hello').text).toBe('hello');
    expect(normalizeMessage('[rank3]:hello').text).toBe('hello');
  });

  it('gives no text and no lines for a blank message', () => {
    expect(normalizeMessage(' \t ')).toEqual({ text: '', lines: [] });
    expect(normalizeMessage(' \n\t')).toEqual({ text: '', lines: [] });
  });

  it('splits carriage returns and newlines into lines and skips blank ones', () => {
    const normalized = normalizeMessage('#015 1/4 loss: 0.9#015 4/4 loss: 0.5\n\n');
    expect(normalized.lines).toEqual(['1/4 loss: 0.9', '4/4 loss: 0.5']);
  });

  it.each([
    [
      '2022-04-18 00:23:41,766 sagemaker-training-toolkit INFO     Reporting training SUCCESS',
      'info',
      'Reporting training SUCCESS',
    ],
    ['2018-10-08 05:34:27,433 ERROR - container_support.training - uncaught', 'error', 'uncaught'],
    ['2020-07-17 08:45:38,844 - my.logger - WARNING - load:50 - Loading', 'warning', 'Loading'],
    ['2023-01-18 16:20:17,856 - MainThread - urllib3.connectionpool - DEBUG - GET /', 'debug', 'GET /'],
    ['2022-04-18 00:29:19 INFO  YarnClientSchedulerBackend:54 - Shutting down', 'info', 'Shutting down'],
    ['INFO scheduler.DAGScheduler: failed: Set()', 'info', 'failed: Set()'],
    [
      '2022-04-18 00:25:37,507 [INFO ] W-9003-model_1 ACCESS_LOG - /10.0.0.1:1 "GET /ping HTTP/1.1" 200 1',
      'info',
      '/10.0.0.1:1 "GET /ping HTTP/1.1" 200 1',
    ],
    ['[WARN ] PyProcess - W-167-model-stderr: Loading shards', undefined, 'Loading shards'],
    [
      '[2019-01-03 20:53:14 +0000] [45] [CRITICAL] WORKER TIMEOUT (pid:3906)',
      'error',
      'WORKER TIMEOUT (pid:3906)',
    ],
    ['2019/01/03 20:53:14 [error] 55#55: *754210 upstream timed out', 'error', 'upstream timed out'],
    ['[LightGBM] [Warning] Starting from the 2.1.2 version', 'warning', 'Starting from the 2.1.2 version'],
    ['WARNING:tensorflow:From x.py:1: f is deprecated', 'warning', 'From x.py:1: f is deprecated'],
    [
      'INFO:     127.0.0.1:1 - "GET /ping HTTP/1.1" 200 OK',
      'info',
      '127.0.0.1:1 - "GET /ping HTTP/1.1" 200 OK',
    ],
    ['[05/10/2024 23:09:50 INFO 140087617984320] Epoch[2] loss=1', 'info', 'Epoch[2] loss=1'],
    ['[2020-06-05:09:20:36:WARNING] Determined delimiter', 'warning', 'Determined delimiter'],
    [
      '[2020-08-11 09:58:34.838 ip-10-0-1-2.ec2.internal:22 INFO state_store.py:67] The file',
      'info',
      'The file',
    ],
    ['[E602 11:17:52.185053341 ProcessGroupNCCL.cpp:632] [Rank 5] Watchdog', 'error', '[Rank 5] Watchdog'],
    [
      '2020-01-01 00:00:00.000000: W tensorflow/core/x.cc:305] Allocator ran out',
      'warning',
      'Allocator ran out',
    ],
    [
      'ERROR 03-31 15:19:44 [async_llm_engine.py:68] torch.OutOfMemoryError',
      'error',
      'torch.OutOfMemoryError',
    ],
    [
      '[2024-03-29 10:57:14,159] torch.distributed.elastic.multiprocessing.api: [ERROR] failed',
      'error',
      'failed',
    ],
    [
      '2023-07-07T17:55:43.805488Z ERROR text_generation_launcher: Webserver Crashed',
      'error',
      'Webserver Crashed',
    ],
    [
      '[00:24:30] WARNING: /workspace/src/learner.cc:622: Tree method',
      'warning',
      '/workspace/src/learner.cc:622: Tree method',
    ],
    [
      '2021-01-11T19:46:49.305:[sagemaker logs]: bucket/key.csv: ClientError: 400',
      undefined,
      'ClientError: 400',
    ],
  ] as const)('finds the level and body of %j', (message, level, body) => {
    // Act
    const normalized = normalizeMessage(message);

    // Assess
    expect(normalized.level).toBe(level);
    expect(normalized.lines[0]).toBe(body);
  });

  it.each([
    ['[LIGHTGBM] [WARNING] Auto-choosing col-wise', 'warning', 'Auto-choosing col-wise'],
    ['[Warn] 12#12: *3 client closed', 'warning', 'client closed'],
    ['[45] [Critical] WORKER TIMEOUT', 'error', 'WORKER TIMEOUT'],
    // The channel prefix comes before the generic `[LEVEL] name -` one: the inner level counts.
    [
      '2024-01-01T00:00:00,000 [ERROR] W-9000-model_1.0-stderr MODEL_LOG - WARNING:root:disk low',
      'warning',
      'disk low',
    ],
    ['[1,mpirank:0,algo-1]<stderr>:2024-01-01 00:00:00 job/algo-1-1699307977 INFO:root:hi', 'info', 'hi'],
    ['job/algo-1-1699307977 2024-01-01 00:00:00 ERROR boom', 'error', 'boom'],
    ['#033[31mERROR#033[0m: red', 'error', 'red'],
    ['  indented WARNING: x', undefined, 'indented WARNING: x'],
    ['x {"level":"WARN"}', undefined, 'x {"level":"WARN"}'],
  ] as const)('reads wrappers and prefixes in any case and nesting: %j', (message, level, body) => {
    const normalized = normalizeMessage(message);
    expect(normalized.level).toBe(level);
    expect(normalized.lines).toEqual([body]);
  });

  it('takes the level of a TGI JSON log line from its field', () => {
    const normalized = normalizeMessage(
      '{"timestamp":"2024-01-01T00:00:00Z","level":"WARN","message":"slow"}',
    );
    expect(normalized.level).toBe('warning');
  });

  it('reports the first line that names a level, and no level for plain text', () => {
    expect(normalizeMessage('Traceback (most recent call last):\nERROR:root:boom').level).toBe('error');
    expect(normalizeMessage('Model server started.').level).toBeUndefined();
  });

  it('keeps an unknown level word as no level', () => {
    // "[ALERT]" is a level word only in nginx's error log layout.
    expect(normalizeMessage('[alert] 1#1: *2 something').level).toBe('error');
  });
});
