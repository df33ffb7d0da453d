/**
 * The vocabulary shared by every part of sagewatch: where a log line came from ({@link LogSource})
 * and what it says ({@link Classification}). These shapes are public contracts; keep them stable.
 */

/** The SageMaker resource kinds whose log groups sagewatch understands. */
export const ResourceTypes = [
  'TrainingJob',
  'ProcessingJob',
  'TransformJob',
  'Endpoint',
  'InferenceComponent',
  'NotebookInstance',
  'Studio',
  'HyperPodCluster',
  'LabelingJob',
  'CompilationJob',
  'InferenceRecommendationsJob',
  'Unknown',
] as const;

/** One of {@link ResourceTypes}. */
export type ResourceType = (typeof ResourceTypes)[number];

/**
 * What a log group and log stream name say about the container that wrote them.
 * Produced by `parseLogSource`, which never throws: anything it cannot place is `Unknown`.
 */
export interface LogSource {
  /** The kind of SageMaker resource, or `Unknown`. */
  resourceType: ResourceType;
  /** The job, endpoint, inference component, notebook instance, domain or cluster name. */
  resourceName?: string;
  /** Endpoints: the production variant (`AllTraffic`, ...). */
  variantName?: string;
  /** `algo-N` for training and processing; the instance id or serverless token elsewhere. */
  instance?: string;
  /** Inference-pipeline container name. Never `data-log` or `ssm`: those are channels. */
  container?: string;
  /** A stream that is a channel rather than container output: `data-log`, `ssm`, `jupyter`, ... */
  channel?: string;
  /** Epoch seconds at the end of a training, processing or transform stream's host segment. */
  startedAt?: number;
  /**
   * The value SageMaker itself uses for the `Host` dimension of the same instance's metrics:
   * `job/algo-N`, `transform-job/instance-id`, `endpoint/variant/instance-id`.
   */
  host?: string;
  /** The log group, verbatim. */
  logGroup: string;
  /** The log stream, verbatim. */
  logStream: string;
}

/** Severities a single log line can carry. */
export const Severities = ['error', 'warning', 'info'] as const;

/** One of {@link Severities}. */
export type Severity = (typeof Severities)[number];

/** What kind of problem a log line reports; `none` for a line that reports none. */
export const Categories = [
  'cuda_oom',
  'host_oom',
  'nccl',
  'disk_full',
  's3_access',
  'import_error',
  'python_exception',
  'model_load_failure',
  'worker_died',
  'invocation_error',
  'health_check',
  'timeout',
  'user_script_error',
  'nan_loss',
  'throttling',
  'none',
] as const;

/** One of {@link Categories}. */
export type Category = (typeof Categories)[number];

/** One request seen in a serving container's access log or model-server log. */
export interface HttpInfo {
  /** HTTP status code. */
  status: number;
  /** Request latency in milliseconds, where the line carries it. */
  latencyMs?: number;
}

/** What `classifyMessage` says about one log line. */
export interface Classification {
  severity: Severity;
  category: Category;
  /** Training or evaluation metrics found in the line, by metric name. */
  metrics?: Record<string, number>;
  /** Present when the line is about exactly one HTTP request. */
  http?: HttpInfo;
  /** The id of the rule that decided severity and category (absent for the default). */
  ruleId?: string;
  /** For a decision of the general tier: the words of the line that decided it. */
  evidence?: string;
  /**
   * `context` when the category says where the line was written, not what its words name (a
   * failure named only by words in an endpoint is an `invocation_error`); absent otherwise.
   */
  categoryFrom?: 'context';
}

/** Rule ids of the general tier (lib/classify/general-tier.ts), reported as `Classification.ruleId`. */
export const GENERAL_RULE_IDS = {
  /** A line that is only part of a traceback's structure: a frame, its header, a chaining line. */
  tracebackStructure: 'traceback-structure',
  /** An exception class name with a message (`FooError: ...`, `SomeError: 401 ...`). */
  exceptionName: 'general-exception-name',
  /** Failure vocabulary (`failed`, `unable to`, `exited with code 1`, ...). */
  failureWords: 'general-failure-words',
} as const;

/** One CloudWatch Logs event as delivered by a subscription. */
export interface LogEvent {
  id: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  message: string;
}

/** A decoded CloudWatch Logs subscription delivery: one log group, one log stream. */
export interface LogsDelivery {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: LogEvent[];
}

/** One log event and what the classifier said about it. */
export interface ClassifiedEvent {
  event: LogEvent;
  classification: Classification;
}
