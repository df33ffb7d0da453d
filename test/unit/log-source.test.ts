import { describe, expect, it } from 'vitest';
import {
  MAX_LOG_GROUP_NAME_LENGTH,
  MAX_LOG_STREAM_NAME_LENGTH,
  parseLogSource,
} from '../../lib/log-source.ts';
import type { LogSource } from '../../lib/types.ts';

type Expected = Omit<LogSource, 'logGroup' | 'logStream'>;

interface Case {
  /** What the case shows. */
  readonly name: string;
  readonly group: string;
  readonly stream: string;
  readonly expected: Expected;
}

const TRAINING = '/aws/sagemaker/TrainingJobs';
const PROCESSING = '/aws/sagemaker/ProcessingJobs';
const TRANSFORM = '/aws/sagemaker/TransformJobs';
const NOTEBOOKS = '/aws/sagemaker/NotebookInstances';
const STUDIO = '/aws/sagemaker/studio';

const trainingCases: Case[] = [
  {
    name: 'SDK name_from_base job',
    group: TRAINING,
    stream: 'pytorch-training-2023-07-10-09-51-02-299/algo-1-1688982725',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'pytorch-training-2023-07-10-09-51-02-299',
      instance: 'algo-1',
      startedAt: 1688982725,
      host: 'pytorch-training-2023-07-10-09-51-02-299/algo-1',
    },
  },
  {
    name: 'job name ending in a millisecond timestamp',
    group: TRAINING,
    stream: 'my-job-2024-01-01-12-00-00-123/algo-1-1700000000',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'my-job-2024-01-01-12-00-00-123',
      instance: 'algo-1',
      startedAt: 1700000000,
      host: 'my-job-2024-01-01-12-00-00-123/algo-1',
    },
  },
  {
    name: 'job name ending in an epoch',
    group: TRAINING,
    stream: 'run-1700000000/algo-2-1700000042',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'run-1700000000',
      instance: 'algo-2',
      startedAt: 1700000042,
      host: 'run-1700000000/algo-2',
    },
  },
  {
    name: 'unique_name_from_base job (epoch and hex inside the name)',
    group: TRAINING,
    stream: 'xgboost-1700000000-a1b2/algo-1-1700000093',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'xgboost-1700000000-a1b2',
      instance: 'algo-1',
      startedAt: 1700000093,
      host: 'xgboost-1700000000-a1b2/algo-1',
    },
  },
  {
    name: 'job named exactly like a host segment',
    group: TRAINING,
    stream: 'algo-1-1700000000/algo-1-1700000001',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'algo-1-1700000000',
      instance: 'algo-1',
      startedAt: 1700000001,
      host: 'algo-1-1700000000/algo-1',
    },
  },
  {
    name: 'HPO child job',
    group: TRAINING,
    stream: 'sagemaker-soln-dfd-c-220805-0846-014-f4010610/algo-1-1659689421',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'sagemaker-soln-dfd-c-220805-0846-014-f4010610',
      instance: 'algo-1',
      startedAt: 1659689421,
      host: 'sagemaker-soln-dfd-c-220805-0846-014-f4010610/algo-1',
    },
  },
  {
    name: 'Pipelines step, mixed case',
    group: TRAINING,
    stream: 'pipelines-j8zf1khfah4m-ChurnModelTraining-fzH3ZV39u6/algo-1-1700000000',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'pipelines-j8zf1khfah4m-ChurnModelTraining-fzH3ZV39u6',
      instance: 'algo-1',
      startedAt: 1700000000,
      host: 'pipelines-j8zf1khfah4m-ChurnModelTraining-fzH3ZV39u6/algo-1',
    },
  },
  {
    name: 'Kubernetes operator job, consecutive hyphens, two-digit host',
    group: TRAINING,
    stream: 'xgboost--mnist-cf1e16fb10a511eaaa450a350733ba06/algo-12-1680535238',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'xgboost--mnist-cf1e16fb10a511eaaa450a350733ba06',
      instance: 'algo-12',
      startedAt: 1680535238,
      host: 'xgboost--mnist-cf1e16fb10a511eaaa450a350733ba06/algo-12',
    },
  },
  {
    name: 'remote-debugging SSM stream',
    group: TRAINING,
    stream: 'remote-debug-2023-04-03-15-19-32-110/algo-2-1680535238/ssm',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'remote-debug-2023-04-03-15-19-32-110',
      instance: 'algo-2',
      startedAt: 1680535238,
      host: 'remote-debug-2023-04-03-15-19-32-110/algo-2',
      channel: 'ssm',
    },
  },
  {
    name: 'host segment without epoch',
    group: TRAINING,
    stream: 'my-job/algo-3',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'my-job',
      instance: 'algo-3',
      host: 'my-job/algo-3',
    },
  },
  {
    name: 'algo-N whose N has ten digits is a host, not an epoch',
    group: TRAINING,
    stream: 'my-job/algo-1700000000',
    expected: {
      resourceType: 'TrainingJob',
      resourceName: 'my-job',
      instance: 'algo-1700000000',
      host: 'my-job/algo-1700000000',
    },
  },
  {
    name: 'unrecognised host segment',
    group: TRAINING,
    stream: 'my-job/worker-1700000000',
    expected: { resourceType: 'TrainingJob', resourceName: 'my-job' },
  },
  {
    name: 'epoch with the wrong number of digits',
    group: TRAINING,
    stream: 'my-job/algo-1-17000000',
    expected: { resourceType: 'TrainingJob', resourceName: 'my-job' },
  },
  {
    name: 'job prefix only',
    group: TRAINING,
    stream: 'my-job',
    expected: { resourceType: 'TrainingJob', resourceName: 'my-job' },
  },
  {
    name: 'empty job segment: no host',
    group: TRAINING,
    stream: '/algo-1-1700000000',
    expected: { resourceType: 'TrainingJob', instance: 'algo-1', startedAt: 1700000000 },
  },
  {
    name: 'empty stream',
    group: TRAINING,
    stream: '',
    expected: { resourceType: 'TrainingJob' },
  },
];

