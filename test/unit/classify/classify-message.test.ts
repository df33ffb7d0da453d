import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  classifyMessage,
  createClassifier,
  LEVEL_RULE_IDS,
  MAX_CLASSIFIED_CHARS,
} from '../../../lib/classify/classify-message.ts';
import type { Category, Severity } from '../../../lib/types.ts';

/**
 * Lines in the formats SageMaker containers, toolkits and the SDK print, from public issues and
 * example outputs (not from the labelled fixture), with the classification we expect.
 */
const REAL_LINES: readonly (readonly [Severity, Category, string])[] = [
  ['info', 'none', '2020-06-05 09:15:31 Starting - Launching requested ML instances.........'],
  ['info', 'none', '2020-06-05 09:21:22 Training - Training image download completed. Training in progress.'],
  ['info', 'none', 'bash: cannot set terminal process group (-1): Inappropriate ioctl for device'],
  ['info', 'none', 'bash: no job control in this shell'],
  [
    'info',
    'none',
    '[2020-06-05 09:19:43.234 ip-10-0-171-219.ec2.internal:1 INFO utils.py:27] RULE_JOB_STOP_SIGNAL_FILENAME: None',
  ],
  [
    'info',
    'none',
    '[2020-06-05 09:19:43.385 ip-10-0-171-219.ec2.internal:1 INFO hook.py:192] tensorboard_dir has not been set for the hook. SMDebug will not be exporting tensorboard summaries.',
  ],
  ['info', 'none', 'INFO:sagemaker-containers:No GPUs detected (normal if no gpus installed)'],
  [
    'warning',
    'none',
    '/opt/conda/lib/python3.6/site-packages/h5py/__init__.py:36: FutureWarning: Conversion of the second argument of issubdtype from `float` to `np.floating` is deprecated.',
  ],
  ['warning', 'none', '  from ._conv import register_converters as _register_converters'],
  [
    'warning',
    'none',
    'WARNING:tensorflow:From /usr/local/lib/python3.6/site-packages/tensorflow/python/ops/resource_variable_ops.py:435: colocate_with (from tensorflow.python.framework.ops) is deprecated and will be removed in a future version.',
  ],
  ['info', 'none', 'Instructions for updating:'],
  ['info', 'none', 'Colocations handled automatically by placer.'],
  ['info', 'none', 'Arguments: train'],
  ['warning', 'none', '[11/20/2018 17:01:21 WARNING 140337318147904] Loggers have already been setup.'],
  [
    'info',
    'none',
    '[2018-11-20 17:01:24.473] [tensorio] [info] batch={"data_pipeline": "/opt/ml/input/data/train", "num_examples": 1000, "features": [{"name": "values", "shape": [784], "storage_type": "dense"}]}',
  ],
  ['info', 'none', '[11/20/2018 17:01:30 INFO 140337318147904] Epoch 0: Loss has not improved for 0 epochs.'],
  [
    'info',
    'none',
    '[11/20/2018 17:01:30 INFO 140337318147904] #early_stopping_criteria_metric: host=algo-1, epoch=0, criteria=binary_classification_cross_entropy_objective, value=0.3345',
  ],
  [
    'info',
    'none',
    "[11/20/2018 17:01:34 INFO 140337318147904] #test_score (algo-1) : ('binary_classification_accuracy', 0.9866666666666667)",
  ],
  ['info', 'none', '[2020-06-05:09:20:36:INFO] Running standalone xgboost training.'],
  [
    'info',
    'none',
    '[2020-06-05:09:20:36:INFO] File size need to be processed in the node: 0.03mb. Available memory size in the node: 8119.53mb',
  ],
  [
    'info',
    'none',
    '[09:20:36] 1200x8 matrix with 9600 entries loaded from /opt/ml/input/data/train?format=csv&label_column=0&delimiter=,',
  ],
  [
    'info',
    'none',
    '[09:20:36] src/tree/updater_prune.cc:74: tree pruning end, 1 roots, 10 extra nodes, 0 pruned nodes, max_depth=3',
  ],
  ['warning', 'none', "[2020-06-05:09:20:36:WARNING] Determined delimiter of CSV input is ','"],
  ['info', 'none', '***** Running training *****'],
  ['info', 'none', '  Num examples = 25000'],
  ['info', 'none', '  eval_accuracy           =     0.9234'],
  ['info', 'none', '  epoch                   =        1.0'],
  ['info', 'none', 'Epoch 0:  50%|█████     | 50/100 [00:05<00:05,  9.5it/s, loss=0.693, v_num=0]'],
  [
    'info',
    'none',
    '469/469 [==============================] - 5s 10ms/step - loss: 0.2974 - accuracy: 0.9137 - val_loss: 0.0785 - val_accuracy: 0.9749',
  ],
  ['info', 'none', 'Epoch 00001: val_loss improved from inf to 0.07850, saving model to /opt/ml/model/1'],
  ['info', 'none', '[Epoch 0] train=0.934 val=0.961 loss=0.213 time: 24.5'],
  [
    'info',
    'none',
    '2023-05-05 12:00:00,000 sagemaker-training-toolkit INFO     Exceptions not imported for SageMaker Debugger as it is not installed.',
  ],
  [
    'info',
    'none',
    '2022-03-03 10:00:00,000 sagemaker-training-toolkit INFO     Waiting for MPI Master to create SSH daemon.',
  ],
  [
    'info',
    'none',
    "2022-03-03 10:00:00,000 sagemaker-training-toolkit INFO     Process[es]: [psutil.Process(pid=72, name='orted', status='disk-sleep', started='19:37:21')]",
  ],
  ['info', 'none', '2022-03-03 10:00:00,000 sagemaker-training-toolkit INFO     Orted process exited'],
  [
    'info',
    'none',
    "[1,mpirank:1,algo-2]<stderr>:Warning: Permanently added 'algo-1,10.0.147.176' (ECDSA) to the list of known hosts.",
  ],
  ['info', 'none', 'Data for JOB [41305,1] offset 0 Total slots allocated 16'],
  ['info', 'none', '127.0.0.1 - - [18/Apr/2022 00:27:27] "POST /invocations HTTP/1.1" 200 -'],
  ['warning', 'none', '[2022-01-01 00:00:00,000] WARNING in app: something odd'],
  [
    'error',
    'worker_died',
    '2022-01-01T00:00:00,000 [ERROR] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker error',
  ],
  [
    'error',
    'timeout',
    'org.pytorch.serve.wlm.WorkerInitializationException: Backend worker did not respond in given time',
  ],
  [
    'error',
    'user_script_error',
    "python: can't open file '/opt/ml/code/train.py': [Errno 2] No such file or directory",
  ],
  [
    'error',
    'model_load_failure',
    "OSError: Can't load config for '/opt/ml/model'. Make sure that: - '/opt/ml/model' is a correct model identifier",
  ],
  [
    'error',
    'model_load_failure',
    "FileNotFoundError: [Errno 2] No such file or directory: '/opt/ml/model/model.pth'",
  ],
  [
    'error',
    'disk_full',
    'RuntimeError: [enforce fail at inline_container.cc:445] . PytorchStreamWriter failed writing file data/5: file write failed',
  ],
  [
    'error',
    'cuda_oom',
    '2020-01-01 00:00:00.000000: W tensorflow/core/common_runtime/bfc_allocator.cc:305] Allocator (GPU_0_bfc) ran out of memory trying to allocate 2.00GiB.',
  ],
  [
    'error',
    'timeout',
    'RuntimeError: Timed out initializing process group in store based barrier on rank: 3, for key: store_based_barrier_key:1',
  ],
  ['error', 'python_exception', 'py4j.protocol.Py4JJavaError: An error occurred while calling o123.save.'],
  [
    'error',
    'user_script_error',
    'UnexpectedStatusException: Error for Training job tf-2020-01-01-00-00-00-000: Failed. Reason: AlgorithmError: ExecuteUserScriptError:',
  ],
  [
    'error',
    'health_check',
    'ValueError: Error hosting endpoint my-endpoint: Failed. Reason: The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint..',
  ],
  [
    'error',
    's3_access',
    'ClientError: Data download failed:Failed to download data. Please check your s3 objects and ensure that there is no object that is both a folder as well as a file.',
  ],
  ['error', 'nan_loss', 'Train Epoch: 3 [12800/60000 (21%)]\tLoss: nan'],
  ['error', 'nan_loss', 'Loss is nan, stopping training'],
  ['info', 'none', 'Epoch 3 Test Error: 0.0231'],
  ['error', 'python_exception', 'Exception in thread "main" java.lang.RuntimeException: boom'],
  [
    'info',
    'none',
    '[2021-01-01 00:00:00,000] INFO - Gradient overflow.  Skipping step, loss scaler 0 reducing loss scale to 32768.0',
  ],
  ['info', 'none', 'Model server started.'],
  ['info', 'none', 'Torch worker started.'],
  [
    'info',
    'none',
    '2022-01-01T00:00:00,000 [INFO ] W-9000-model_1-stdout MODEL_LOG - Python runtime: 3.8.10',
  ],
  [
    'warning',
    'none',
    '2022-01-01T00:00:00,000 [WARN ] W-9000-model_1-stderr MODEL_LOG - /opt/conda/lib/python3.8/site-packages/torch/cuda/__init__.py:52: UserWarning: CUDA initialization: Found no NVIDIA driver on your system.',
  ],
  ['info', 'none', '2022-01-01T00:00:00,000 [INFO ] W-9000-model_1-stdout MODEL_LOG - model_fn called'],
  ['info', 'none', 'Loading checkpoint shards: 100%|██████████| 2/2 [00:05<00:00,  2.61s/it]'],
  [
    'info',
    'none',
    '2024-01-01T00:00:00.000000Z  INFO text_generation_launcher: Successfully downloaded weights.',
  ],
  [
    'info',
    'none',
    '2024-01-01T00:00:00.000000Z  INFO shard-manager: text_generation_launcher: Shard ready in 32.5s rank=0',
  ],
  [
    'info',
    'none',
    '2024-01-01T00:00:00.000000Z  INFO text_generation_router: router/src/main.rs:300: Connected',
  ],
  [
    'warning',
    'none',
    '2024-01-01T00:00:00.000000Z  WARN text_generation_router: router/src/main.rs:186: Could not find a fast tokenizer implementation for /opt/ml/model',
  ],
  ['info', 'none', '2024-01-01T00:00:00.000000Z  INFO text_generation_launcher: Shard 0 terminated'],
  ['info', 'none', '[INFO ] PyProcess - W-100-model-stdout: [1,0]<stdout>:INFO::Loading model weights'],
  [
    'info',
    'none',
    '[WARN ] PyProcess - W-100-model-stderr: Loading checkpoint shards:  50%|█████     | 1/2 [00:03<00:03,  3.12s/it]',
  ],
  ['error', 'python_exception', '[WARN ] PyProcess - W-100-model-stderr: ValueError: unsupported dtype'],
  ['info', 'none', 'INFO:     Started server process [1]'],
  ['info', 'none', 'INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)'],
  ['info', 'none', 'INFO:     127.0.0.1:40000 - "GET /ping HTTP/1.1" 200 OK'],
  ['info', 'none', '2021-04-01 00:00:00,000 INFO - Request received. Errors so far: 0'],
  ['info', 'none', 'records_processed=100, errors=0'],
  ['info', 'none', 'GridSearchCV(cv=5, error_score=nan, estimator=RandomForestClassifier())'],
  ['info', 'none', 'stderr: None'],
  ['info', 'none', '2024-01-01 00:00:00,000 - INFO - Successfully loaded the model.'],
  ['info', 'none', 'Downloading s3://sagemaker-us-east-1-123/model.tar.gz to /opt/ml/model'],
  ['info', 'none', '2022-01-01 00:00:00 Stopping - Stopping the training job'],
  ['info', 'none', 'Training job stopped'],
  ['info', 'none', '[sagemaker logs]: MaxConcurrentTransforms=4'],
  [
    'error',
    'host_oom',
    'ClientError: Please use an instance type with more memory, or reduce the size of job data processed on an instance.',
  ],
  ['info', 'none', '2024-01-01 00:00:00,000 - root - INFO - Killed switch set to false'],
  ['info', 'none', 'Allocating 2 workers with pid 120'],
  ['info', 'none', '2020-01-01 00:00:00,000 INFO - Using memory-mapped files to load the dataset'],
  ['info', 'none', 'warmup: loading model from disk'],
  // The toolkit's failure report names the user's setup, whatever failed inside it.
  [
    'error',
    'user_script_error',
    '2024-01-01 00:00:00,000 sagemaker-training-toolkit ERROR    InstallRequirementsError:',
  ],
  [
    'error',
    'worker_died',
    '2021-04-13 17:56:47,665 [INFO ] epollEventLoopGroup-5-2 org.pytorch.serve.wlm.WorkerThread - 9000 Worker disconnected. WORKER_STARTED',
  ],
  [
    'error',
    'model_load_failure',
    '| 1661392701632 | 2022-08-25T01:58:21,510 [INFO ] W-9000-model_1.0-stdout MODEL_LOG -   File "/opt/conda/lib/python3.8/site-packages/ts/model_loader.py", line 81, in load | AllTraffic/i-0ebe254fbdc09af06 |',
  ],
  ['error', 'worker_died', '1614272185221,java.lang.InterruptedException,AllTraffic/i-03af43d35aa1655b6'],
  [
    'error',
    'worker_died',
    '2022-10-03T13:14:15,520 [INFO ] W-9000-model-stdout org.pytorch.serve.wlm.WorkerThread - \tat java.util.concurrent.ArrayBlockingQueue.poll(ArrayBlockingQueue.java:435) ~[?:?]',
  ],
  [
    'info',
    'none',
    '2021-04-09 04:53:49,847 [INFO ] main   org.pytorch.serve.wlm.ModelManager - Model model loaded.',
  ],
  [
    'error',
    'model_load_failure',
    '#033[2m2023-06-16T12:57:41.398047Z#033[0m #033[31mERROR#033[0m #033[2mtext_generation_launcher#033[0m#033[2m:#033[0m Shard 3 failed to start:',
  ],
  [
    'info',
    'none',
    '#033[2m2023-06-16T12:57:41.398097Z#033[0m #033[32m INFO#033[0m #033[2mtext_generation_launcher#033[0m#033[2m:#033[0m Shutting down shards',
  ],
  [
    'info',
    'none',
    '2024-04-18T18:44:03.144-04:00   #033[2m2024-04-18T22:43:58.111453Z#033[0m #033[32m INFO#033[0m #033[1mshard-manager#033[0m: #033[2mtext_generation_launcher#033[0m#033[2m:#033[0m Waiting for shard to be ready... #033[2m#033[3mrank#033[0m#033[2m=#033[0m0#033[0m',
  ],
  [
    'info',
    'none',
    'INFO generate{parameters=GenerateParameters { best_of: None, ... } total_time="357.867572ms" validation_time="1.96844ms" queue_time="49.382µs" inference_time="355.849981ms" time_per_token="14.827082ms" seed="None"}: text_generation_router::server: router/src/server.rs:309: Success',
  ],
  [
    'error',
    'invocation_error',
    '{"timestamp":"2025-08-29T14:40:17.288163Z","level":"ERROR","message":"Request failed during generation: Server error: error trying to connect: No such file or directory (os error 2)","target":"text_generation_router_v3::backend"}',
  ],
  [
    'error',
    'host_oom',
    '[2024-01-19 00:48:32 +0000] [2973] [ERROR] Worker (pid:2977) was sent SIGKILL! Perhaps out of memory?',
  ],
  ['info', 'none', '[2024-01-19 00:48:01 +0000] [2973] [INFO] Booting worker with pid: 2976'],
  [
    'error',
    'invocation_error',
    '2023-03-29T13:16:50.813:[sagemaker logs]: bucket/SageMaker_Output/test.csv: Bad HTTP status received from algorithm: 500',
  ],
  ['info', 'none', '2023-03-29T13:16:50.813:[sagemaker logs]: bucket/SageMaker_Output/test.csv: Message:'],
  [
    'error',
    'python_exception',
    '2023-03-29T13:16:50.814:[sagemaker logs]: bucket/SageMaker_Output/test.csv: Traceback (most recent call last):',
  ],
  [
    'error',
    'invocation_error',
    '2020-10-14T04:53:51.549:[sagemaker logs]: bucket-name/v1_2020-10-13.csv: Unable to get response from algorithm',
  ],
  [
    'error',
    'nccl',
    '[E ProcessGroupNCCL.cpp:737] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=469508, OpType=ALLREDUCE, Timeout(ms)=1800000) ran for 1802212 milliseconds before timing out.',
  ],
  [
    'warning',
    'nan_loss',
    "{'loss': 0.0, 'grad_norm': nan, 'learning_rate': 4.3181818181818185e-06, 'epoch': 0.01}",
  ],
  [
    'info',
    'none',
    '[06/07/2021 20:39:12 INFO 140156949829440] #throughput_metric: host=algo-1, train throughput=148200.873995 records/second',
  ],
  ['info', 'none', '2019-08-08 18:54:50 Starting - Starting the training job...'],
  ['info', 'none', 'Billable seconds: 79'],
  ['info', 'none', 'Completed - Training job completed'],
  ['error', 'user_script_error', 'Failed - Training job failed'],
  [
    'info',
    'none',
    '2022-05-04T18:39:46,452 [INFO ] pool-2-thread-7 TS_METRICS - Requests2XX.Count:1|#Level:Host|#hostname:model.aws.local,timestamp:null',
  ],
  [
    'error',
    'timeout',
    '2019/01/03 20:53:14 [error] 55#55: *754210 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.32.0.2, server: , request: "POST /invocations HTTP/1.1"',
  ],
  [
    'error',
    'invocation_error',
    'Received server error (507) from primary and could not load the entire response body.',
  ],
  ['info', 'none', '[INFO ] ModelServer - Starting djl-serving: 0.23.0 with the following arguments'],
  ['info', 'none', 'Repairing training cluster due to hardware failure'],
  ['info', 'none', '[2021-03-03 17:06:40,000] sagemaker-training-toolkit ERROR    Connection failed'],
  ['warning', 'none', 'WARNING: This is a development server. Do not use it in a production deployment.'],
  ['info', 'none', 'Docker entrypoint called with argument(s): train'],
  ['warning', 'none', '[warn] getaddrinfo: address family for nodename not supported'],
  [
    'error',
    'worker_died',
    "Error in 'tensorflow_model_server': double free or corruption (fasttop): 0x00007ff740179300 ***",
  ],
  ['error', 'invocation_error', '#011status = StatusCode.UNAVAILABLE'],
  [
    'error',
    'invocation_error',
    ' [error] 79#79: *3 upstream prematurely closed connection while reading response header from upstream, client: 169.254.255.130, server: , request: "POST /invocations HTTP/1.1", upstream: "http://unix:/tmp/gunicorn.sock:/invocations", host: "169.254.255.131:8080"',
  ],
  ['error', 'worker_died', ' [77] [INFO] Worker exiting (pid: 77)'],
  [
    'warning',
    'health_check',
    '| 1614001176448 | 169.254.255.130 - - 22/Feb/2021:13:39:31 +0000 "GET /ping HTTP/1.1" 502 173 "-" "Go-http-client/1.1"',
  ],
  [
    'error',
    'health_check',
    '| 1614001176448 | 2021/02/22 13:39:31 https://forums.aws.amazon.com/ 11#11: *1 connect() to unix:/tmp/gunicorn.sock failed (2: No such file or directory) while connecting to upstream, client: 169.254.255.130, server: , request: "GET /ping HTTP/1.1", upstream: "http://unix:/tmp/gunicorn.sock:/ping", host: "169.254.255.131:8080" |',
  ],
  [
    'info',
    'none',
    '2021-04-18 09:17:24.772618: I tensorflow_serving/util/retrier.cc:46] Retrying of Loading servable: {name: model version: 0} exhausted max_num_retries: 0',
  ],
  [
    'warning',
    'none',
    '2021-03-14 23:56:24.637508: W external/org_tensorflow/tensorflow/core/profiler/internal/smprofiler_timeline.cc:105] SageMaker Profiler is not enabled. The timeline writer thread will not be started, future recorded events will be dropped.',
  ],
  ['error', 'user_script_error', '2019-02-25 14:11:16 Failed - Training job failed'],
  [
    'info',
    'none',
    '2022-01-25 19:26:23 Training - Downloading the training image....................bash: cannot set terminal process group (-1): Inappropriate ioctl for device',
  ],
  [
    'info',
    'none',
    "Mem: {'total': 73760206848, 'available': 53644349440, 'used': 19401740288, 'shared': 126976, 'percent': 27.3}",
  ],
  [
    'info',
    'none',
    '2022-01-25 19:29:48,307 sagemaker_pytorch_container.training INFO     Block until all host DNS lookups succeed.',
  ],
  ['info', 'none', '        "learning_rate": 3e-05,'],
  ['info', 'none', '    "current_host": "algo-1",'],
  [
    'error',
    'model_load_failure',
    '2023-08-28T16:49:18.489+02:00CopiarTraceback (most recent call last):  File "/opt/conda/bin/text-generation-server", line 8, in <module>    sys.exit(app())',
  ],
  [
    'error',
    'model_load_failure',
    '#033[2m2024-01-01T00:00:00.000000Z#033[0m #033[31mERROR#033[0m #033[2mtext_generation_launcher#033[0m#033[2m:#033[0m Download encountered an error: \nTraceback (most recent call last):',
  ],
  ['error', 'worker_died', "thread 'tokio-runtime-worker' panicked at router/src/infer.rs:598:14"],
  ['error', 'worker_died', 'Error: WebserverFailed'],
  [
    'error',
    'cuda_oom',
    '2024-01-01T00:00:00.000000Z ERROR warmup{max_input_length=1024}:warmup: text_generation_client: router/client/src/lib.rs:33: Server error: CUDA out of memory. Tried to allocate 1.00 GiB',
  ],
  [
    'warning',
    'none',
    '2024-01-01T00:00:00.000000Z  WARN text_generation_router: router/src/main.rs:330: Invalid hostname, defaulting to 0.0.0.0',
  ],
  [
    'info',
    'none',
    'INFO:sagemaker:Creating training-job with name: pytorch-training-2021-01-01-00-00-00-000',
  ],
  [
    'warning',
    'none',
    'WARNING:sagemaker.deprecations:The class RealTimePredictor has been renamed in sagemaker>=2.',
  ],
  [
    'error',
    's3_access',
    'botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the CreateEndpoint operation: Could not find model data at s3://bucket/model.tar.gz.',
  ],
  [
    'error',
    'python_exception',
    'ValueError: The current AWS identity is not a role: arn:aws:iam::111122223333:user/me, therefore it cannot be used as a SageMaker execution role',
  ],
  [
    'warning',
    'none',
    '20/05/04 09:41:20 WARN NativeCodeLoader: Unable to load native-hadoop library for your platform... using builtin-java classes where applicable',
  ],
  ['info', 'none', '20/05/04 09:41:20 INFO SparkContext: Running Spark version 2.4.4'],
  [
    'error',
    's3_access',
    'Exception in thread "main" org.apache.spark.sql.AnalysisException: Path does not exist: s3://my-bucket/input/data.csv;',
  ],
  [
    'error',
    'host_oom',
    '20/05/04 09:41:20 WARN TaskSetManager: Lost task 0.0 in stage 2.0 (TID 3, algo-2, executor 1): ExecutorLostFailure (executor 1 exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding memory limits. 5.5 GB of 5.5 GB physical memory used.',
  ],
  ['info', 'none', 'Received arguments Namespace(train_test_split_ratio=0.2)'],
  ['info', 'none', 'Train data shape after preprocessing: (22967, 58)'],
  [
    'error',
    'user_script_error',
    '/bin/bash: /tmp/OnStart_2020-01-01: /bin/bash^M: bad interpreter: No such file or directory',
  ],
  ['info', 'none', 'Solving environment: failed with initial frozen solve. Retrying with flexible solve.'],
  ['info', 'none', 'Collecting package metadata (current_repodata.json): done'],
  ['info', 'none', 'Restarting Jupyter server'],
  ['info', 'none', '2020-06-05 09:21:22 Uploading - Uploading generated training model'],
  ['info', 'none', '2021-08-08 08:08:08,888 sagemaker-training-toolkit INFO     Reporting training SUCCESS'],
  ['info', 'none', 'Model artifacts persisted at /opt/ml/model'],
  [
    'info',
    'none',
    '[2023-01-01 00:00:00,000] [INFO] [real_accelerator.py:110:get_accelerator] Setting ds_accelerator to cuda (auto detect)',
  ],
  [
    'warning',
    'none',
    '[2023-01-01 00:00:00,000] [WARNING] [stage3.py:1850:step] 1 pytorch allocator cache flushes since last step. this happens when there is high memory pressure and is detrimental to performance.',
  ],
  [
    'info',
    'none',
    '[2023-01-01 00:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=0, lr=[1.9e-05], mom=[(0.9, 0.999)]',
  ],
  ['info', 'none', 'NCCL version 2.18.3+cuda12.1'],
  ['info', 'none', 'algo-1:52:52 [0] NCCL INFO Bootstrap : Using eth0:10.0.123.45<0>'],
  ['info', 'none', 'Using /root/.cache/torch_extensions/py310_cu121 as PyTorch extensions root...'],
  ['info', 'none', 'Detected CUDA files, patching ldflags'],
  [
    'warning',
    'none',
    '/opt/conda/lib/python3.10/site-packages/torch/utils/data/dataloader.py:557: UserWarning: This DataLoader will create 8 worker processes in total.',
  ],
  ['info', 'none', '[1,mpirank:0,algo-1]<stdout>:Epoch 1/5'],
  [
    'info',
    'none',
    'trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.06220594176090199',
  ],
  [
    'error',
    'cuda_oom',
    'OutOfMemoryError: CUDA out of memory. Tried to allocate 86.00 MiB. GPU 0 has a total capacty of 22.20 GiB of which 41.12 MiB is free.',
  ],
  [
    'error',
    'nccl',
    'RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1207, unhandled cuda error (run with NCCL_DEBUG=INFO for details), NCCL version 2.14.3',
  ],
  ['info', 'none', '[INFO|trainer.py:1196] 2021-06-01 10:00:00,000 >> ***** Running training *****'],
  [
    'warning',
    'none',
    '[WARNING|modeling_utils.py:1234] 2021-06-01 10:00:00,000 >> Some weights of the model checkpoint at bert-base-uncased were not used when initializing BertForSequenceClassification',
  ],
  [
    'warning',
    'none',
    '06/01/2021 10:00:00 - WARNING - __main__ - Process rank: -1, device: cuda:0, n_gpu: 1distributed training: False, 16-bits training: False',
  ],
  [
    'info',
    'none',
    '06/01/2021 10:00:00 - INFO - __main__ -   Training/evaluation parameters TrainingArguments(output_dir=/opt/ml/model, learning_rate=5e-05)',
  ],
  ['info', 'none', 'Saving model checkpoint to /opt/ml/model/checkpoint-500'],
  ['info', 'none', 'Deleting older checkpoint [/opt/ml/model/checkpoint-1000] due to args.save_total_limit'],
  [
    'info',
    'none',
    'huggingface/tokenizers: The current process just got forked, after parallelism has already been used. Disabling parallelism to avoid deadlocks...',
  ],
  ['info', 'none', 'Reusing dataset imdb (/root/.cache/huggingface/datasets/imdb/plain_text/1.0.0)'],
  [
    'warning',
    'none',
    '[W ProcessGroupNCCL.cpp:1569] Rank 0 using best-guess GPU 0 to perform barrier as devices used by this process are currently unknown.',
  ],
  [
    'warning',
    'none',
    '[W socket.cpp:601] [c10d] The client socket has failed to connect to [localhost]:29500 (errno: 99 - Cannot assign requested address).',
  ],
  [
    'info',
    'none',
    'You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.',
  ],
  [
    'info',
    'none',
    "2021-06-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory",
  ],
  [
    'info',
    'none',
    '2021-06-01 10:00:00.000000: I tensorflow/stream_executor/cuda/cudart_stub.cc:29] Ignore above cudart dlerror if you do not have a GPU set up on your machine.',
  ],
  [
    'info',
    'none',
    '2021-06-01 10:00:00.000000: I tensorflow/core/platform/cpu_feature_guard.cc:142] This TensorFlow binary is optimized with oneAPI Deep Neural Network Library (oneDNN) to use the following CPU instructions in performance-critical operations:  AVX2 AVX512F FMA',
  ],
  [
    'info',
    'none',
    '[2021-06-01 10:00:00.000 ip-10-0-1-2.ec2.internal:27 INFO hook.py:413] Monitoring the collections: losses, metrics, sm_metrics',
  ],
  ['info', 'none', 'Checkpoint s3://bucket/ckpt does not exist, training from scratch'],
  ['info', 'none', 'Setting request timeout to 60s'],
  ['warning', 'none', '  "level": "WARN",'],
  ['warning', 'none', 'WARNING 03-31 15:19:44 [config.py:1234] Casting torch.bfloat16 to torch.float16.'],
  [
    'info',
    'none',
    'INFO 03-31 15:19:44 [metrics.py:341] Avg prompt throughput: 0.0 tokens/s, Avg generation throughput: 12.3 tokens/s, Running: 1 reqs, GPU KV cache usage: 0.5%',
  ],
  [
    'error',
    'invocation_error',
    '2022-01-01T00:00:00,000 [ERROR] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Number or consecutive unsuccessful inference 1',
  ],
  [
    'error',
    'worker_died',
    '2022-01-01T00:00:00,000 [ERROR] epollEventLoopGroup-3-1 org.pytorch.serve.http.HttpRequestHandler - Model "model" has no worker to serve inference request. Please use scale workers API to add workers.',
  ],
  [
    'info',
    'none',
    '2022-01-01T00:00:00,000 [INFO ] W-9000-model_1 TS_METRICS - PredictionTime.Milliseconds:12.3|#ModelName:model,Level:Model|#hostname:abc',
  ],
  ['error', 'model_load_failure', '[ERROR] ModelServer - Failed register workflow'],
];

