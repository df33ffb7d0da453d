/**
 * `sagewatch mute`: adds a mute to the operator rules document, in a file or in the SSM parameter
 * the processor reads at cold start.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createSsmClient, readParameter, writeParameter } from '../../lib/aws/ssm-parameters.ts';
import type { MuteEntry } from '../../lib/operator-rules/index.ts';
import {
  AWS_OPTIONS,
  type CommandSpec,
  HELP_OPTION,
  JSON_OPTION,
  type OptionValues,
  readFlag,
  readString,
} from '../args.ts';
import { InputError, UsageError } from '../exit-codes.ts';
import { addMute, formatRulesDocument, parseUntil } from '../mute.ts';
import { awsClientConfig, checkAwsSetup, print, printJson } from './shared.ts';

export const muteSpec: CommandSpec = {
  name: 'mute',
  summary: 'Add a mute to the operator rules (a file or the SSM parameter the processor reads).',
  usage: ['--fingerprint <hex> [--until <time>] (--parameter <name> | --file <path>) [options]'],
  description: [
    'A mute silences incidents: they are still counted in LogEvents and the error metrics, and in ' +
      'IncidentsMuted, but raise no alert. Give at least one of --fingerprint, --pattern, --resource; every ' +
      'one given must match. --until ends the mute (an ISO 8601 date or time, or 12h, 7d, 2w from now).',
    'The whole document is validated as the processor will validate it before anything is written. ' +
      '--parameter writes the SSM parameter (OPERATOR_RULES_PARAMETER): running processors pick it up at their ' +
      'next cold start (see docs/configuration.md). --file writes a rules file, deployed with the stack. ' +
      '--dry-run prints the resulting document and writes nothing.',
  ],
  options: {
    fingerprint: {
      type: 'string',
      value: 'hex',
      description: "The incident's fingerprint (16 hex characters).",
    },
    pattern: {
      type: 'string',
      value: 'regex',
      description: 'A pattern matched against the incident’s lines.',
    },
    resource: {
      type: 'string',
      value: 'glob',
      description: 'Resource names (job, endpoint), * and ? globs.',
    },
    until: {
      type: 'string',
      value: 'time',
      description: 'When the mute ends: 2026-12-31, 2026-12-31T18:00Z, 7d.',
    },
    reason: { type: 'string', value: 'text', description: 'Why, for the next reader.' },
    id: { type: 'string', value: 'id', description: 'A name for the mute.' },
    parameter: {
      type: 'string',
      value: 'name',
      description: 'The SSM parameter holding the rules (default OPERATOR_RULES_PARAMETER).',
    },
    file: { type: 'string', value: 'path', description: 'A rules file to write instead.' },
    'dry-run': { type: 'boolean', description: 'Print the resulting document; write nothing.' },
    ...JSON_OPTION,
    ...AWS_OPTIONS,
    ...HELP_OPTION,
  },
  positionals: { min: 0, max: 0 },
  examples: [
    'sagewatch mute --fingerprint 3f2a9c4d1e8b7a60 --until 7d --parameter /sagewatch/prod/rules --reason "known, fix in #123"',
    'sagewatch mute --resource "dev-*" --file sagewatch.rules.json --dry-run',
  ],
};

export async function runMute(
  values: OptionValues,
  _positionals: string[],
  nowMs = Date.now(),
): Promise<number> {
  const file = readString(values, 'file');
  const parameter =
    readString(values, 'parameter') ??
    (file === undefined ? process.env.OPERATOR_RULES_PARAMETER : undefined);
  if (file !== undefined && readString(values, 'parameter') !== undefined) {
    throw new UsageError('pass --parameter or --file, not both');
  }
  if (file === undefined && (parameter === undefined || parameter.trim() === '')) {
    throw new UsageError(
      'where does the mute go? pass --parameter <name> (or set OPERATOR_RULES_PARAMETER) or --file <path>',
    );
  }
  const mute: MuteEntry = {};
  const id = readString(values, 'id');
  const fingerprint = readString(values, 'fingerprint');
  const pattern = readString(values, 'pattern');
  const resource = readString(values, 'resource');
  const until = readString(values, 'until');
  const reason = readString(values, 'reason');
  if (id !== undefined) mute.id = id;
  if (fingerprint !== undefined) mute.fingerprint = fingerprint;
  if (pattern !== undefined) mute.pattern = pattern;
  if (resource !== undefined) mute.resourceName = resource;
  if (until !== undefined) mute.until = parseUntil(until, nowMs);
  if (reason !== undefined) mute.reason = reason;

  let existing: string | undefined;
  let type: string | undefined;
  let where: string;
  const ssm = file === undefined ? createSsmClient(awsClientConfig(values)) : undefined;
  if (file !== undefined) {
    where = file;
    if (existsSync(file)) {
      try {
        existing = readFileSync(file, 'utf8');
      } catch (error) {
        throw new InputError(`cannot read '${file}': ${(error as Error).message}`);
      }
    }
  } else {
    where = `SSM parameter ${parameter}`;
    await checkAwsSetup(ssm as ReturnType<typeof createSsmClient>);
    const read = await readParameter(ssm as ReturnType<typeof createSsmClient>, parameter as string);
    existing = read?.value;
    type = read?.type;
  }
  const document = addMute(existing, mute, file ?? (parameter as string), nowMs);
  const text = formatRulesDocument(document);
  const dryRun = readFlag(values, 'dry-run');
  if (!dryRun) {
    if (file !== undefined) writeFileSync(file, text);
    else await writeParameter(ssm as ReturnType<typeof createSsmClient>, parameter as string, text, type);
  }
  if (readFlag(values, 'json')) {
    printJson({ written: !dryRun, to: file === undefined ? { parameter } : { file }, mute, document });
  } else if (dryRun) {
    print([`Would write to ${where} (dry run, nothing written):`, text]);
  } else {
    print([
      `Mute added to ${where} (${document.mutes?.length ?? 0} mutes in all).`,
      file === undefined
        ? 'Processors read it at their next cold start; docs/configuration.md says how to make that now.'
        : 'Deploy the stack to apply it.',
    ]);
  }
  return 0;
}