const processingCases: Case[] = [
  {
    name: 'processing job whose name ends in an epoch',
    group: PROCESSING,
    stream: 'r5l80c135r2-1777848427/algo-1-1777848464',
    expected: {
      resourceType: 'ProcessingJob',
      resourceName: 'r5l80c135r2-1777848427',
      instance: 'algo-1',
      startedAt: 1777848464,
      host: 'r5l80c135r2-1777848427/algo-1',
    },
  },
  {
    name: 'Debugger rule job',
    group: PROCESSING,
    stream: 'smdebugger-demo-mnist-tens-VanishingGradient-e23301a8/algo-1-1600000000',
    expected: {
      resourceType: 'ProcessingJob',
      resourceName: 'smdebugger-demo-mnist-tens-VanishingGradient-e23301a8',
      instance: 'algo-1',
      startedAt: 1600000000,
      host: 'smdebugger-demo-mnist-tens-VanishingGradient-e23301a8/algo-1',
    },
  },
  {
    name: 'Pipelines evaluation step',
    group: PROCESSING,
    stream: 'pipelines-is6ph1fp4go8-Abalone-Evaluate-3Ntw7qvw1A/algo-2-1700000000',
    expected: {
      resourceType: 'ProcessingJob',
      resourceName: 'pipelines-is6ph1fp4go8-Abalone-Evaluate-3Ntw7qvw1A',
      instance: 'algo-2',
      startedAt: 1700000000,
      host: 'pipelines-is6ph1fp4go8-Abalone-Evaluate-3Ntw7qvw1A/algo-2',
    },
  },
  {
    name: 'extra suffix is a channel: processing jobs have no pipeline containers',
    group: PROCESSING,
    stream: 'kmeans-mnist-processing-7410ed52fd1811eab19a165ae9f9e385/algo-1-1601234567/container-1',
    expected: {
      resourceType: 'ProcessingJob',
      resourceName: 'kmeans-mnist-processing-7410ed52fd1811eab19a165ae9f9e385',
      instance: 'algo-1',
      startedAt: 1601234567,
      host: 'kmeans-mnist-processing-7410ed52fd1811eab19a165ae9f9e385/algo-1',
      channel: 'container-1',
    },
  },
  {
    name: 'lower-case group kind',
    group: '/aws/sagemaker/processingjobs',
    stream: 'job/algo-1-1700000000',
    expected: {
      resourceType: 'ProcessingJob',
      resourceName: 'job',
      instance: 'algo-1',
      startedAt: 1700000000,
      host: 'job/algo-1',
    },
  },
];

