import { describe, expect, it } from 'vitest';
import { decodeLine, normaliseLine } from '../../../lib/incidents/normalise-line.ts';

describe('decodeLine', () => {
  it('decodes the CloudWatch agent tab escape', () => {
    expect(decodeLine('#011File "/opt/ml/code/train.py", line 3, in <module>')).toBe(
      '\tFile "/opt/ml/code/train.py", line 3, in <module>',
    );
  });

  it('removes ANSI colours written as #033 escapes', () => {
    expect(decodeLine('#033[2m2024-03-18T14:22:09Z#033[0m #033[31mERROR#033[0m Webserver Crashed')).toBe(
      '2024-03-18T14:22:09Z ERROR Webserver Crashed',
    );
  });

  it('keeps the last drawing of a progress bar redrawn with carriage returns', () => {
    expect(decodeLine('#015 10%|█ | 1/10#015100%|██| 10/10#015')).toBe('100%|██| 10/10');
    expect(decodeLine('\r\r')).toBe('');
  });

  it('drops backspaces and other control characters but keeps tabs', () => {
    expect(decodeLine('a#010b\u0007c\td')).toBe('abc\td');
  });

  it('leaves a line without escapes as it is', () => {
    expect(decodeLine('issue #42 is fixed')).toBe('issue #42 is fixed');
    expect(decodeLine('\tplain text, no hash or control')).toBe('\tplain text, no hash or control');
  });

  it('removes a raw ESC sequence and a carriage return without escapes', () => {
    expect(decodeLine('\u001b[31mERROR\u001b[0m boom')).toBe('ERROR boom');
    expect(decodeLine('50%\r100%')).toBe('100%');
  });
});

describe('normaliseLine', () => {
  it('separates an MPI rank prefix and keeps the indentation of the rest', () => {
    expect(normaliseLine('[1,mpirank:0,algo-1]<stderr>:  File "/x.py", line 1, in f')).toEqual({
      channel: 'mpi:mpirank:0,algo-1:stderr',
      body: '  File "/x.py", line 1, in f',
      display: '[1,mpirank:0,algo-1]<stderr>:  File "/x.py", line 1, in f',
    });
    expect(normaliseLine('[1,8]<stdout>:ValueError: x').channel).toBe('mpi:8:stdout');
  });

  it('separates a torchrun rank prefix', () => {
    expect(normaliseLine('[rank1]:   File "/x.py", line 1, in f')).toMatchObject({
      channel: 'rank:1',
      body: '  File "/x.py", line 1, in f',
    });
    expect(normaliseLine('[default0]:Traceback (most recent call last):').body).toBe(
      'Traceback (most recent call last):',
    );
  });

  it('strips TorchServe worker stderr forwarding and keeps the frame indentation', () => {
    const line =
      '2024-03-20T05:50:51,531 [WARN ] W-9000-model_1.0-stderr MODEL_LOG -   File "/opt/ts/worker.py", line 253, in <module>';
    expect(normaliseLine(line)).toMatchObject({
      channel: 'W-9000-model_1.0-stderr',
      body: '  File "/opt/ts/worker.py", line 253, in <module>',
    });
  });

  it('strips Multi Model Server forwarding (a Java logger instead of MODEL_LOG)', () => {
    const line =
      '2020-09-21 11:24:10,359 [INFO ] W-9000-model-stdout com.amazonaws.ml.mms.wlm.WorkerLifeCycle - KeyError: 1';
    expect(normaliseLine(line)).toMatchObject({ channel: 'W-9000-model-stdout', body: 'KeyError: 1' });
  });

  it('strips DJL Serving stderr forwarding', () => {
    const line = '[WARN ] PyProcess - W-167-qwen-vl-stderr: Traceback (most recent call last):';
    expect(normaliseLine(line)).toMatchObject({
      channel: 'W-167-qwen-vl-stderr',
      body: 'Traceback (most recent call last):',
    });
  });

  it('removes an MPI prefix that mpirun wrote inside a line', () => {
    expect(
      normaliseLine(
        '[1,mpirank:14,algo-2]<stderr>:RuntimeError[1,mpirank:14,algo-2]<stderr>:: CUDA out of memory',
      ),
    ).toMatchObject({ channel: 'mpi:mpirank:14,algo-2:stderr', body: 'RuntimeError: CUDA out of memory' });
    expect(normaliseLine('ErrorMessage "[1,14]<stderr>:KeyError[1,14]<stderr>:: 1').body).toBe(
      'ErrorMessage "KeyError: 1',
    );
  });

  it.each([
    ['2023-12-15T20:06:10.216+01:00\t  File "/x.py", line 1, in f', '', '  File "/x.py", line 1, in f'],
    ['1756144014882,ValueError: x', '', 'ValueError: x'],
    [
      'f3k8ih5gq0-algo-1-9che5 |   File "/x.py", line 1',
      'compose:f3k8ih5gq0-algo-1-9che5',
      '  File "/x.py", line 1',
    ],
    [
      '(ServeController pid=1431)   File "/x.py", line 1',
      'ray:ServeController:1431',
      '  File "/x.py", line 1',
    ],
    ['> File "/x.py", line 1, in serve', '', 'File "/x.py", line 1, in serve'],
    [
      '[2022-04-21 08:57:50.126: C smdistributed/modelparallel/torch/worker.py:110] RuntimeError: x',
      '',
      'RuntimeError: x',
    ],
    ['1756144014882,(APIServer pid=1) RuntimeError: x', 'ray:APIServer:1', 'RuntimeError: x'],
    ['2023-03-29T13:16:50.813:[sagemaker logs]: bucket/in/test.csv: Message:', '', 'Message:'],
    ['[sagemaker logs]: MaxConcurrentTransforms=1', '', 'MaxConcurrentTransforms=1'],
    ['[1,mpirank:0,algo-1]<stderr>:[rank0]: x', 'mpi:mpirank:0,algo-1:stderr', '[rank0]: x'],
  ])('takes off the wrapper of %j', (raw, channel, body) => {
    expect(normaliseLine(raw)).toMatchObject({ channel, body });
  });

  it('keeps a table row or a quote that is not a wrapper', () => {
    expect(normaliseLine('name | value').body).toBe('name | value');
    expect(normaliseLine('>> File').body).toBe('>> File');
  });

  it('handles an MPI line that also forwards a worker', () => {
    expect(normaliseLine('[1,0]<stderr>: W-1-m-stderr: boom').channel).toBe('mpi:0:stderr/W-1-m-stderr');
  });

  it('keeps a worker line that is not stdout/stderr forwarding whole', () => {
    const line = '[INFO ] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker process died.';
    expect(normaliseLine(line)).toEqual({ channel: '', body: line, display: line });
  });

  it('keeps lines that only look like wrappers whole', () => {
    expect(normaliseLine('[INFO] starting W-9000 workers')).toEqual({
      channel: '',
      body: '[INFO] starting W-9000 workers',
      display: '[INFO] starting W-9000 workers',
    });
  });

  it('accepts an empty forwarded line', () => {
    expect(normaliseLine('[INFO ] W-9000-m-stdout MODEL_LOG -')).toMatchObject({
      channel: 'W-9000-m-stdout',
      body: '',
    });
  });
});
