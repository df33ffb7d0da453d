/**
 * The classification rules, as data. Each rule names one phenomenon (a CUDA OOM, a dead model-server
 * worker, a benign NCCL warning), the severity and category it implies, and the log lines that justify
 * it. Rules are tried in order against the normalised message and the first match wins, so specific
 * rules come before general ones: benign look-alikes first, then the training toolkit's own failure
 * report (labels attribute a failed user script to the script even when the cause is visible), then
 * specific causes, then generic exceptions, then warnings. Each rule also names its trigger words,
 * so that a line is tried only against the rules whose triggers occur in it.
 */
import type { Category, Severity } from '../types.ts';

/** One classification rule. */
export interface Rule {
  /** Stable identifier, reported as `Classification.ruleId`. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: Category;
  /** Matched against the normalised message text (escapes decoded, copy wrappers removed). */
  readonly pattern: RegExp;
  /**
   * Words or phrases at least one of which occurs in every text {@link pattern} matches: lower-case
   * ASCII, compared case-insensitively; a trailing `\b` asks for a word boundary after it. A line
   * that contains none of them is not tried against the pattern. Without triggers, a rule is tried
   * on every line. The unit tests check them against strings generated from the pattern itself.
   */
  readonly triggers?: readonly string[];
  /** Lines, in real formats, that this rule must decide. */
  readonly examples: readonly string[];
  /** Lines that look similar but must not be decided by this rule. */
  readonly counterExamples?: readonly string[];
}

// Every pattern runs in time linear in the line (the ReDoS gate in npm test checks each with
// recheck; docs/architecture.md says how). Between two parts of a pattern on one line,
// `A(?:(?!A)[^\n]){0,500}B` rather than `A[^\n]*B`: the bound is as far apart as real lines put
// them, and the filler stops at the next `A` (the last `A` before `B` is the one that matches), so
// a line holding `A` a thousand times is scanned once, not 500 characters per `A`. The same
// `A(?:(?!A)…)*` without the bound where nothing else ends the run. A run that a later part could also take (`\S*(?:hdfs|yarn)\S*`, `[\w-]*` after a word
// it may contain) is split the same way or checked by a lookahead, and `^` with `\s` after it
// becomes a lookbehind (`raise(?<=^\s+raise)`), because `\s` also crosses the line breaks `^`
// starts after (`\n`, and U+2028 and U+2029, which a line may hold).

/** HTTP methods as they appear in a quoted request line. */
const METHOD = '(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS)';
/** The end of a quoted request line followed by the status: `HTTP/1.1" 503`. */
const REQUEST_END = '(?:\\?[^"\\s]*)? HTTP/[\\d.]+" ';
/**
 * The end of a quoted request line after a path pattern that already takes any query string
 * (`[^"\\s]*`): a second, optional `?query` there would let the two split a run of `?` in every
 * possible way, a quadratic search on a line like `"GET /x???…???" 429 " 5`.
 */
const REQUEST_TAIL = ' HTTP/[\\d.]+" ';

/**
 * How a container runtime or init process reports that it could not start the image's command, as
 * a regex source, `command` being a pattern for that command: Docker/runc (which may escape the
 * quotes), tini, and a binary built for another CPU.
 */
function containerStartFailure(command: string): string {
  return [
    `exec: \\\\?"${command}\\\\?": executable file not found`,
    `\\[FATAL tini \\(\\d+\\)\\] exec ${command} failed`,
    `\\bexec ${command}: exec format error`,
  ].join('|');
}