const transformCases: Case[] = [
  {
    name: 'container stream: split the host segment at its last hyphen',
    group: TRANSFORM,
    stream: 'cpu-metrics-20251219-001300/i-09b3ca1de4dd5d2ff-1766083581',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'cpu-metrics-20251219-001300',
      instance: 'i-09b3ca1de4dd5d2ff',
      startedAt: 1766083581,
      host: 'cpu-metrics-20251219-001300/i-09b3ca1de4dd5d2ff',
    },
  },
  {
    name: 'data-log stream is a channel',
    group: TRANSFORM,
    stream: 'batch-2024-05-01-10-00-00-000/i-0207927cfb9d6b24f-1714557700/data-log',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'batch-2024-05-01-10-00-00-000',
      instance: 'i-0207927cfb9d6b24f',
      startedAt: 1714557700,
      host: 'batch-2024-05-01-10-00-00-000/i-0207927cfb9d6b24f',
      channel: 'data-log',
    },
  },
  {
    name: 'inference-pipeline container stream',
    group: TRANSFORM,
    stream: 'pipeline-batch-1714557600/i-0179208609ff7e488-1714557700/container-2',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'pipeline-batch-1714557600',
      instance: 'i-0179208609ff7e488',
      startedAt: 1714557700,
      host: 'pipeline-batch-1714557600/i-0179208609ff7e488',
      container: 'container-2',
    },
  },
  {
    name: 'short (8 hex) instance id',
    group: TRANSFORM,
    stream: 'job-1700000000/i-0abc1234-1700000100',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'job-1700000000',
      instance: 'i-0abc1234',
      startedAt: 1700000100,
      host: 'job-1700000000/i-0abc1234',
    },
  },
  {
    name: 'very short, mixed-case instance id',
    group: TRANSFORM,
    stream: 'Job/i-0AbC-1700000100',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'Job',
      instance: 'i-0AbC',
      startedAt: 1700000100,
      host: 'Job/i-0AbC',
    },
  },
  {
    name: 'instance id whose hex is ten digits, with epoch',
    group: TRANSFORM,
    stream: 'job/i-1700000000-1700000001',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'job',
      instance: 'i-1700000000',
      startedAt: 1700000001,
      host: 'job/i-1700000000',
    },
  },
  {
    name: 'instance id whose hex is ten digits, without epoch',
    group: TRANSFORM,
    stream: 'job/i-1700000000',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'job',
      instance: 'i-1700000000',
      host: 'job/i-1700000000',
    },
  },
  {
    name: 'suffix that is not a container name is a channel',
    group: TRANSFORM,
    stream: 'job/i-0abc1234-1700000100/some/deeper.path',
    expected: {
      resourceType: 'TransformJob',
      resourceName: 'job',
      instance: 'i-0abc1234',
      startedAt: 1700000100,
      host: 'job/i-0abc1234',
      channel: 'some/deeper.path',
    },
  },
  {
    name: 'algo-N host is not a transform instance',
    group: TRANSFORM,
    stream: 'job/algo-1-1700000000',
    expected: { resourceType: 'TransformJob', resourceName: 'job' },
  },
];

