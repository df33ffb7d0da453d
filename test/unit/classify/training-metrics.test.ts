import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../../lib/classify/normalize.ts';
import { extractTrainingMetrics, parseMetricNumber } from '../../../lib/classify/training-metrics.ts';

/** Extracts the way the classifier does: from the normalised body lines. */
function metricsOf(message: string) {
  return extractTrainingMetrics(normalizeMessage(message).lines);
}

describe('parseMetricNumber', () => {
  it.each([
    ['0.5', 0.5],
    ['-1e-05', -1e-5],
    ['.25', 0.25],
    ['3.', 3],
    ['+7', 7],
    ['inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['007', 7],
    ['-0', -0],
    [' 2.5 ', 2.5],
    ['1E3', 1000],
  ])('parses %j', (text, value) => {
    expect(parseMetricNumber(text)).toBe(value);
  });

  it('parses nan, -nan and NaN as NaN', () => {
    for (const text of ['nan', '-nan', 'NaN']) expect(parseMetricNumber(text)).toBeNaN();
  });

  it('rejects what is not a number', () => {
    expect(parseMetricNumber('0s')).toBeUndefined();
    expect(parseMetricNumber('')).toBeUndefined();
    expect(parseMetricNumber('1.2.3')).toBeUndefined();
    expect(parseMetricNumber('0x1f')).toBeUndefined();
    expect(parseMetricNumber('1_000')).toBeUndefined();
  });
});

describe('extractTrainingMetrics', () => {
  it.each([
    // XGBoost, built-in or framework, tab written as #011 by CloudWatch
    ['[12]#011train-rmse:3.1#011validation-rmse:3.4', { 'train-rmse': 3.1, 'validation-rmse': 3.4 }],
    ['[2]#011train-auc:0.91#011validation-ndcg@10:0.5', { 'train-auc': 0.91, 'validation-ndcg@10': 0.5 }],
    // XGBoost cross-validation prints mean+std; the mean is the metric
    [
      '[49]#011train-rmse:0.4210+0.0032#011test-rmse:0.4688+0.0141',
      { 'train-rmse': 0.421, 'test-rmse': 0.4688 },
    ],
    // a copy with the tabs turned into spaces
    ['[7]  cv-train-auc:0.91+0.01  cv-test-auc:0.87+0.02', { 'cv-train-auc': 0.91, 'cv-test-auc': 0.87 }],
    // LightGBM, scikit-learn API and CLI
    ["[10]\tvalid_0's l2: 0.5\tvalid_0's auc: 0.9", { 'valid_0-l2': 0.5, 'valid_0-auc': 0.9 }],
    [
      '[LightGBM] [Info] Iteration:12, training binary_logloss : 0.4',
      { iteration: 12, 'training-binary_logloss': 0.4 },
    ],
    // CatBoost
    [
      '7:\tlearn: 0.61\ttest: 0.72\tbest: 0.70 (5)\ttotal: 1.1s\tremaining: 3s',
      { iteration: 7, learn: 0.61, test: 0.72, best: 0.7 },
    ],
    // Hugging Face Trainer dicts, including a cut one
    [
      "{'loss': 0.42, 'grad_norm': 1.5, 'learning_rate': 5e-05, 'epoch': 0.5}",
      { loss: 0.42, grad_norm: 1.5, learning_rate: 5e-5, epoch: 0.5 },
    ],
    ["{'eval_loss': 0.3, 'eval_f1': 0.81, 'epo", { eval_loss: 0.3, eval_f1: 0.81 }],
    // Hugging Face metric block lines
    ['  eval_accuracy           =     0.9234', { eval_accuracy: 0.9234 }],
    // Keras, verbose 2 and a verbose 1 progress bar rewritten by carriage returns
    [
      '300/300 - 12s - loss: 0.31 - accuracy: 0.9 - val_loss: 0.35 - val_accuracy: 0.88',
      { loss: 0.31, accuracy: 0.9, val_loss: 0.35, val_accuracy: 0.88 },
    ],
    ['#015 1/9 [==>...] - ETA: 3s - loss: 0.9#010#010#015 9/9 [=====] - ETA: 0s - loss: 0.4', { loss: 0.4 }],
    // PyTorch examples
    ['Train Epoch: 4 [2560/60000 (4%)]\tLoss: 0.12', { epoch: 4, loss: 0.12 }],
    ['Test set: Average loss: 0.05, Accuracy: 9900/10000 (99%)', { test_loss: 0.05, accuracy: 0.99 }],
    [
      'Epoch 2, Loss: 0.2, Accuracy: 93.5, Test Loss: 0.1, Test Accuracy: 96.0',
      { epoch: 2, loss: 0.2, accuracy: 93.5, test_loss: 0.1, test_accuracy: 96 },
    ],
    [
      'Epoch 3: loss 0.3, train acc 0.9, test acc 0.88, in 10.2 sec',
      { epoch: 3, loss: 0.3, train_acc: 0.9, test_acc: 0.88 },
    ],
    [
      'Epoch 0:  50%|#####| 50/100 [00:05<00:05, 9.5it/s, loss=0.612, v_num=0]',
      { epoch: 0, loss: 0.612, v_num: 0 },
    ],
    // TF Estimator
    ['INFO:tensorflow:loss = 1.5, step = 201 (10.1 sec)', { loss: 1.5, step: 201 }],
    [
      'INFO:tensorflow:Saving dict for global step 500: accuracy = 0.8, global_step = 500, loss = 0.6',
      { accuracy: 0.8, global_step: 500, loss: 0.6 },
    ],
    ['INFO:tensorflow:global_step/sec: 7.72531', { 'global_step/sec': 7.72531 }],
    ['INFO:tensorflow:Loss for final step: 0.0123.', { loss: 0.0123 }],
    ['bestTest = 0.5061911', { bestTest: 0.5061911 }],
    [
      'epoch 3 valLoss: 0.4, acc: 0.9, meanAbs error 0.1',
      { epoch: 3, valLoss: 0.4, acc: 0.9, meanabs_error: 0.1 },
    ],
    // MXNet, DeepAR, GluonTS
    [
      'INFO:root:Epoch[1] Batch [200]#011Speed: 1200.5 samples/sec#011accuracy=0.5',
      { epoch: 1, speed_samples_per_sec: 1200.5, accuracy: 0.5 },
    ],
    ['INFO:root:Epoch[3] Train-accuracy=0.97', { epoch: 3, 'train-accuracy': 0.97 }],
    ['[01/01/2024 00:00:00 INFO 1] Final loss: 2.5 (occurred at epoch 7)', { final_loss: 2.5, epoch: 7 }],
    ["INFO:root:Epoch[9] Evaluation metric 'epoch_loss'=1.7", { epoch: 9, epoch_loss: 1.7 }],
    [
      '100%|#####| 50/50 [00:02<00:00, 19.27it/s, epoch=1/100, avg_epoch_loss=5.12]',
      { avg_epoch_loss: 5.12 },
    ],
    // SageMaker built-in algorithms
    ['[01/01/2024 00:00:00 INFO 1] #quality_metric: host=algo-1, test mse <loss>=0.25', { 'test:mse': 0.25 }],
    [
      '#quality_metric: host=algo-2, epoch=3, batch=10 train binary_classification_accuracy <score>=0.9',
      { 'train:binary_classification_accuracy': 0.9, epoch: 3 },
    ],
    ['#quality_metric: host=algo-1, train cross_entropy <loss>=(0.69)', { 'train:cross_entropy': 0.69 }],
    ['#progress_metric: host=algo-1, completed 25 % of epochs', { progress_percent: 25 }],
    ['#throughput_metric: host=algo-1, train throughput=1000.5 records/second', { train_throughput: 1000.5 }],
    ["#test_score (algo-1) : ('binary_f_1.000', 0.7)", { 'test:binary_f_1.000': 0.7 }],
    ['#metrics {"Metrics": {"epochs": {"sum": 4.0, "count": 1}, "note": {"avg": 1}}}', { epochs: 4 }],
  ])('reads %j', (message, expected) => {
    expect(metricsOf(message)).toEqual(expected);
  });

  it('reads a NaN mean and std as NaN, without the std in the next name', () => {
    expect(metricsOf('[31] cv-train-error:nan+nan cv-test-error:nan+nan')).toEqual({
      'cv-train-error': Number.NaN,
      'cv-test-error': Number.NaN,
    });
  });

  it('reports NaN and infinite values as such', () => {
    const metrics = metricsOf("{'loss': nan, 'grad_norm': inf}");
    expect(metrics?.loss).toBeNaN();
    expect(metrics?.grad_norm).toBe(Number.POSITIVE_INFINITY);
    expect(metricsOf('[5]#011train-rmse:-nan')?.['train-rmse']).toBeNaN();
  });

  it.each([
    'Training seconds: 143',
    'Managed Spot Training savings: 65.6%',
    'MaxConcurrentTransforms=2, MaxPayloadInMB=10, BatchStrategy=MULTI_RECORD',
    'Epoch 1/10',
    '3%|#         | 8/312 [02:26<1:32:17, 18.21s/it]',
    'NCCL WARN NET/OFI Request completed with error. RC: 21. Error: unknown error',
    'Error while downloading: Os { code: 28, kind: StorageFull }',
    '{"timestamp":"2024-01-01","level":"ERROR","message":"os error 2","line_number":45}',
    'GridSearchCV(cv=5, error_score=nan, n_jobs=-1)',
    '#metrics {"StartTime": 1623098341.6, "Metrics": {"Total Records Seen": {"sum": 5229',
    '#metrics {"Dimensions": {}}',
    '#metrics null',
    '#metrics {"Metrics": null, "EndTime": 1610394418.1}',
    '#metrics {"Metrics": {"a": {"sum": 1}},}',
    'Gradient overflow.  Skipping step, loss scaler 0 reducing loss scale to 32768.0',
    'records=100, errors=0',
    'no digits here at all',
    '[3]\tround finished without metrics',
  ])('finds no metric in %j', (message) => {
    expect(metricsOf(message)).toBeUndefined();
  });

  it.each([
    ['Epoch 1, LOSS: 0.5, Val ACC: 0.7', { epoch: 1, loss: 0.5, val_acc: 0.7 }],
    ['step 7 Error Rate: 0.12', { step: 7, error_rate: 0.12 }],
    ['Iter 3 mAP@0.5: 0.61 F1 0.7 WER 0.2', { iter: 3, 'mAP@0.5': 0.61, f1: 0.7, wer: 0.2 }],
    ['epoch 2 reward 10.5 steps 100', { epoch: 2, reward: 10.5, steps: 100 }],
    ['VALIDATION SET: AVERAGE LOSS: 0.2, ACCURACY: 5/10', { validation_loss: 0.2, accuracy: 0.5 }],
  ])('reads quality metrics whatever their case or spelling: %j', (message, expected) => {
    expect(metricsOf(message)).toEqual(expected);
  });

  it.each([
    'epoch 3 lr 0.001 grad 3.5 took 2s',
    'step 7 error-rate: 0.12',
    'train.Epoch[2] note=3',
    'x Speed: 1 samples/sec pers: 2',
  ])('finds no metric where no quality metric is named: %j', (message) => {
    expect(metricsOf(message)).toBeUndefined();
  });

  it('lets later lines override earlier ones', () => {
    expect(extractTrainingMetrics(['loss: 0.9 - acc: 0.1', 'loss: 0.5 - acc: 0.2'])).toEqual({
      loss: 0.5,
      acc: 0.2,
    });
  });

  it('leaves accuracy out when the evaluation set is empty', () => {
    expect(metricsOf('Test set: Average loss: 0.1, Accuracy: 0/0 (0%)')).toEqual({ test_loss: 0.1 });
  });

  it('ignores a quality metric whose value does not parse', () => {
    expect(metricsOf('#quality_metric: host=algo-1, test mse <loss>=.')).toBeUndefined();
    expect(metricsOf('#throughput_metric: host=algo-1, train throughput=.x records/second')).toBeUndefined();
  });
});