/** The rules, most specific first. */
export const RULES: readonly Rule[] = [
  // ---------------------------------------------------------------- benign look-alikes
  {
    id: 'benign-nccl-watchdog-started',
    severity: 'info',
    category: 'none',
    pattern: /\bNCCL watchdog thread started\b/,
    triggers: ['watchdog thread started'],
    examples: ['I0101 00:00:00.000000 1234 ProcessGroupNCCL.cpp:800] [Rank 3] NCCL watchdog thread started!'],
  },
  {
    id: 'benign-nccl-info',
    severity: 'info',
    category: 'none',
    pattern: /\bNCCL INFO\b/,
    triggers: ['nccl info'],
    examples: [
      'algo-1:52:52 [0] NCCL INFO NET/Plugin: Failed to find ncclCollNetPlugin_v6 symbol.',
      '[1,3]<stdout>:algo-2:90:90 [3] NCCL INFO Call to connect returned Connection refused, retrying',
    ],
    counterExamples: [
      'algo-1:52:310 [0] NCCL WARN NET/OFI Request completed with error. RC: 12. Error: remote',
    ],
  },
  {
    id: 'benign-host-startup-retry',
    severity: 'info',
    category: 'none',
    pattern:
      /(?:^|\s)(?:Connection failed(?: with exception:)?\s{0,10}$|Cannot connect to host \S+(?: at port \d+\.*)?(?: Retrying\.*)?$|Can connect to host \S|Warning: Permanently added (?:(?!\sWarning: Permanently added ).)* to the list of known hosts\.?$)|\bUnable to connect to port 22 on \S+\s{0,10}$/m,
    triggers: ['connection failed', 'connect to host', 'permanently added', 'unable to connect to port 22'],
    examples: [
      '2023-06-01 10:11:12,001 sagemaker-training-toolkit ERROR    Connection failed',
      // The toolkit waiting for the other hosts' SSH daemons: it tries again until they answer.
      '2021-06-01 22:07:51,499 sagemaker-training-toolkit INFO     Connection failed with exception: ',
      ' [Errno None] Unable to connect to port 22 on 10.0.236.236',
      '2023-06-01 10:11:12,002 sagemaker-training-toolkit INFO     Cannot connect to host algo-2 at port 22. Retrying',
      "Warning: Permanently added 'algo-2,10.0.201.84' (ECDSA) to the list of known hosts.",
    ],
    counterExamples: ['ConnectionError: Connection failed after 3 retries to https://example.com'],
  },
  {
    id: 'benign-startup-noise',
    severity: 'info',
    category: 'none',
    pattern:
      /nvidia-smi: failed to run|StatusConsoleListener|Failed to run (?=\S*(?:hdfs|yarn))\S* --daemon|DAGScheduler: failed: Set\(\)|Failed to parse hyperparameter \S+ value \S+ to Json|checkpoint config file \S+ does not exist|XX:[+-]?\w*OutOfMemoryError|\b(?:attach|terminate)IOStreams\(\)|\bNoIssuesFound\b|Could not load dynamic library|Ignore above cudart dlerror|failed call to cuInit|Retrying \(Retry\(total=\d+/,
    triggers: [
      'nvidia-smi',
      'statusconsolelistener',
      '--daemon',
      'dagscheduler',
      'hyperparameter',
      'checkpoint config file',
      'xx:',
      'iostreams()',
      'noissuesfound',
      'could not load dynamic library',
      'cudart dlerror',
      'cuinit',
      'retry(total=',
    ],
    examples: [
      '[2024-01-02 10:00:00.000 algo-1:27 ERROR utils.py:31] nvidia-smi: failed to run (127)',
      '2023-05-05T10:00:00,000 ERROR StatusConsoleListener Unable to locate appender "server_metric" for logger config "ts_metrics"',
      'Failed to run /usr/hadoop-3.0.0/bin/hdfs --daemon start namenode',
      'INFO scheduler.DAGScheduler: failed: Set()',
      '[2021-01-01:00:00:00:INFO] Failed to parse hyperparameter _tuning_objective_metric value validation:f1 to Json.',
      "spark.executor.defaultJavaOptions -XX:OnOutOfMemoryError='kill -9 %p' -XX:+UseG1GC",
      '2023-01-01T00:00:00,000 [WARN ] W-9001-model_1.0 org.pytorch.serve.wlm.WorkerLifeCycle - terminateIOStreams() threadName=W-9001-model_1.0-stderr',
      '*  VanishingGradient: NoIssuesFound',
      "2021-06-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory",
      '2021-06-01 10:00:00.000000: E tensorflow/stream_executor/cuda/cuda_driver.cc:271] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected',
      "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)\")': /simple/torch/",
    ],
  },
  {
    id: 'benign-execution-parameters-probe',
    severity: 'info',
    category: 'none',
    pattern: new RegExp(`"GET /execution-parameters${REQUEST_END}404\\b`),
    triggers: ['"get /execution-parameters'],
    examples: [
      '169.254.255.130 - - [11/Jan/2021:19:46:49 +0000] "GET /execution-parameters HTTP/1.1" 404 232 "-" "Go-http-client/1.1"',
    ],
  },

  // ---------------------------------------------------------------- the toolkit's failure report
  {
    id: 'toolkit-user-script-failed',
    severity: 'error',
    category: 'user_script_error',
    // The toolkit's own error classes (sagemaker-training-toolkit and the older sagemaker-containers)
    // report the user's module failing to install, import or run. It logs `Encountered exit_code N`
    // only for a non-zero code, as it exits with it.
    pattern:
      /(?:ExecuteUserScript|InstallModule|InstallRequirements|ImportModule)Error|ChannelDoesNotExist(?:Error|Exception)|Reporting training FAILURE|\bframework error:|Encountered exit_code -?[1-9]/,
    triggers: [
      'executeuserscripterror',
      'installmoduleerror',
      'installrequirementserror',
      'importmoduleerror',
      'channeldoesnotexist',
      'reporting training failure',
      'framework error:',
      'encountered exit_code',
    ],
    examples: [
      '2023-02-01 12:00:00,000 sagemaker-training-toolkit ERROR    ExecuteUserScriptError:\nExitCode 1\nErrorMessage ""',
      '2020-01-01 00:00:00,000 sagemaker-containers ERROR    Reporting training FAILURE',
      'AlgorithmError: framework error: \nTraceback (most recent call last):',
      '2024-09-12 18:40:03,117 sagemaker-training-toolkit ERROR    Encountered exit_code 2',
      '2024-01-01 00:00:00,000 sagemaker-training-toolkit ERROR    InstallRequirementsError:',
      '2021-05-18 11:07:45,390 sagemaker-training-toolkit ERROR    InstallModuleError:\nExitCode 1\nErrorMessage ""\nCommand "/opt/conda/bin/python3.8 -m pip install . -r requirements.txt"',
      "sagemaker_training.errors.ImportModuleError: No module named 'train'",
      'sagemaker_containers._errors.ChannelDoesNotExistException: Channel validation is not a valid channel',
    ],
    counterExamples: ['2024-09-12 18:40:03,117 sagemaker-training-toolkit INFO     Encountered exit_code 0'],
  },

  // ---------------------------------------------------------------- memory
  {
    id: 'host-oom-tensor-on-cpu',
    severity: 'error',
    category: 'host_oom',
    pattern: /OOM when allocating tensor(?:(?!OOM when allocating tensor)[^\n]){0,500}device:CPU/,
    triggers: ['oom when allocating tensor'],
    examples: [
      'ResourceExhaustedError: OOM when allocating tensor with shape[1024,1024] and type float on /job:localhost/replica:0/task:0/device:CPU:0 by allocator cpu',
    ],
  },
  {
    id: 'cuda-oom',
    severity: 'error',
    category: 'cuda_oom',
    pattern:
      /CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|CUDA_ERROR_OUT_OF_MEMORY|cudaErrorMemoryAllocation|OOM when allocating tensor|Resource exhausted:\s+OOM|RESOURCE_EXHAUSTED: Out of memory|Caught OutOfMemoryError|HIP out of memory|Not enough memory to handle \d+ (?:prefill |total )?tokens|GPU_\d+_bfc\) ran out of memory|GPU (?:is )?out of memory|Cuda failure 'out of memory'|bad_alloc: (?:out_of_memory: )?CUDA|No available memory for the cache blocks|Allocation on device \d+ would exceed allowed memory/,
    triggers: [
      'out of memory',
      'outofmemoryerror',
      'status_alloc_failed',
      'cuda_error_out_of_memory',
      'cudaerrormemoryallocation',
      'oom when allocating tensor',
      'resource exhausted:',
      'not enough memory to handle',
      'bad_alloc: ',
      'no available memory for the cache blocks',
      'would exceed allowed memory',
    ],
    examples: [
      'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.80 GiB total capacity; 1.28 GiB already allocated)',
      'torch.cuda.OutOfMemoryError: Caught OutOfMemoryError in replica 0 on device 0.',
      'RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`',
      '2 root error(s) found. (0) Resource exhausted:  OOM when allocating tensor with shape[8,256,64,64] on /job:localhost/replica:0/task:0/device:GPU:0',
      "algo-1:40:40 [0] NCCL WARN Cuda failure 'out of memory'",
      'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
      '2024-01-01T00:00:00.000000Z ERROR text_generation_launcher: Not enough memory to handle 4096 prefill tokens. You need to decrease `--max-batch-prefill-tokens`',
      '2020-01-01 00:00:00.000000: W tensorflow/core/common_runtime/bfc_allocator.cc:305] Allocator (GPU_0_bfc) ran out of memory trying to allocate 2.00GiB.',
      // PyTorch's allocator when a per-process memory fraction caps the GPU; also inside a TGI panic.
      'torch.OutOfMemoryError: Allocation on device 1 would exceed allowed memory. (out of memory)',
      "thread 'main' panicked at 'Unable to warmup model: Generation(\"Allocation on device 2 would exceed allowed memory. (out of memory)\\nCurrently allocated     : 30.51 GiB\\nRequested               : 2.00 GiB\")'",
    ],
    counterExamples: [
      'RuntimeError: CUDA error: an illegal memory access was encountered',
      '[19:46:50] src/operator/nn/mkldnn/mkldnn_base.cc:74: Allocate 147456 bytes with malloc directly',
    ],
  },
  {
    id: 'host-oom',
    severity: 'error',
    category: 'host_oom',
    pattern:
      /instance type with more memory|Out of Memory\. Please use a larger instance|\bOOMKilled\b|Out of memory: Kill(?:ed)? process|\boom-kill\b|exit(?:ed)?(?: with)? (?:code|status)[:\s]+137\b|exitcode\s*:\s*-9\b|(?:terminated due to|exited on|killed by) signal:? 9\b|\bSIGKILL\b|killed by signal: Killed|Killed(?<=^\s*Killed)\s*$|\d\s+Killed\s+\S|Cannot allocate memory|(?:^|[\s.:])(?:Array)?MemoryError\b|_ArrayMemoryError|std::bad_alloc|Unable to allocate [\d.]+ [KMGTP]i?B|java\.lang\.OutOfMemoryError|exceeding (?:physical )?memory limits/m,
    triggers: [
      'instance type with more memory',
      'out of memory',
      'killed',
      'oom-kill',
      'exit',
      'signal',
      'sigkill',
      'cannot allocate memory',
      'memoryerror',
      'bad_alloc',
      'unable to allocate',
      'memory limits',
    ],
    examples: [
      'ClientError: Please use an instance type with more memory, or reduce the size of training data processed on an instance.',
      '[2022-05-17 01:21:07 +0000] [14] [WARNING] Worker with pid 18 was terminated due to signal 9',
      '[2024-02-02 10:00:00 +0000] [7] [ERROR] Worker (pid:9) was sent SIGKILL! Perhaps out of memory?',
      'RuntimeError: DataLoader worker (pid 4051) is killed by signal: Killed.',
      'numpy.core._exceptions._ArrayMemoryError: Unable to allocate 12.4 GiB for an array with shape (40000, 41600) and data type float64',
      'OSError: [Errno 12] Cannot allocate memory',
      'exitcode  : -9 (pid: 6774)',
      'Container killed by YARN for exceeding memory limits. 12.4 GB of 12 GB physical memory used.',
      'Killed',
    ],
    counterExamples: [
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.',
      'INFO: Killed 3 idle connections',
    ],
  },
  {
    id: 'disk-full',
    severity: 'error',
    category: 'disk_full',
    pattern:
      /No space left on device|Insufficient disk space|\[Errno 28\]|StorageFull|\bENOSPC\b|Disk quota exceeded|not enough (?:free )?(?:disk )?space|out of disk space|PytorchStreamWriter failed writing file/i,
    triggers: [
      'no space left on device',
      'insufficient disk space',
      '[errno 28]',
      'storagefull',
      'enospc',
      'disk quota exceeded',
      'not enough ',
      'out of disk space',
      'pytorchstreamwriter failed writing file',
    ],
    examples: [
      "OSError: [Errno 28] No space left on device: '/opt/ml/checkpoints/step_100'",
      'ClientError: Artifact upload failed:Insufficient disk space',
      'RuntimeError: [enforce fail at inline_container.cc:445] . PytorchStreamWriter failed writing file data/5: file write failed',
    ],
  },

  // ---------------------------------------------------------------- distributed training
  {
    id: 'nccl-collective-timeout',
    severity: 'error',
    category: 'nccl',
    pattern:
      /Watchdog caught collective operation timeout|NCCL communicator was aborted|ncclCommWatchdog|ProcessGroupNCCL(?:(?!ProcessGroupNCCL)[^\n]){0,500}(?:timeout|Timeout|timed out)/,
    triggers: [
      'watchdog caught collective operation timeout',
      'nccl communicator was aborted',
      'ncclcommwatchdog',
      'processgroupnccl',
    ],
    examples: [
      '[rank5]:[E602 11:17:52.185053341 ProcessGroupNCCL.cpp:632] [Rank 5] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=12, OpType=ALLREDUCE, Timeout(ms)=600000) ran for 600050 milliseconds before timing out.',
      'RuntimeError: NCCL communicator was aborted on rank 3.',
    ],
  },
  {
    id: 'nccl-error',
    severity: 'error',
    category: 'nccl',
    pattern:
      /NCCL error|ncclInternalError|ncclSystemError|ncclUnhandledCudaError|ncclRemoteError|ncclInvalidUsage|ncclInvalidArgument|nccl(?:(?!nccl)\w)* failed|unhandled (?:system|cuda) error|DistBackendError|DistNetworkError|NCCL watchdog|NCCL operations have failed|setting up NCCL communicator(?:(?!setting up NCCL communicator)[^\n]){0,500}(?:error|failed)|NCCL WARN(?:(?!NCCL WARN)[^\n]){0,500}(?:completed with error|Error:|error \d|Connection (?:closed|reset|refused)|remote peer|unhandled|timed? ?out|[Aa]bort|truncated|Call to \w+ failed)|Horovod has been shut down|ORTE has lost communication|torch\.distributed\.elastic(?:(?!torch\.distributed\.elastic)[^\n]){0,500}(?:failed \(exitcode|ChildFailedError)|ChildFailedError|Primary job\s+terminated normally, but \d+ process(?:es)? returned/,
    triggers: [
      'nccl',
      'unhandled system error',
      'unhandled cuda error',
      'distbackenderror',
      'distnetworkerror',
      'horovod has been shut down',
      'orte has lost communication',
      'torch.distributed.elastic',
      'childfailederror',
      'primary job',
    ],
    examples: [
      'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system error, NCCL version 2.14.3',
      'RuntimeError: NCCL error in: /opt/pytorch/torch/lib/c10d/ProcessGroupNCCL.cpp:825, internal error, NCCL version 2.7.8\nncclInternalError: Internal check failed.',
      'algo-2:61:120 [1] NCCL WARN NET/Socket : Connection closed by remote peer algo-1<43280>',
      '[2023-08-08 08:08:08,888] torch.distributed.elastic.multiprocessing.api: [ERROR] failed (exitcode: 1) local_rank: 3 (pid: 99) of binary: /opt/conda/bin/python3.10',
      'torch.distributed.elastic.multiprocessing.errors.ChildFailedError:',
      "RuntimeError: [3] is setting up NCCL communicator and retrieving ncclUniqueId from [0] via c10d key-value store by key '0', but store->get('0') got error: Connection reset by peer",
      '[rank1]:[E ProcessGroupNCCL.cpp:1182] [Rank 1] NCCL watchdog thread terminated with exception: CUDA error: an illegal memory access was encountered',
    ],
    counterExamples: [
      '[1,2]<stdout>:algo-1:80:200 [2] NCCL WARN NET/OFI Could not find ncclGetVersion symbol',
    ],
  },

  // ---------------------------------------------------------------- S3 and throttling
  {
    id: 's3-access',
    severity: 'error',
    category: 's3_access',
    pattern:
      /\bAccessDenied\b|\bAccess Denied\b|\((?:403|404)\) when calling the (?:HeadObject|GetObject|PutObject|ListObjects\w*|CreateMultipartUpload|UploadPart|HeadBucket) operation|\bNoSuchKey\b|\bNoSuchBucket\b|The specified (?:key|bucket) does not exist|matched no files on s3|InvalidAccessKeyId|SignatureDoesNotMatch|Unable to locate credentials|Failed to download (?:model )?data|Data download failed|Could not find model data|Path does not exist: s3a?:\/\/|(?:No such file or directory|does not exist): '?s3a?:\/\/|S3 (?:object|key|prefix)(?:(?!S3 (?:object|key|prefix))[^\n]){0,500}(?:does not exist|not found|could not be found)/i,
    triggers: [
      'accessdenied',
      'access denied',
      ') when calling the ',
      'nosuchkey',
      'nosuchbucket',
      'the specified ',
      'matched no files on s3',
      'invalidaccesskeyid',
      'signaturedoesnotmatch',
      'unable to locate credentials',
      'failed to download ',
      'data download failed',
      'could not find model data',
      's3://',
      's3a://',
      's3 ',
    ],
    examples: [
      'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
      'botocore.exceptions.ClientError: An error occurred (403) when calling the HeadObject operation: Forbidden',
      'botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.',
      'Failed to download model data for container "container_1" from URL: "s3://my-bucket/model.tar.gz". Please ensure that there is an object located at the URL and that the role passed to CreateModel has permissions to download the object.',
      'botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the CreateEndpoint operation: Could not find model data at s3://my-bucket/model.tar.gz.',
      'Exception in thread "main" org.apache.spark.sql.AnalysisException: Path does not exist: s3://my-bucket/input/data.csv;',
    ],
  },
  {
    id: 's3-transfer-retry',
    severity: 'warning',
    category: 's3_access',
    pattern: /\bs3transfer\.(?:(?!\bs3transfer\.)[\w.])+\s+(?:DEBUG|INFO|WARNING)\s+Exception raised/,
    triggers: ['s3transfer.'],
    examples: ['2022-02-02 02:02:02,222 s3transfer.tasks DEBUG    Exception raised.'],
    counterExamples: ['2022-02-02 02:02:02,222 s3transfer.utils DEBUG    Releasing acquire 0/None'],
  },
  {
    id: 'throttling-retried',
    severity: 'warning',
    category: 'throttling',
    // huggingface_hub logs each answer it retries at WARNING; a 429 retried is throttling, not yet a failure.
    pattern: /HTTP Error 429 thrown while requesting/,
    triggers: ['http error 429 thrown while requesting'],
    examples: [
      'WARNING:huggingface_hub.utils._http:HTTP Error 429 thrown while requesting GET https://huggingface.co/api/models/google/flan-t5-large/revision/main',
    ],
  },
  {
    id: 'throttling',
    severity: 'error',
    category: 'throttling',
    pattern:
      /Throttling(?:Exception)?\b|\bThrottled\b|\bSlowDown\b|Rate exceeded|TooManyRequests|Too Many Requests|RequestLimitExceeded|ProvisionedThroughputExceeded|ResourceLimitExceeded|error \(429\)|HTTP Error 429\b|\b429 Client Error\b/,
    triggers: [
      'throttling',
      'throttled',
      'slowdown',
      'rate exceeded',
      'toomanyrequests',
      'too many requests',
      'requestlimitexceeded',
      'provisionedthroughputexceeded',
      'resourcelimitexceeded',
      'error (429)',
      'http error 429',
      '429 client error',
    ],
    examples: [
      'botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the CreateTrainingJob operation (reached max retries: 4): Rate exceeded',
      'An error occurred (SlowDown) when calling the PutObject operation (reached max retries: 4): Please reduce your request rate.',
      "ResourceLimitExceeded: An error occurred (ResourceLimitExceeded) when calling the CreateEndpoint operation: The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 0 Instances",
      'ModelError: An error occurred (ModelError) when calling the InvokeEndpoint operation: Received client error (429) from primary',
      'urllib.error.HTTPError: HTTP Error 429: rate limited',
      'huggingface_hub.errors.HfHubHTTPError: 429 Client Error:  for url: https://huggingface.co/api/models/mistralai/Mistral-7B-v0.1',
    ],
  },
  {
    id: 'http-throttled',
    severity: 'error',
    category: 'throttling',
    pattern: new RegExp(`"${METHOD} [^"\\s]*${REQUEST_TAIL}429\\b`),
    triggers: ['" 429'],
    examples: [
      '2024-01-01T00:00:00,000 [INFO ] W-9000-model_1 ACCESS_LOG - /10.32.0.2:40712 "POST /invocations HTTP/1.1" 429 3',
    ],
  },

  // ---------------------------------------------------------------- imports and model loading
  {
    id: 'python-warning-source-echo',
    severity: 'warning',
    category: 'none',
    // Python prints the source line of a warning indented by two spaces; a traceback indents by four.
    pattern: /^ {2}(?:from\s+[.\w]+\s+import\s|import\s+[\w.]+)/m,
    triggers: ['  from', '  import'],
    examples: [
      '  from ._conv import register_converters as _register_converters',
      '/usr/local/lib/python3.6/site-packages/statsmodels/compat/pandas.py:56: FutureWarning: The pandas.core.datetools module is deprecated and will be removed in a future version.\n  from pandas.core import datetools',
    ],
    counterExamples: ['    from torchvision.ops import nms'],
  },
  {
    id: 'import-error',
    severity: 'error',
    category: 'import_error',
    pattern:
      /ModuleNotFoundError|ImportError|No module named|cannot import name|DLL load failed|cannot open shared object file|undefined symbol: \w+|Could not find a version that satisfies the requirement|No matching distribution found|(?:^|\s-\s|:\s)(?: {4,})?(?:from\s+[\w.]+\s+import\s+[\w.*,()](?: *[\w.*,()])*\s*|import\s+[\w.]+(?:\s+as\s+\w+)?\s*)$/m,
    triggers: [
      'modulenotfounderror',
      'import',
      'no module named',
      'dll load failed',
      'cannot open shared object file',
      'undefined symbol: ',
      'could not find a version that satisfies the requirement',
      'no matching distribution found',
    ],
    examples: [
      "ModuleNotFoundError: No module named 'transformers'",
      "ImportError: cannot import name 'is_torch_greater_or_equal_than_1_13' from 'transformers.pytorch_utils'",
      'OSError: libcudnn.so.8: cannot open shared object file: No such file or directory',
      '2024-01-01T00:00:00,000 [INFO ] W-9000-model_1.0-stdout MODEL_LOG - from inference_utils import load_tokenizer',
      '    from torchvision.ops import nms',
      'ERROR: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 1.13.1, 2.0.0)',
    ],
    counterExamples: [
      'Imported framework sagemaker_pytorch_container.training',
      'Loading data from the import bucket',
    ],
  },
  {
    id: 'model-load-failure',
    severity: 'error',
    category: 'model_load_failure',
    pattern:
      /Failed to load model|Load model failed|Error when initializing model|ModelLoadError|(?:Could not|Unable to|Cannot) load (?:the )?model|Error loading model|Shard \d+ failed to start|ShardCannotStart|Error\(s\) in loading state_dict|size mismatch for \S+: copying a param|Can't load (?:tokenizer|config|the model|weights)|UnpicklingError|invalid load key|code\(\) (?:takes|expected) at (?:most|least) \d+ arguments|Could not find meta graph def|No versions of servable|Failed to extract model data archive|is not a local folder and is not a valid model identifier|Failed to (?:register|start|initialize) (?:the )?model|Failed (?:to )?register (?:model|workflow)|Download encountered an error|Method Warmup encountered an error|Shard complete standard error output|Model \S+ failed to load|to load this (?:file|model)|Unrecognized model in|No such file or directory: '?\/opt\/ml\/model|[Mm]odel initialization failed|File "[^"\n]*(?:text[-_]generation[-_]server|model_loader\.py")|line \d+, in (?:model_fn|load_model|_load_model|initialize|_load_handler_file|_load_default_handler)\b/,
    triggers: [
      'failed to load',
      'load model',
      'load the model',
      'error when initializing model',
      'modelloaderror',
      'error loading model',
      'failed to start',
      'shardcannotstart',
      'in loading state_dict',
      'size mismatch for ',
      "can't load ",
      'unpicklingerror',
      'invalid load key',
      'code() ',
      'could not find meta graph def',
      'no versions of servable',
      'failed to extract model data archive',
      'is not a valid model identifier',
      'failed to register',
      'failed to initialize',
      'failed register',
      'encountered an error',
      'shard complete standard error output',
      'to load this ',
      'unrecognized model in',
      '/opt/ml/model',
      'odel initialization failed',
      'file "',
      ', in ',
    ],
    examples: [
      '2022-08-25T01:58:21,510 [WARN ] W-9000-model_1.0 org.pytorch.serve.wlm.BatchAggregator - Load model failed: model, error: Worker died.',
      '2023-06-16T12:57:41.398047Z ERROR text_generation_launcher: Shard 3 failed to start',
      'Error: ShardCannotStart',
      'RuntimeError: Error(s) in loading state_dict for BertModel:',
      "_pickle.UnpicklingError: invalid load key, 'v'.",
      '  File "/opt/conda/lib/python3.10/site-packages/text_generation_server/cli.py", line 90, in serve',
      '2022-08-25T01:58:21,510 [INFO ] W-9000-model_1.0-stdout MODEL_LOG -   File "/opt/conda/lib/python3.8/site-packages/sagemaker_pytorch_serving_container/handler_service.py", line 51, in initialize',
      '2024-01-01T00:00:00.000000Z ERROR text_generation_launcher: Download encountered an error: ',
      '2024-01-01T00:00:00.000000Z ERROR text_generation_launcher: Method Warmup encountered an error.',
      '[ERROR] ModelServer - Failed register workflow',
      "FileNotFoundError: [Errno 2] No such file or directory: '/opt/ml/model/model.joblib'",
      "OSError: We couldn't connect to 'https://huggingface.co' to load this file, couldn't find it in the cached files",
    ],
  },
  {
    id: 'model-archive-failure',
    severity: 'error',
    category: 'model_load_failure',
    // torch-model-archiver, run at start-up by the serving toolkits, logs its ModelArchiverError and
    // exits; the model server then has no archive to register.
    pattern:
      /\b(?:Model|Workflow)ArchiverError\b|\.[mw]ar already exists|--force\/-f option to overwrite|model-archiver expects only one|Failed to (?:convert \S+ to|save) the model-archive/,
    triggers: [
      'archivererror',
      'ar already exists',
      '--force/-f option to overwrite',
      'model-archiver expects only one',
      'the model-archive',
    ],
    examples: [
      'ERROR - /opt/ml/model/export/resnet-18.mar already exists.\nPlease specify --force/-f option to overwrite the model archive output file.',
      "ERROR - model-archiver expects only one .pt file in the folder. Found 2 files ['model.pt', 'model_best.pt'] in model-path.",
      'ERROR - Failed to convert bert_classifier to the model-archive.',
    ],
    counterExamples: ['WARNING - Overwriting /opt/ml/model/export/resnet-18.mar ...'],
  },

  // ---------------------------------------------------------------- serving
  {
    id: 'inference-handler-frame',
    severity: 'error',
    category: 'invocation_error',
    // Stack frames inside the SageMaker inference toolkit's per-request hooks.
    pattern:
      /line \d+, in (?:input_fn|predict_fn|output_fn|transform_fn)\b|sagemaker_inference[\\/]transformer\.py", line \d+, in transform\b/,
    triggers: [', in '],
    examples: [
      '  File "/opt/ml/model/code/inference.py", line 41, in predict_fn',
      '2023-03-29T13:16:50.814:[sagemaker logs]: bucket/in.csv:   File "/usr/local/lib/python3.8/dist-packages/sagemaker_inference/transformer.py", line 128, in transform',
    ],
  },
  {
    id: 'worker-died',
    severity: 'error',
    category: 'worker_died',
    pattern:
      /[Bb]ackend worker process die|Worker died|Worker disconnected|worker process died|Webserver Crashed|\b(?:Shard \d+|[Ww]orker(?: \d+)?|[Ee]ngine|[Ss]erver process|[Bb]ackend process) (?:has )?crashed\b|\bShardFailed\b|\b[A-Z]\w*(?:Dead|Died)(?:Error|Exception)\b|EngineCore encountered a fatal error|[Ee]ngine core proc \S+ died unexpectedly|Worker \(pid:\d+\) exited with code|Worker failed to boot|Shard process was signaled to shutdown|Auto recovery failed|Retry worker: \d+|Backend worker error|Worker exiting \(pid|has no worker to serve inference request|WebserverFailed|panicked at|^panic: \S|^\[?F(?:\d{4} +\d\d:\d\d:\d\d\.\d+(?: +\d+)?)? +[\w./-]+\.(?:cc|cpp|cu|h):\d+\] |(?:terminated due to|exited on|killed by) signal:? (?:4|6|8|11)\b|was sent SIG(?:ABRT|SEGV|ILL|FPE)\b|killed by signal: (?:Aborted|Illegal instruction|Floating point exception)|double free or corruption|Segmentation fault|core dumped|Fatal Python error|Python (?:worker|process) (?:died|exited)|process exited unexpectedly|InterruptedException|reportInterruptAfterWait|(?:^|\s)at (?:java\.base\/)?java\.util\.concurrent\.|(?:^|\s)at (?:org\.pytorch\.serve|com\.amazonaws\.ml\.mms)\.wlm\./m,
    triggers: [
      'worker process die',
      'worker died',
      'worker disconnected',
      'webserver crashed',
      'crashed\\b',
      'shardfailed',
      'deaderror',
      'deadexception',
      'diederror',
      'diedexception',
      'enginecore encountered a fatal error',
      'ngine core proc ',
      'worker (pid:',
      'worker failed to boot',
      'shard process was signaled to shutdown',
      'auto recovery failed',
      'retry worker: ',
      'backend worker error',
      'worker exiting (pid',
      'has no worker to serve inference request',
      'webserverfailed',
      'panicked at',
      'panic: ',
      '.cc:',
      '.cpp:',
      '.cu:',
      '.h:',
      'signal',
      'was sent sig',
      'double free or corruption',
      'segmentation fault',
      'core dumped',
      'fatal python error',
      'python worker ',
      'python process ',
      'process exited unexpectedly',
      'interruptedexception',
      'reportinterruptafterwait',
      'java.util.concurrent.',
      'at org.pytorch.serve.wlm.',
      'at com.amazonaws.ml.mms.wlm.',
    ],
    examples: [
      '2021-04-13 17:56:47,666 [INFO ] W-9000-model_1-stdout org.pytorch.serve.wlm.WorkerLifeCycle - Backend worker process died.',
      '2020-12-01 14:17:55,805 [INFO ] epollEventLoopGroup-5-2 org.pytorch.serve.wlm.WorkerThread - 9000 Worker disconnected. WORKER_STARTED',
      '2024-04-18T22:44:41.120000Z ERROR text_generation_launcher: Webserver Crashed',
      'java.lang.InterruptedException',
      '\tat org.pytorch.serve.wlm.WorkerThread.run(WorkerThread.java:188)',
      '[2023-01-01 00:00:00 +0000] [8] [ERROR] Worker (pid:12) exited with code 3',
      "thread 'tokio-runtime-worker' panicked at router/src/infer.rs:598:14",
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '2022-11-08 13:45:02.518290: F tensorflow/core/kernels/conv_ops.cc:1068] Check failed: stream->parent()->GetConvolveAlgorithms(&algorithms)',
      '[2023-11-20 14:02:51 +0000] [1] [WARNING] Worker with pid 57 was terminated due to signal 6',
      '[2024-03-05 08:12:40 +0000] [1] [ERROR] Worker (pid:23) was sent SIGSEGV!',
      'RuntimeError: DataLoader worker (pid 3187) is killed by signal: Aborted.',
      '2024-02-14T09:21:37.402117Z ERROR text_generation_launcher: Shard 2 crashed',
      'Error: ShardFailed',
      'vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.',
      'ERROR 06-12 08:41:27 [core.py:517] EngineCore encountered a fatal error.',
      'ERROR 06-12 08:41:29 [core_client.py:605] Engine core proc EngineCore_0 died unexpectedly, shutting down client.',
      'ray.exceptions.ActorDiedError: The actor died unexpectedly before finishing this task.',
      'Error: WebserverFailed',
      "Error in 'tensorflow_model_server': double free or corruption (fasttop): 0x00007ff740179300 ***",
      '2022-01-01T00:00:00,000 [ERROR] epollEventLoopGroup-3-1 org.pytorch.serve.http.HttpRequestHandler - Model "resnet" has no worker to serve inference request. Please use scale workers API to add workers.',
      '2022-01-01T00:00:00,000 [ERROR] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker error',
      ' [77] [INFO] Worker exiting (pid: 77)',
    ],
  },
  {
    id: 'health-check-ping',
    severity: 'error',
    category: 'health_check',
    pattern:
      /did not pass the ping health check|health check(?:s)? failed|failed (?:the )?(?:ping )?health check|(?:failed|refused|timed out|error)(?:(?!failed|refused|timed out|error)[^\n]){0,500}request: "GET \/ping/,
    triggers: ['health check', 'request: "get /ping'],
    examples: [
      'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
      '2023/03/03 03:03:03 [error] 20#20: *5 connect() to unix:/tmp/gunicorn.sock failed (111: Connection refused) while connecting to upstream, client: 10.32.0.2, server: , request: "GET /ping HTTP/1.1", upstream: "http://unix:/tmp/gunicorn.sock:/ping", host: "model.aws.local:8080"',
    ],
  },
  {
    id: 'http-ping-unavailable',
    severity: 'warning',
    category: 'health_check',
    pattern: new RegExp(`"GET /ping${REQUEST_END}50[234]\\b`),
    triggers: ['"get /ping'],
    examples: ['10.32.0.2 - - [01/Feb/2022:10:00:00 +0000] "GET /ping HTTP/1.1" 503 190 "-" "AHC/2.0"'],
  },
  {
    id: 'http-ping-failure',
    severity: 'error',
    category: 'health_check',
    pattern: new RegExp(`"GET /ping${REQUEST_END}[45]\\d\\d\\b`),
    triggers: ['"get /ping'],
    examples: [
      '2022-02-02T02:02:02,020 [INFO ] pool-1-thread-4 ACCESS_LOG - /10.32.0.2:41234 "GET /ping HTTP/1.1" 500 3',
      '10.32.0.2 - - [01/Feb/2022:10:00:00 +0000] "GET /ping HTTP/1.1" 404 9 "-" "AHC/2.0"',
    ],
    counterExamples: ['10.32.0.2 - - [01/Feb/2022:10:00:00 +0000] "GET /ping HTTP/1.1" 200 1 "-" "AHC/2.0"'],
  },
  {
    id: 'timeout',
    severity: 'error',
    category: 'timeout',
    pattern:
      /WORKER TIMEOUT|upstream timed out|\b[Tt]imed out\b|did not respond in given time|startup time ?out|\bTimeout(?:Error|Exception)\b|\btook longer than\b|exceeded (?:the )?MaxRuntimeInSeconds|MaxRuntimeExceeded|MaxWaitTimeExceeded|ReadTimeout|ConnectTimeout|DeadlineExceeded|DEADLINE_EXCEEDED|[Dd]eadline exceeded|socket\.timeout|InvocationTimeout|Request timed out|Timeout waiting for/,
    triggers: [
      'timeout',
      'timed out',
      'did not respond in given time',
      'startup time',
      'took longer than',
      'maxruntime',
      'maxwaittimeexceeded',
      'deadline',
    ],
    examples: [
      '[2023-03-03 03:03:03 +0000] [12] [CRITICAL] WORKER TIMEOUT (pid:18)',
      '2019/01/03 20:53:14 [error] 11#11: *30 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.32.0.2, server: , request: "POST /invocations HTTP/1.1"',
      'ModelError: An error occurred (ModelError) when calling the InvokeEndpoint operation: Received server error (0) from primary with message "Your invocation timed out while waiting for a response from container primary."',
      "urllib3.exceptions.ReadTimeoutError: HTTPConnectionPool(host='localhost', port=8080): Read timed out. (read timeout=60)",
      'Training job exceeded the MaxRuntimeInSeconds provided. Job stopped.',
      'grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with: status = StatusCode.DEADLINE_EXCEEDED',
      'org.pytorch.serve.wlm.WorkerInitializationException: Backend worker did not respond in given time',
    ],
    counterExamples: ['INFO:__main__:timeout set to 60 seconds', 'gunicorn --timeout 60 --workers 2'],
  },
  {
    id: 'invocation-failure',
    severity: 'error',
    category: 'invocation_error',
    pattern:
      /Received (?:client|server) error \((?:[1-9]\d\d)\)|Failed invoke|Invoking custom service failed|unsuccessful inference|PredictionException|Exception on \/invocations|Bad HTTP status received from algorithm|Unable to get response from algorithm|client intended to send too large body|Request Entity Too Large|Input validation error|Request failed during generation|Incomplete generation|Exception in ASGI application|Error handling request (?!\(no URI read\))|Error on request:|\(ModelError\)|Requests5XX\.Count:[1-9]|StatusCode\.(?:UNAVAILABLE|INTERNAL|UNKNOWN|INVALID_ARGUMENT|FAILED_PRECONDITION)|\[sagemaker logs\]:(?:(?!\[sagemaker logs\]:)[^\n]){0,500}ClientError: \d{3}|\[(?:error|crit|alert|emerg)\](?:(?!\[(?:error|crit|alert|emerg)\])[^\n]){0,500}request: "(?:POST|PUT) \/invocations/,
    triggers: [
      'received client error (',
      'received server error (',
      'failed invoke',
      'invoking custom service failed',
      'unsuccessful inference',
      'predictionexception',
      'exception on /invocations',
      'bad http status received from algorithm',
      'unable to get response from algorithm',
      'client intended to send too large body',
      'request entity too large',
      'input validation error',
      'request failed during generation',
      'incomplete generation',
      'exception in asgi application',
      'error handling request',
      'error on request:',
      '(modelerror)',
      'requests5xx.count:',
      'statuscode.',
      'clienterror: ',
      'request: "post /invocations',
      'request: "put /invocations',
    ],
    examples: [
      'ModelError: An error occurred (ModelError) when calling the InvokeEndpoint operation: Received client error (424) from primary with message "{"code": 424, "type": "InternalServerException"}"',
      '2023-03-29T13:16:50.813:[sagemaker logs]: my-bucket/input/test.csv: Bad HTTP status received from algorithm: 500',
      '[2023-01-01 00:00:00,000] ERROR in app: Exception on /invocations [POST]',
      '2022-01-01T00:00:00,000 [INFO ] W-9000-model_1-stdout MODEL_LOG - Invoking custom service failed.',
      '2025-08-29T14:40:17.288163Z ERROR text_generation_router_v3::backend: backends/v3/src/backend.rs:546: Request failed during generation: Server error: error trying to connect',
      '2024-10-21T11:52:08.914306Z ERROR compat_generate{default_return_full_text=false}:generate_stream{parameters=GenerateParameters { max_new_tokens: Some(512) }}:async_stream:generate_stream: text_generation_router::infer: router/src/infer/mod.rs:126: Incomplete generation stream',
      '2022-05-04T18:39:46,452 [INFO ] pool-2-thread-7 TS_METRICS - Requests5XX.Count:1|#Level:Host|#hostname:model.aws.local,timestamp:null',
      '2022-01-01T00:00:00,000 [ERROR] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Number or consecutive unsuccessful inference 1',
      '#011status = StatusCode.UNAVAILABLE',
      'ERROR:    Exception in ASGI application',
      '[2021-09-14 10:22:31 +0000] [19] [ERROR] Error handling request /invocations',
    ],
    counterExamples: [
      '[2021-09-14 10:22:31 +0000] [19] [ERROR] Error handling request (no URI read)',
      '2022-05-04T18:39:46,452 [INFO ] pool-2-thread-7 TS_METRICS - Requests2XX.Count:1|#Level:Host|#hostname:model.aws.local,timestamp:null',
    ],
  },
  {
    id: 'router-shard-unreachable',
    severity: 'error',
    category: 'worker_died',
    // The TGI router's client to its model shards: the shard process is gone. After
    // invocation-failure, which decides the per-request report that quotes the same error.
    pattern: /Server error: (?:error trying to connect|transport error)/,
    triggers: ['server error: error trying to connect', 'server error: transport error'],
    examples: [
      '2024-11-02T16:05:12.730944Z ERROR prefill{id=18 size=2}: text_generation_router_v3::client: backends/v3/src/client/mod.rs:54: Server error: transport error',
      '2024-11-02T16:05:12.731002Z ERROR batch{batch_size=2}:decode:decode{size=2}: text_generation_router_v3::client: backends/v3/src/client/mod.rs:54: Server error: error trying to connect: No such file or directory (os error 2)',
    ],
  },
  {
    id: 'http-server-error',
    severity: 'error',
    category: 'invocation_error',
    pattern: new RegExp(`"${METHOD} [^"\\s]*${REQUEST_TAIL}5\\d\\d\\b`),
    triggers: ['" 5'],
    examples: [
      '169.254.255.130 - - [11/Jan/2021:19:46:50 +0000] "POST /invocations HTTP/1.1" 500 291 "-" "Go-http-client/1.1"',
      '2022-04-18 00:25:37,507 [INFO ] W-9003-model_1 ACCESS_LOG - /169.254.255.130:34664 "POST /invocations HTTP/1.1" 503 17',
      'INFO:     127.0.0.1:38412 - "POST /invocations HTTP/1.1" 500 Internal Server Error',
    ],
  },
  {
    id: 'http-client-error',
    severity: 'error',
    category: 'invocation_error',
    pattern: new RegExp(
      `"${METHOD} /(?:invocations|predictions|models/(?=[^"\\s]+/invoke)|v\\d/models/[^"\\s]|generate)[^"\\s]*${REQUEST_TAIL}4\\d\\d\\b`,
    ),
    triggers: ['" 4'],
    examples: [
      '10.32.0.2 - - [01/Feb/2022:10:00:00 +0000] "POST /invocations HTTP/1.1" 415 45 "-" "AHC/2.0"',
    ],
    counterExamples: [
      '10.32.0.2 - - [01/Feb/2022:10:00:00 +0000] "GET /favicon.ico HTTP/1.1" 404 9 "-" "curl/8.0"',
    ],
  },
  {
    id: 'flask-app-error',
    severity: 'error',
    category: 'invocation_error',
    // Flask's default log format is `[time] LEVEL in module: message`; a serving container's Flask
    // app logs at ERROR what went wrong while answering a request.
    pattern: /^(?:ERROR|CRITICAL) in [A-Za-z_]\w*: \S/m,
    triggers: ['error in ', 'critical in '],
    examples: [
      "[2020-03-11 17:24:09,351] ERROR in predictor: could not convert string to float: 'abc'",
      '[2019-08-02 04:55:21,007] ERROR in serve: Failed to deserialize the request payload',
    ],
    counterExamples: ['[2019-08-02 04:55:20,112] INFO in serve: Model loaded from /opt/ml/model'],
  },

  // ---------------------------------------------------------------- user script problems
  {
    id: 'container-serve-command-failed',
    severity: 'error',
    category: 'model_load_failure',
    // SageMaker starts an endpoint's container with the argument `serve`: without it, no model server.
    pattern: new RegExp(containerStartFailure('(?:[^\\s"\\\\]*/)?serve')),
    triggers: ['executable file not found', '[fatal tini', 'exec format error'],
    examples: [
      'docker: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "serve": executable file not found in $PATH: unknown.',
      '[FATAL tini (1)] exec /opt/program/serve failed: Permission denied',
    ],
    counterExamples: ['Docker entrypoint called with argument(s): serve'],
  },
  {
    id: 'container-start-failed',
    severity: 'error',
    category: 'user_script_error',
    // The image's own entry command (`train` for a training job) cannot be started.
    // runc names no command when the binary is for another CPU.
    pattern: new RegExp(
      `${containerStartFailure('[^\\s"\\\\]+')}|exec user process caused:? "?exec format error`,
    ),
    triggers: ['executable file not found', '[fatal tini', 'exec format error'],
    examples: [
      'starting container process caused "exec: \\"train\\": executable file not found in $PATH": unknown',
      '[FATAL tini (9)] exec /usr/local/bin/entrypoint.sh failed: No such file or directory',
      'exec /opt/program/train: exec format error',
      'standard_init_linux.go:228: exec user process caused: exec format error',
    ],
    counterExamples: [
      "[WARN  tini (7)] Tini is not running as PID 1 and isn't registered as a child subreaper.",
    ],
  },
  {
    id: 'shell-script-error',
    severity: 'error',
    category: 'user_script_error',
    // bash reports a failing command of a script as `script: line N: message`.
    pattern:
      /(?:^|\s)[\w./-]+: line \d+: \S|: command not found$|^\/bin\/(?:ba)?sh: \d+: [^\n\r\u2028\u2029]{0,500}: not found$|Lifecycle scripts did not run successfully/m,
    triggers: [': line ', ': command not found', ': not found', 'lifecycle scripts did not run successfully'],
    examples: [
      '/tmp/OnStart_2024-02-02-10-1abc: line 12: conda-activate: command not found',
      '/tmp/OnCreate_2021-07-13-19-36abcd: line 3: cd: SageMaker: No such file or directory',
      '/opt/ml/lifecycleconfig/lifecycle_script.sh: line 17: cd: /home/sagemaker-user: No such file or directory',
      '/bin/sh: 1: python: not found',
      'Instance i-0abc failed to provision with the following error: "Lifecycle scripts did not run successfully. Ensure the scripts exist in provided S3 path."',
    ],
    counterExamples: ['  File "/opt/ml/code/train.py", line 12, in <module>'],
  },
  {
    id: 'argument-error',
    severity: 'error',
    category: 'user_script_error',
    pattern:
      /ArgumentError|error: unrecognized arguments|error: the following arguments are required|error: argument --?[\w-]+|can't open file|Customer Error:|bad interpreter|Lifecycle Config(?:(?!Lifecycle Config)[^\n]){0,500}(?:failed|non-zero exit)/,
    triggers: [
      'argumenterror',
      'error: unrecognized arguments',
      'error: the following arguments are required',
      'error: argument -',
      "can't open file",
      'customer error:',
      'bad interpreter',
      'lifecycle config',
    ],
    examples: [
      'train.py: error: unrecognized arguments: --epochs 10',
      "argparse.ArgumentError: argument --lr: invalid float value: 'fast'",
      '/bin/bash: /tmp/OnStart_2020-01-01: /bin/bash^M: bad interpreter: No such file or directory',
      "Notebook Instance Lifecycle Config 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance-lifecycle-config/setup' for Notebook Instance 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb' failed: Lifecycle Config execution failed",
      "python3: can't open file '/opt/ml/code/train.py': [Errno 2] No such file or directory",
    ],
  },
  {
    id: 'nan-loss',
    severity: 'error',
    category: 'nan_loss',
    pattern:
      /(?:loss|rmse|mse|mae|logloss|perplexity)(?:(?!loss|mse|mae|perplexity)[\w-])*['"]?\s*(?:[:=]|\bis\b|\bbecame\b)\s*['"]?-?(?:nan|inf)\b|\bnan loss\b|Loss is (?:nan|inf)|Invalid loss, terminating training/i,
    triggers: ['nan\\b', 'inf\\b', 'loss is ', 'invalid loss'],
    examples: [
      "{'loss': nan, 'grad_norm': nan, 'learning_rate': 1e-05, 'epoch': 0.5}",
      '[7]#011train-rmse:-nan#011validation-rmse:-nan',
      '300/300 - 12s - loss: nan - accuracy: 0.1000',
      'Batch 120: Invalid loss, terminating training',
    ],
    counterExamples: ['Total: NaNs=0 Infs=0', 'GridSearchCV(cv=5, error_score=nan, n_jobs=-1)'],
  },
  {
    id: 'nan-gradient',
    severity: 'warning',
    category: 'nan_loss',
    pattern: /grad(?:ient)?_?norm['"]?\s*[:=]\s*['"]?-?(?:nan|inf)\b/i,
    triggers: ['nan\\b', 'inf\\b'],
    examples: ["{'loss': 1.2, 'grad_norm': nan, 'learning_rate': 2e-05, 'epoch': 0.3}"],
  },

  // ---------------------------------------------------------------- platform failure reasons
  {
    id: 'platform-failure',
    severity: 'error',
    category: 'none',
    pattern: /\b(?:CapacityError|InternalServerError|InsufficientInstanceCapacity):/,
    triggers: ['capacityerror:', 'internalservererror:', 'insufficientinstancecapacity:'],
    examples: [
      'CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type.',
      'InternalServerError: We encountered an internal error. Please try again.',
    ],
  },
  {
    id: 'algorithm-error',
    severity: 'error',
    category: 'user_script_error',
    pattern: /\bAlgorithmError:|Failed - Training job failed|Reason: AlgorithmError/,
    triggers: ['algorithmerror', 'failed - training job failed'],
    examples: [
      'UnexpectedStatusException: Error for Processing job proc-2024-01-01: Failed. Reason: AlgorithmError: See job logs for more information',
      '2024-01-01 10:10:10 Failed - Training job failed',
    ],
  },

  // ---------------------------------------------------------------- generic exceptions
  {
    id: 'python-warning',
    severity: 'warning',
    category: 'none',
    pattern: /\b[A-Z]\w*Warning: |\bwarnings\.warn\(|\bis deprecated\b|will be removed in a future/,
    triggers: ['warning: ', 'warnings.warn(', 'is deprecated', 'will be removed in a future'],
    examples: [
      '/opt/conda/lib/python3.10/site-packages/transformers/optimization.py:411: FutureWarning: This implementation of AdamW is deprecated',
      '/usr/local/lib/python3.8/site-packages/sklearn/base.py:450: UserWarning: X does not have valid feature names',
      '  warnings.warn(',
    ],
  },
  {
    id: 'python-traceback',
    severity: 'error',
    category: 'python_exception',
    pattern:
      /Traceback \(most recent call last\)|During handling of the above exception|\b[Uu]n(?:caught|handled) exception\b|Exception (?:in thread|during)\b|The above exception was the direct cause|(?:^|\s)File "[^"\n]+", line \d+|raise(?<=^\s+raise)\s+\w|(?:^|[\s:>\]"'(])(?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*(?:Error|Exception)|Exception|[A-Z]\w*(?:Exit|Interrupt))(?::(?!\s*[-+]?\d)\s|:$)|(?:^|\s)(?:[a-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)$|(?:^|\s)at [\w$.]+(?:\/[\w$.]+)?\([\w$]+\.java:\d+\)/m,
    triggers: [
      'traceback (most recent call last)',
      'during handling of the above exception',
      'exception\\b',
      'file "',
      'raise',
      'error\\b',
      'exit:',
      'interrupt:',
      '.java:',
    ],
    examples: [
      'Traceback (most recent call last):',
      '  File "/opt/ml/code/train.py", line 88, in main',
      "KeyError: 'label'",
      'subprocess.CalledProcessError: Command \'["python", "prepare.py"]\' returned non-zero exit status 2.',
      'Exception: input payload is empty',
      'RuntimeError:',
      'During handling of the above exception, another exception occurred:',
      '\tat org.apache.spark.sql.execution.SparkPlan.execute(SparkPlan.java:180)',
      '[11/20/2018 17:01:34 ERROR 140337318147904] Exception during training: Input contains NaN',
      'Unhandled exception in main loop',
    ],
    counterExamples: [
      'smdistributed.dataparallel not found or using an older version without custom exceptions.',
      '[0]#011train-error:0.11#011validation-error:0.12',
      "ERROR:root:'NoneType' object has no attribute 'write'",
      'Epoch 3 Test Error: 0.0231',
    ],
  },

  // ---------------------------------------------------------------- warnings that report no fault
  {
    id: 'benign-nccl-net-plugin-fallback',
    severity: 'warning',
    category: 'none',
    // A network plugin (aws-ofi-nccl without EFA) that does not start: NCCL falls back to its own
    // transport and the job goes on; a failed operation afterwards is still nccl-warn-failure.
    pattern:
      /\b(?:NCCL|CCOM) WARN NET\/(?:OFI|Plugin)\b(?:(?!\b(?:NCCL|CCOM) WARN NET\/(?:OFI|Plugin)\b)[^\n]){0,300}(?:initiali[sz]ation failed|Only EFA provider is supported)/,
    triggers: ['nccl warn net/', 'ccom warn net/'],
    examples: [
      'algo-1:126:264 [3] nccl_net_ofi_init:1483 NCCL WARN NET/OFI aws-ofi-nccl initialization failed',
      '2023-Jun-02 07:48:59.0910 110:124 [0] nccl_net_ofi_init:1415 CCOM WARN NET/OFI aws-ofi-nccl initialization failed',
    ],
    counterExamples: [
      'algo-1:52:310 [0] NCCL WARN NET/OFI Request completed with error. RC: 12. Error: remote',
    ],
  },
  {
    id: 'nccl-warn-failure',
    severity: 'error',
    category: 'nccl',
    // A NCCL WARN that reports a failed operation (not a missing optional symbol, which stays a warning).
    pattern: /\bNCCL WARN\b(?:(?!\bNCCL WARN\b)[^\n]){0,300}(?:[Ff]ailed|[Ff]ailure)/,
    triggers: ['nccl warn'],
    examples: ['ip-10-0-0-1:10:20 [2] proxy.cc:900 NCCL WARN [Service thread] Failed to accept a connection'],
    counterExamples: [
      '[1,2]<stdout>:algo-1:80:200 [2] NCCL WARN NET/OFI Could not find ncclGetVersion symbol',
    ],
  },
  {
    id: 'benign-nccl-warn',
    severity: 'warning',
    category: 'none',
    pattern: /\bNCCL WARN\b/,
    triggers: ['nccl warn'],
    examples: ['[1,2]<stdout>:algo-1:80:200 [2] NCCL WARN NET/OFI Could not find ncclGetVersion symbol'],
  },
  {
    id: 'debugger-issues-found',
    severity: 'warning',
    category: 'none',
    pattern: /:\s*IssuesFound\b|This is a development server\. Do not use it in a production deployment/,
    triggers: ['issuesfound', 'this is a development server'],
    examples: [
      'ProfilerReport-1700000000: IssuesFound',
      'WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.',
    ],
  },
  {
    id: 'worker-stopped-by-signal',
    severity: 'warning',
    category: 'none',
    // Hang-up, interrupt, quit and terminate stop a worker on purpose (restart, scale-in, shutdown);
    // gunicorn still logs them at WARNING or ERROR. Kills (9) and crashes (4, 6, 8, 11) are decided above.
    pattern:
      /(?:terminated due to|exited on|killed by) signal:? (?:1|2|3|15)\b|was sent SIG(?:HUP|INT|QUIT|TERM)!/,
    triggers: ['signal', 'was sent sig'],
    examples: [
      '[2022-03-01 10:00:00 +0000] [7] [WARNING] Worker with pid 31 was terminated due to signal 15',
      '[2024-01-10 09:15:02 +0000] [1] [ERROR] Worker (pid:42) was sent SIGTERM!',
      '[2023-06-12 16:40:11 +0000] [9] [WARNING] Worker with pid 14 was terminated due to signal 1',
    ],
    counterExamples: [
      '[2022-03-01 10:00:00 +0000] [7] [WARNING] Worker with pid 31 was terminated due to signal 9',
      '[2022-03-01 10:00:00 +0000] [7] [WARNING] Worker with pid 31 was terminated due to signal 11',
    ],
  },
];

/** A trigger as a regex source: its text escaped, a trailing `\b` kept as the assertion. */
function toTriggerSource(trigger: string): string {
  const wordEnd = trigger.endsWith('\\b');
  const text = wordEnd ? trigger.slice(0, -2) : trigger;
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + (wordEnd ? '\\b' : '');
}

/**
 * Every rule's triggers (as regex sources), each once. A line that contains none of them cannot
 * match any rule.
 */
export const RULE_TRIGGER_WORDS: readonly string[] = [
  ...new Set(RULES.flatMap((rule) => (rule.triggers ?? []).map(toTriggerSource))),
];

/** One case-insensitive test for all {@link RULE_TRIGGER_WORDS}. */
export const RULE_PREFILTER = new RegExp(RULE_TRIGGER_WORDS.join('|'), 'i');