const endpointCases: Case[] = [
  {
    name: 'single container, default variant',
    group: '/aws/sagemaker/Endpoints/pytorch-inference-2023-07-10-09-51-02-299',
    stream: 'AllTraffic/i-0207927cfb9d6b24f',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'pytorch-inference-2023-07-10-09-51-02-299',
      variantName: 'AllTraffic',
      instance: 'i-0207927cfb9d6b24f',
      host: 'pytorch-inference-2023-07-10-09-51-02-299/AllTraffic/i-0207927cfb9d6b24f',
    },
  },
  {
    name: 'inference pipeline container',
    group: '/aws/sagemaker/Endpoints/MyInferencePipelinesEndpoint',
    stream: 'MyInferencePipelinesVariant/i-0179208609ff7e488/MyContainerName1',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'MyInferencePipelinesEndpoint',
      variantName: 'MyInferencePipelinesVariant',
      instance: 'i-0179208609ff7e488',
      host: 'MyInferencePipelinesEndpoint/MyInferencePipelinesVariant/i-0179208609ff7e488',
      container: 'MyContainerName1',
    },
  },
  {
    name: 'inference pipeline default container name',
    group: '/aws/sagemaker/Endpoints/pipeline-ep',
    stream: 'AllTraffic/i-0179208609ff7e488/container-1',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'pipeline-ep',
      variantName: 'AllTraffic',
      instance: 'i-0179208609ff7e488',
      host: 'pipeline-ep/AllTraffic/i-0179208609ff7e488',
      container: 'container-1',
    },
  },
  {
    name: 'async inference data-log is a channel',
    group: '/aws/sagemaker/Endpoints/async-ep-1700000000',
    stream: 'variant-a/i-09b3ca1de4dd5d2ff/data-log',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'async-ep-1700000000',
      variantName: 'variant-a',
      instance: 'i-09b3ca1de4dd5d2ff',
      host: 'async-ep-1700000000/variant-a/i-09b3ca1de4dd5d2ff',
      channel: 'data-log',
    },
  },
  {
    name: 'SSM agent stream is a channel',
    group: '/aws/sagemaker/Endpoints/ssm-enabled-ep',
    stream: 'AllTraffic/i-0abc1234def567890/ssm',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'ssm-enabled-ep',
      variantName: 'AllTraffic',
      instance: 'i-0abc1234def567890',
      host: 'ssm-enabled-ep/AllTraffic/i-0abc1234def567890',
      channel: 'ssm',
    },
  },
  {
    name: 'serverless token: instance without Host dimension',
    group: '/aws/sagemaker/Endpoints/tinyllama1-1b-python-v01-hoangmnsd-endpoint',
    stream: 'AllTraffic/1c17ee2437692fb56aea43a82351435b-67eb496d28b24fd9a659037bcb81baf5',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'tinyllama1-1b-python-v01-hoangmnsd-endpoint',
      variantName: 'AllTraffic',
      instance: '1c17ee2437692fb56aea43a82351435b-67eb496d28b24fd9a659037bcb81baf5',
    },
  },
  {
    name: 'mixed-case endpoint name keeps its case',
    group: '/aws/sagemaker/Endpoints/egeul-ai-FT-model-20240101',
    stream: 'Variant-B/i-0a1b2c3d4e5f60718',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'egeul-ai-FT-model-20240101',
      variantName: 'Variant-B',
      instance: 'i-0a1b2c3d4e5f60718',
      host: 'egeul-ai-FT-model-20240101/Variant-B/i-0a1b2c3d4e5f60718',
    },
  },
  {
    name: 'JumpStart endpoint, lower-case group kind as one AWS page writes it',
    group: '/aws/sagemaker/endpoints/jumpstart-dft-model-txt2img-stabili-20241204-073532',
    stream: 'AllTraffic/i-0a1b2c3d',
    expected: {
      resourceType: 'Endpoint',
      resourceName: 'jumpstart-dft-model-txt2img-stabili-20241204-073532',
      variantName: 'AllTraffic',
      instance: 'i-0a1b2c3d',
      host: 'jumpstart-dft-model-txt2img-stabili-20241204-073532/AllTraffic/i-0a1b2c3d',
    },
  },
  {
    name: 'variant only',
    group: '/aws/sagemaker/Endpoints/sm-epc-abc123',
    stream: 'AllTraffic',
    expected: { resourceType: 'Endpoint', resourceName: 'sm-epc-abc123', variantName: 'AllTraffic' },
  },
  {
    name: 'empty variant: no host',
    group: '/aws/sagemaker/Endpoints/ep',
    stream: '/i-0abc1234',
    expected: { resourceType: 'Endpoint', resourceName: 'ep', instance: 'i-0abc1234' },
  },
];

