/**
 * Packs the repository as `npm pack` would for a user (prepack builds dist/cli/sagewatch.mjs) and
 * installs the tarball globally into a temporary prefix, offline: the package has no dependencies,
 * so nothing is fetched. The e2e tests run that installed `sagewatch`, never the sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');

/** npm's own environment variables of the `npm test` around us, which would steer the inner npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  // Node 24 (this process's) first, so the bin's `#!/usr/bin/env node` and npm itself run on it.
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  return env;
}

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'sagewatch-pack-'));
  const env = cleanEnv();
  const npm = (args: string[], cwd: string): string =>
    execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // prepack's build prints to stdout before npm's JSON: read from the JSON's opening bracket on.
  const output = npm(['pack', '--json', '--pack-destination', work], root);
  const packed = JSON.parse(output.slice(output.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(work, (packed[0] as { filename: string }).filename);
  const prefix = join(work, 'prefix');
  npm(['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], work);
  project.provide('packedCli', {
    tarball,
    files: (packed[0]?.files ?? []).map((file) => file.path).sort(),
    bin: join(prefix, 'bin', 'sagewatch'),
    pathEnv: env.PATH as string,
  });
  return () => rmSync(work, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    packedCli: { tarball: string; files: string[]; bin: string; pathEnv: string };
  }
}
