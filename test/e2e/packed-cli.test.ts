/**
 * The CLI as a user gets it: `npm pack`, `npm install -g` of the tarball into a temporary prefix
 * (offline: no dependencies), then `sagewatch` run from a directory outside the checkout, where
 * relative paths must mean that directory. Also `npm run sagewatch` from a subdirectory of the
 * checkout, where npm runs the script from the root but the paths mean where it was typed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { toSampleJsonLines } from '../../scripts/sample-events.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = inject('packedCli');
const elsewhere = mkdtempSync(join(tmpdir(), 'sagewatch-elsewhere-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

/** The installed bin, as a shell would start it (shebang, Node 24 first on the PATH). */
function sagewatch(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(cli.bin, args, {
    cwd: options.cwd ?? elsewhere,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, PATH: cli.pathEnv, AWS_REGION: 'us-east-1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package', () => {
  it('holds the bundled CLI and declares no dependencies, so it installs offline', () => {
    expect(cli.files).toEqual(expect.arrayContaining(['dist/cli/sagewatch.mjs', 'package.json']));
    expect(
      cli.files.filter((file) => !/^(dist\/cli\/|docs\/|README|LICENSE|package\.json)/.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ sagewatch: 'dist/cli/sagewatch.mjs' });
    expect(existsSync(cli.bin)).toBe(true);
  });
});

describe('the installed sagewatch, run from another directory', () => {
  it('prints its help and version', () => {
    const help = sagewatch(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sagewatch <command>/);
    for (const command of ['replay', 'classify', 'parse-stream', 'subscribe']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
    expect(sagewatch(['--version']).stdout.trim()).toBe(manifest.version);
  });

  it('parse-stream reads a log stream name', () => {
    const result = sagewatch([
      'parse-stream',
      '/aws/sagemaker/Endpoints/prod',
      'AllTraffic/i-0a1b2c3d4e5f60718/model',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      resourceType: 'Endpoint',
      resourceName: 'prod',
      variantName: 'AllTraffic',
      container: 'model',
      host: 'prod/AllTraffic/i-0a1b2c3d4e5f60718',
    });
  });

  it('classify reads a file named relative to the directory it is run in', () => {
    mkdirSync(join(elsewhere, 'logs'), { recursive: true });
    writeFileSync(
      join(elsewhere, 'logs', 'train.log'),
      "{'loss': 1.25, 'epoch': 0.5}\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n",
    );
    const result = sagewatch(['classify', 'logs/train.log', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { severity: string; category: string });
    expect(records.map(({ severity, category }) => [severity, category])).toEqual([
      ['info', 'none'],
      ['error', 'cuda_oom'],
    ]);
  });

  it('classify reads standard input', () => {
    const result = sagewatch(['classify', '--json'], {
      input: 'ModuleNotFoundError: No module named pandas\n',
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ severity: 'error', category: 'import_error' });
  });

  it('replay writes its metrics file under the directory it is run in', () => {
    writeFileSync(join(elsewhere, 'samples.jsonl'), toSampleJsonLines());
    const result = sagewatch(['replay', 'samples.jsonl', '--metrics-file', 'out/emf.jsonl']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('EMF documents written to out/emf.jsonl');
    expect(readFileSync(join(elsewhere, 'out/emf.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(10);
  });

  it('a missing file is named as given, with exit code 4', () => {
    const result = sagewatch(['classify', 'no-such.log']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no-such.log');
  });

  it('demo says it needs a checkout', () => {
    const result = sagewatch(['demo', '--no-build']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('checkout');
  });
});

describe('npm run sagewatch, typed in a subdirectory of the checkout', () => {
  it('reads paths relative to where it was typed (INIT_CWD), not the checkout root', () => {
    // Under .sagewatch/ (ignored by git), so npm finds the checkout's package.json above it.
    const subdirectory = join(root, '.sagewatch', 'e2e-cwd');
    rmSync(subdirectory, { recursive: true, force: true });
    mkdirSync(subdirectory, { recursive: true });
    writeFileSync(join(subdirectory, 'x.log'), 'RuntimeError: CUDA out of memory\n');
    const env: NodeJS.ProcessEnv = { PATH: cli.pathEnv, HOME: process.env.HOME };
    const result = spawnSync('npm', ['run', '--silent', 'sagewatch', '--', 'classify', 'x.log', '--json'], {
      cwd: subdirectory,
      encoding: 'utf8',
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ category: 'cuda_oom' });
    rmSync(subdirectory, { recursive: true, force: true });
  });
});