const otherCases: Case[] = [
  {
    name: 'inference component: opaque stream',
    group: '/aws/sagemaker/InferenceComponents/llama-3-8b-ic-1700000000',
    stream: 'T8YtWkFA1mmZlCpuBYtQHBQmN48ZC3ud5BnH',
    expected: { resourceType: 'InferenceComponent', resourceName: 'llama-3-8b-ic-1700000000' },
  },
  {
    name: 'notebook lifecycle OnCreate',
    group: NOTEBOOKS,
    stream: 'optuna-notebook/LifecycleConfigOnCreate',
    expected: {
      resourceType: 'NotebookInstance',
      resourceName: 'optuna-notebook',
      channel: 'LifecycleConfigOnCreate',
    },
  },
  {
    name: 'notebook lifecycle OnStart',
    group: NOTEBOOKS,
    stream: 'fastai/LifecycleConfigOnStart',
    expected: { resourceType: 'NotebookInstance', resourceName: 'fastai', channel: 'LifecycleConfigOnStart' },
  },
  {
    name: 'notebook Jupyter server log',
    group: NOTEBOOKS,
    stream: 'My-Notebook-1700000000/jupyter.log',
    expected: {
      resourceType: 'NotebookInstance',
      resourceName: 'My-Notebook-1700000000',
      channel: 'jupyter',
    },
  },
  {
    name: 'notebook name only',
    group: NOTEBOOKS,
    stream: 'my-notebook',
    expected: { resourceType: 'NotebookInstance', resourceName: 'my-notebook' },
  },
  {
    name: 'a bare .log suffix stays a channel',
    group: NOTEBOOKS,
    stream: 'nb/.log',
    expected: { resourceType: 'NotebookInstance', resourceName: 'nb', channel: '.log' },
  },
  {
    name: 'Studio space lifecycle config; the space name looks like an instance id',
    group: STUDIO,
    stream: 'd-m85lcu8vbqmz/i-sonic-js/JupyterLab/default/LifecycleConfigOnStart',
    expected: { resourceType: 'Studio', resourceName: 'd-m85lcu8vbqmz', channel: 'LifecycleConfigOnStart' },
  },
  {
    name: 'Studio user profile named like an instance id',
    group: STUDIO,
    stream:
      'd-abc123def456/i-0abc1234def567890/KernelGateway/datascience-1-0-ml-t3-medium-1abf3407f667f989be9d',
    expected: { resourceType: 'Studio', resourceName: 'd-abc123def456' },
  },
  {
    name: 'Studio Classic Jupyter server',
    group: STUDIO,
    stream: 'd-abc123def456/studio-user/JupyterServer/default',
    expected: { resourceType: 'Studio', resourceName: 'd-abc123def456' },
  },
  {
    name: 'RStudio on the shared profile',
    group: STUDIO,
    stream: 'd-abc123def456/domain-shared/rstudioserverpro/default',
    expected: { resourceType: 'Studio', resourceName: 'd-abc123def456' },
  },
  {
    name: 'Canvas',
    group: STUDIO,
    stream: 'd-abc123def456/canvas-user/Canvas/default',
    expected: { resourceType: 'Studio', resourceName: 'd-abc123def456' },
  },
  {
    name: 'stream written with the group as prefix (whitepaper form)',
    group: STUDIO,
    stream: '/aws/sagemaker/studio/d-abc123def456/studio-user/JupyterServer/default',
    expected: { resourceType: 'Studio', resourceName: 'd-abc123def456' },
  },
  {
    name: 'HyperPod lifecycle script log',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'LifecycleConfig/controller-machine/i-0abc1234def567890',
    expected: {
      resourceType: 'HyperPodCluster',
      resourceName: 'ml-cluster',
      channel: 'LifecycleConfig',
      instance: 'i-0abc1234def567890',
    },
  },
  {
    name: 'HyperPod node with the short id form',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'LifecycleConfig/worker-group-1/i-0abc1234',
    expected: {
      resourceType: 'HyperPodCluster',
      resourceName: 'ml-cluster',
      channel: 'LifecycleConfig',
      instance: 'i-0abc1234',
    },
  },
  {
    name: 'HyperPod health monitoring agent',
    group: '/aws/sagemaker/Clusters/Training-Cluster-2024/0123456789ab',
    stream: 'SagemakerHealthMonitoringAgent/worker-group-1/i-09b3ca1de4dd5d2ff',
    expected: {
      resourceType: 'HyperPodCluster',
      resourceName: 'Training-Cluster-2024',
      channel: 'SagemakerHealthMonitoringAgent',
      instance: 'i-09b3ca1de4dd5d2ff',
    },
  },
  {
    name: 'HyperPod deep health check results',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'DeepHealthCheckResults/2024-05-01-abc',
    expected: {
      resourceType: 'HyperPodCluster',
      resourceName: 'ml-cluster',
      channel: 'DeepHealthCheckResults',
    },
  },
  {
    name: 'HyperPod restricted-instance-group training job node',
    group: '/aws/sagemaker/Clusters/nova-cluster/abcdef123456',
    stream: 'SagemakerHyperPodTrainingJob/rig-group/hyperpod-i-00b3d8a1bf25714e4',
    expected: {
      resourceType: 'HyperPodCluster',
      resourceName: 'nova-cluster',
      channel: 'SagemakerHyperPodTrainingJob',
      instance: 'i-00b3d8a1bf25714e4',
    },
  },
  {
    name: 'HyperPod node without an instance id',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'LifecycleConfig/worker-group-1/node-7',
    expected: { resourceType: 'HyperPodCluster', resourceName: 'ml-cluster', channel: 'LifecycleConfig' },
  },
  {
    name: 'HyperPod node where i- is inside a word',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'LifecycleConfig/worker-group-1/multi-0abc1234',
    expected: { resourceType: 'HyperPodCluster', resourceName: 'ml-cluster', channel: 'LifecycleConfig' },
  },
  {
    name: 'HyperPod stream deeper than agent/group/node: no instance guessed',
    group: '/aws/sagemaker/Clusters/ml-cluster/abcdef123456',
    stream: 'LifecycleConfig/worker-group-1/i-0abc1234/extra',
    expected: { resourceType: 'HyperPodCluster', resourceName: 'ml-cluster', channel: 'LifecycleConfig' },
  },
  {
    name: 'labeling job',
    group: '/aws/sagemaker/LabelingJobs',
    stream: 'bounding-box-labeling-1700000000',
    expected: { resourceType: 'LabelingJob', resourceName: 'bounding-box-labeling-1700000000' },
  },
  {
    name: 'compilation job',
    group: '/aws/sagemaker/CompilationJobs',
    stream: 'neo-resnet50-ml-c5-2024-01-01-12-00-00-123',
    expected: { resourceType: 'CompilationJob', resourceName: 'neo-resnet50-ml-c5-2024-01-01-12-00-00-123' },
  },
  {
    name: 'compilation model-info-extraction',
    group: '/aws/sagemaker/CompilationJobs',
    stream: 'neo-job/model-info-extraction',
    expected: { resourceType: 'CompilationJob', resourceName: 'neo-job', channel: 'model-info-extraction' },
  },
  {
    name: 'inference recommender execution',
    group: '/aws/sagemaker/InferenceRecommendationsJobs',
    stream: 'my-recommender-job-1700000000/execution',
    expected: {
      resourceType: 'InferenceRecommendationsJob',
      resourceName: 'my-recommender-job-1700000000',
      channel: 'execution',
    },
  },
  {
    name: 'inference recommender compilation sub-job',
    group: '/aws/sagemaker/InferenceRecommendationsJobs',
    stream: 'ir-job/CompilationJob/neo-ir-job-1',
    expected: {
      resourceType: 'InferenceRecommendationsJob',
      resourceName: 'ir-job',
      channel: 'CompilationJob/neo-ir-job-1',
    },
  },
  {
    name: 'inference recommender load-test endpoint',
    group: '/aws/sagemaker/InferenceRecommendationsJobs',
    stream: 'ir-job/Endpoint/sm-epc-example-1',
    expected: {
      resourceType: 'InferenceRecommendationsJob',
      resourceName: 'ir-job',
      channel: 'Endpoint/sm-epc-example-1',
    },
  },
];

