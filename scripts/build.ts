/**
 * Bundles each Lambda entry point in functions/ into dist/<function-name>/index.mjs (minified ESM
 * with a source map), exporting `handler`. Prints each bundle's size.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const functionsDir = join(root, 'functions');
const outRoot = join(root, 'dist');

const entries = readdirSync(functionsDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => basename(file, '.ts'))
  .sort();

rmSync(outRoot, { recursive: true, force: true });

for (const name of entries) {
  const outfile = join(outRoot, name, 'index.mjs');
  await build({
    entryPoints: [join(functionsDir, `${name}.ts`)],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: true,
    // Keeps stack traces readable in CloudWatch when NODE_OPTIONS=--enable-source-maps is set.
    sourcesContent: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Some CommonJS dependencies call require(); ESM output needs a require in scope for them.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  });
  const kib = (statSync(outfile).size / 1024).toFixed(1);
  console.log(`dist/${name}/index.mjs  ${kib} KiB`);
}
