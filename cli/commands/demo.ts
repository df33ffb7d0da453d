/**
 * `sagewatch demo`: the bundled sample run, the same as `npm run demo`: build the Lambda bundles,
 * then run scripts/demo.ts, which feeds the sample deliveries to the built process-logs handler.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CommandSpec, HELP_OPTION, type OptionValues, readFlag } from '../args.ts';
import { ExitCodes, InputError } from '../exit-codes.ts';
import { findPackageRoot } from '../package-root.ts';

/** The checkout holding the demo's scripts, or `undefined` for an installed package (which ships only the CLI). */
function findCheckout(): string | undefined {
  const root = findPackageRoot(import.meta.dirname)?.root;
  return root !== undefined && existsSync(resolve(root, 'scripts/demo.ts')) ? root : undefined;
}

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary: 'Run the sample SageMaker deliveries through the built processor (the same as `npm run demo`).',
  usage: ['[--no-build]'],
  description: [
    'No AWS account is needed: incidents are printed instead of published, and the EMF documents are ' +
      'written to .sagewatch/demo/emf.jsonl. The bundles are rebuilt first, as `npm run demo` does.',
  ],
  options: {
    build: {
      type: 'boolean',
      default: true,
      description: 'Build the bundles first (--no-build reuses dist/ when it exists).',
    },
    ...HELP_OPTION,
  },
  positionals: { min: 0, max: 0 },
  examples: ['sagewatch demo', 'sagewatch demo --no-build'],
};

/** Runs a script with this Node, output passed through; resolves to its exit code. */
function runScript(root: string, script: string): Promise<number> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [resolve(root, script)], { cwd: root, stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', (code, signal) => ok(code ?? (signal ? ExitCodes.failure : ExitCodes.ok)));
  });
}

export async function runDemo(values: OptionValues): Promise<number> {
  const root = findCheckout();
  if (root === undefined) {
    throw new InputError(
      'demo runs from a checkout of sagewatch (it builds and runs the Lambda bundles): `npm run demo` there; ' +
        'the installed CLI replays your own logs (sagewatch replay --help)',
    );
  }
  if (readFlag(values, 'build') || !existsSync(resolve(root, 'dist/process-logs/index.mjs'))) {
    const built = await runScript(root, 'scripts/build.ts');
    if (built !== 0) return ExitCodes.failure;
  }
  return (await runScript(root, 'scripts/demo.ts')) === 0 ? ExitCodes.ok : ExitCodes.failure;
}