const unknownCases: Array<[name: string, group: string, stream: string]> = [
  [
    'Ground Truth worker activity (no matching resource type)',
    '/aws/sagemaker/groundtruth/WorkerActivity',
    'aws/sagemaker/groundtruth/worker-activity/123456789012-us-east-1/1700000000',
  ],
  ['SDK v3 job category group', '/aws/sagemaker/Job/AgentRFT', 'agent-rft-job/algo-1-1700000000'],
  ['Braket look-alike', '/aws/braket/jobs', 'braket-job-default-1631915042705/algo-1-1631915190'],
  ['Lambda group', '/aws/lambda/process-logs', '2025/07/17/[$LATEST]e555572cc95148b891fe5d8a51e3b69a'],
  ['shared group with a trailing path', '/aws/sagemaker/TrainingJobs/extra', 'job/algo-1-1700000000'],
  ['AWS doc concatenating group and hook', '/aws/sagemaker/NotebookInstances/LifecycleConfigOnStart', 'nb'],
  ['endpoints metric namespace', '/aws/sagemaker/Endpoints', 'AllTraffic/i-0abc1234'],
  ['endpoint group with empty name', '/aws/sagemaker/Endpoints/', 'AllTraffic/i-0abc1234'],
  ['endpoint group with two names', '/aws/sagemaker/Endpoints/a/b', 'AllTraffic/i-0abc1234'],
  ['inference components namespace', '/aws/sagemaker/InferenceComponents', 'x'],
  ['clusters metric namespace', '/aws/sagemaker/Clusters', 'LifecycleConfig/g/i-0abc1234'],
  ['cluster group without id', '/aws/sagemaker/Clusters/ml-cluster', 'LifecycleConfig/g/i-0abc1234'],
  ['cluster group with empty name', '/aws/sagemaker/Clusters//abcdef123456', 'LifecycleConfig/g/i-0abc1234'],
  ['cluster group with extra segment', '/aws/sagemaker/Clusters/a/b/c', 'LifecycleConfig/g/i-0abc1234'],
  ['Canvas metric namespace', '/aws/sagemaker/Canvas/AppActivity', 'x'],
  ['Model Monitor metric namespace', '/aws/sagemaker/ModelMonitoring/data-metrics', 'x'],
  ['prototype key constructor', '/aws/sagemaker/constructor', 'x'],
  ['prototype key __proto__', '/aws/sagemaker/__proto__', 'x'],
  ['prototype key toString', '/aws/sagemaker/toString/x', 'y'],
  ['prefix only', '/aws/sagemaker/', 'x'],
  ['prefix without slash', '/aws/sagemaker', 'x'],
  ['empty', '', ''],
  ['slash only', '/', '/'],
];

