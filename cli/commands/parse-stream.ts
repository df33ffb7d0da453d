/** `sagewatch parse-stream <log-group> <log-stream>`: the LogSource sagewatch reads from the names. */

import { parseLogSource } from '../../lib/log-source.ts';
import { type CommandSpec, HELP_OPTION, JSON_OPTION, type OptionValues, readFlag } from '../args.ts';
import { printJson } from './shared.ts';

export const parseStreamSpec: CommandSpec = {
  name: 'parse-stream',
  summary: 'Print what sagewatch reads from a log group and log stream name (the LogSource), as JSON.',
  usage: ['<log-group> <log-stream>'],
  description: [
    'Resource type and name, variant, instance, container or channel, start time and the Host dimension ' +
      'value. Names sagewatch cannot place give resourceType Unknown; this never fails on a name.',
  ],
  options: {
    ...JSON_OPTION,
    ...HELP_OPTION,
  },
  positionals: { min: 2, max: 2 },
  examples: [
    'sagewatch parse-stream /aws/sagemaker/TrainingJobs my-job-2026-11-26/algo-1-1764148443',
    'sagewatch parse-stream /aws/sagemaker/Endpoints/prod AllTraffic/i-0a1b2c3d4e5f60718/model',
  ],
};

export async function runParseStream(values: OptionValues, [logGroup, logStream]: string[]): Promise<number> {
  // --json prints one compact line (for scripts); the default is the same JSON, indented.
  printJson(parseLogSource(logGroup as string, logStream as string), readFlag(values, 'json'));
  return 0;
}
