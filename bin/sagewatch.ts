#!/usr/bin/env node
/**
 * `sagewatch`: ask what sagewatch would have said about past logs, backfill metrics, try metric
 * definitions and check subscriptions, without deploying anything. Exit codes: docs/cli.md.
 */
import { type CommandSpec, formatHelp, type OptionValues, parseCommandArgs } from '../cli/args.ts';
import { classifySpec, runClassify } from '../cli/commands/classify.ts';
import { demoSpec, runDemo } from '../cli/commands/demo.ts';
import { muteSpec, runMute } from '../cli/commands/mute.ts';
import { parseStreamSpec, runParseStream } from '../cli/commands/parse-stream.ts';
import { replaySpec, runReplay } from '../cli/commands/replay.ts';
import { failureContext } from '../cli/commands/shared.ts';
import { runSubscribe, subscribeSpec } from '../cli/commands/subscribe.ts';
import { ExitCodes, toFailure, UsageError } from '../cli/exit-codes.ts';
import { findPackageRoot } from '../cli/package-root.ts';
import { callerDirectory } from '../cli/working-directory.ts';

interface Command {
  spec: CommandSpec;
  run: (values: OptionValues, positionals: string[]) => Promise<number>;
}

const COMMANDS: readonly Command[] = [
  { spec: demoSpec, run: runDemo },
  { spec: replaySpec, run: runReplay },
  { spec: classifySpec, run: runClassify },
  { spec: parseStreamSpec, run: runParseStream },
  { spec: subscribeSpec, run: (values) => runSubscribe(values) },
  { spec: muteSpec, run: (values, positionals) => runMute(values, positionals) },
];

function version(): string {
  return findPackageRoot(import.meta.dirname)?.version ?? 'unknown';
}

function overview(): string {
  const width = Math.max(...COMMANDS.map(({ spec }) => spec.name.length));
  return [
    'Usage: sagewatch <command> [options]',
    '',
    'sagewatch turns SageMaker CloudWatch logs into metrics and incidents. The CLI runs its pipeline',
    'on past logs and checks its setup, without deploying anything.',
    '',
    'Commands:',
    ...COMMANDS.map(({ spec }) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    '',
    "Run `sagewatch <command> --help` for a command's options. AWS settings come from the usual",
    'places (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ~/.aws) or --profile, --region, --endpoint-url.',
    'Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 configuration or credentials, 4 input not found.',
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = COMMANDS.find(({ spec }) => spec.name === rest[0]);
    // Without a command it is a usage error: the overview goes to stderr.
    (name === undefined ? process.stderr : process.stdout).write(topic ? formatHelp(topic.spec) : overview());
    return name === undefined ? ExitCodes.usage : ExitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return ExitCodes.ok;
  }
  const command = COMMANDS.find(({ spec }) => spec.name === name);
  if (command === undefined) {
    throw new UsageError(
      `unknown command '${name}'; commands: ${COMMANDS.map(({ spec }) => spec.name).join(', ')} (run \`sagewatch --help\`)`,
    );
  }
  const parsed = parseCommandArgs(command.spec, rest);
  if (parsed.help) {
    process.stdout.write(formatHelp(command.spec));
    return ExitCodes.ok;
  }
  return command.run(parsed.values, parsed.positionals);
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCodes.ok);
  throw error;
});

try {
  // Relative paths on the command line mean the caller's directory, also through `npm run sagewatch`.
  process.chdir(callerDirectory(process.env, process.cwd()));
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const failure = toFailure(error, failureContext);
  process.stderr.write(`sagewatch: ${failure.message}\n`);
  if (process.env.SAGEWATCH_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = failure.exitCode;
}