describe('parseLogSource', () => {
  describe.each([
    ['training jobs', trainingCases],
    ['processing jobs', processingCases],
    ['transform jobs', transformCases],
    ['endpoints', endpointCases],
    ['other groups', otherCases],
  ])('%s', (_label, cases) => {
    it.each(cases)('$name: $group $stream', ({ group, stream, expected }) => {
      expect(parseLogSource(group, stream)).toStrictEqual({
        ...expected,
        logGroup: group,
        logStream: stream,
      });
    });
  });

  it.each(unknownCases)('%s is Unknown', (_name, group, stream) => {
    expect(parseLogSource(group, stream)).toStrictEqual({
      resourceType: 'Unknown',
      logGroup: group,
      logStream: stream,
    });
  });

  it('matches the group prefix case-insensitively', () => {
    expect(parseLogSource('/AWS/SageMaker/TrainingJobs', 'j/algo-1-1700000000')).toMatchObject({
      resourceType: 'TrainingJob',
      instance: 'algo-1',
    });
  });

  it('rejects names longer than CloudWatch allows without parsing them', () => {
    const longGroup = `/aws/sagemaker/Endpoints/${'a'.repeat(MAX_LOG_GROUP_NAME_LENGTH)}`;
    const longStream = `job/${'a'.repeat(MAX_LOG_STREAM_NAME_LENGTH)}`;
    expect(parseLogSource(longGroup, 'AllTraffic/i-0abc1234').resourceType).toBe('Unknown');
    expect(parseLogSource(TRAINING, longStream)).toStrictEqual({
      resourceType: 'Unknown',
      logGroup: TRAINING,
      logStream: longStream,
    });
  });

  it('accepts names exactly at the CloudWatch limit', () => {
    const job = 'j'.repeat(MAX_LOG_STREAM_NAME_LENGTH - '/algo-1-1700000000'.length);
    const stream = `${job}/algo-1-1700000000`;
    expect(stream).toHaveLength(MAX_LOG_STREAM_NAME_LENGTH);
    expect(parseLogSource(TRAINING, stream)).toMatchObject({ resourceName: job, instance: 'algo-1' });
  });

  it('returns Unknown instead of throwing when called with non-strings from untyped code', () => {
    const group = 42 as unknown as string;
    const stream = null as unknown as string;
    expect(parseLogSource(group, stream)).toStrictEqual({
      resourceType: 'Unknown',
      logGroup: 42,
      logStream: null,
    });
    expect(parseLogSource(TRAINING, stream).resourceType).toBe('Unknown');
  });

  it('never reports data-log or ssm as a container', () => {
    for (const channel of ['data-log', 'ssm']) {
      const endpoint = parseLogSource('/aws/sagemaker/Endpoints/ep', `AllTraffic/i-0abc1234/${channel}`);
      const transform = parseLogSource(TRANSFORM, `job/i-0abc1234-1700000000/${channel}`);
      for (const source of [endpoint, transform]) {
        expect(source.channel).toBe(channel);
        expect(source).not.toHaveProperty('container');
      }
    }
  });
});