describe('classifyMessage', () => {
  it.each(REAL_LINES)('classifies as %s/%s: %j', (severity, category, line) => {
    // Act
    const classification = classifyMessage(line);

    // Assess
    expect({ severity: classification.severity, category: classification.category }).toEqual({
      severity,
      category,
    });
  });

  it('falls back on the logger level when no rule names the problem', () => {
    expect(classifyMessage("ERROR:root:'NoneType' object has no attribute 'close'")).toEqual({
      severity: 'warning',
      category: 'none',
      ruleId: LEVEL_RULE_IDS.error,
    });
    expect(classifyMessage('[2020-01-01 00:00:00 +0000] [7] [WARNING] slow request')).toEqual({
      severity: 'warning',
      category: 'none',
      ruleId: LEVEL_RULE_IDS.warning,
    });
    expect(classifyMessage('2020-01-01 00:00:00,000 my.module INFO     all good')).toEqual({
      severity: 'info',
      category: 'none',
    });
  });

  it('returns metrics and the HTTP request with the classification', () => {
    expect(classifyMessage('[4]#011train-logloss:nan#011validation-logloss:nan')).toMatchObject({
      severity: 'error',
      category: 'nan_loss',
      metrics: { 'train-logloss': Number.NaN, 'validation-logloss': Number.NaN },
    });
    expect(
      classifyMessage('[INFO ] W-9000-m ACCESS_LOG - /10.32.0.2:1 "POST /invocations HTTP/1.1" 500 12'),
    ).toEqual({
      severity: 'error',
      category: 'invocation_error',
      ruleId: 'http-server-error',
      http: { status: 500, latencyMs: 12 },
    });
    expect(
      classifyMessage('10.32.0.2 - - [01/Jan/2024:00:00:00 +0000] "GET /ping HTTP/1.1" 200 1 "-" "AHC/2.0"'),
    ).toEqual({
      severity: 'info',
      category: 'none',
      http: { status: 200 },
    });
  });

  it.each([[''], [null], [undefined], [42], [{}]])('answers info/none for %j', (input) => {
    expect(classifyMessage(input as unknown as string)).toEqual({ severity: 'info', category: 'none' });
  });

  it('classifies only the start of a huge message', () => {
    // Prepare: the error sits beyond the bound.
    const huge = `${'x'.repeat(MAX_CLASSIFIED_CHARS)}\nRuntimeError: CUDA out of memory.`;

    // Act & Assess
    expect(classifyMessage(huge).category).toBe('none');
    expect(
      classifyMessage(`RuntimeError: CUDA out of memory.\n${'x'.repeat(MAX_CLASSIFIED_CHARS)}`).category,
    ).toBe('cuda_oom');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[#0-9[\]{}"':, =.a-z-]*$/)),
        (line) => {
          const classification = classifyMessage(line);
          expect(['error', 'warning', 'info']).toContain(classification.severity);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('createClassifier', () => {
  it('adds operator-defined metrics, which win over built-in names', () => {
    // Prepare
    const classify = createClassifier({
      metricDefinitions: [
        { name: 'val:f1', regex: 'val_f1=([0-9.]+)' },
        { name: 'loss', regex: 'loss: ([0-9.]+)' },
        { name: 'raw', regex: '#011step=(\\d+)' },
      ],
    });

    // Act & Assess
    expect(classify('epoch 3 val_f1=0.91').metrics).toEqual({ epoch: 3, val_f1: 0.91, 'val:f1': 0.91 });
    expect(classify('300/300 - loss: 0.5 - accuracy: 0.9').metrics).toEqual({ loss: 0.5, accuracy: 0.9 });
    expect(classify('train#011step=12').metrics).toEqual({ raw: 12 });
    expect(classify('nothing to see').metrics).toBeUndefined();
  });

  it('behaves like classifyMessage without options', () => {
    const classify = createClassifier();
    expect(classify('Killed')).toEqual(classifyMessage('Killed'));
  });

  it('answers info/none if classification fails unexpectedly', () => {
    // Prepare: make an internal step fail, standing in for any unforeseen fault.
    const classify = createClassifier({ metricDefinitions: [{ name: 'x', regex: '(x)' }] });
    const split = vi.spyOn(String.prototype, 'split').mockImplementation(() => {
      throw new Error('boom');
    });

    // Act
    const classification = classify('RuntimeError: CUDA out of memory.');
    split.mockRestore();

    // Assess
    expect(classification).toEqual({ severity: 'info', category: 'none' });
    expect(classify('RuntimeError: CUDA out of memory.').category).toBe('cuda_oom');
  });
});
