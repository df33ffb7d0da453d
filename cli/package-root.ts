/**
 * Where the sagewatch package lives, found the same way from the TypeScript sources (bin/, cli/)
 * and from the bundle (dist/cli/sagewatch.mjs): the nearest directory above that holds sagewatch's
 * package.json. The bundle sits at a different depth than the sources, so a fixed `../..` would
 * point outside the package once installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package's root directory and version, or `undefined` when no sagewatch package.json is above `from`. */
export function findPackageRoot(from: string): { root: string; version: string } | undefined {
  let directory = from;
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      try {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (manifest.name === 'sagewatch') return { root: directory, version: String(manifest.version) };
      } catch {
        // An unreadable manifest is not ours: keep looking above.
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}
