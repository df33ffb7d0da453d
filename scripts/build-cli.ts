/**
 * Bundles the `sagewatch` CLI (bin/sagewatch.ts) into dist/cli/sagewatch.mjs: one minified ESM file
 * with every library inside (AWS SDK, zod, ...), so the packed package has no runtime dependencies
 * and installs offline. `npm pack` runs it (prepack). Node 24 is the target: the version the Lambda
 * functions run on and the one the project tests on; package.json's `engines` says the same.
 */
import { chmodSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'dist/cli');
const outfile = join(outDir, 'sagewatch.mjs');

rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'bin/sagewatch.ts')],
  outfile,
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // esbuild keeps bin/sagewatch.ts's `#!/usr/bin/env node` line first. Some CommonJS dependencies
  // call require(), which ESM output needs in scope.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  // The bundled libraries' licence notices stay with the code that ships them.
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`dist/cli/sagewatch.mjs  ${(statSync(outfile).size / 1024).toFixed(1)} KiB`);
