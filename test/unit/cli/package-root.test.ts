import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPackageRoot } from '../../../cli/package-root.ts';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'sagewatch-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('findPackageRoot', () => {
  it('finds the checkout from the sources and from where the bundle is built', () => {
    expect(findPackageRoot(join(root, 'cli/commands'))?.root).toBe(root);
    expect(findPackageRoot(join(root, 'dist/cli'))?.root).toBe(root);
  });

  it("skips other packages' and unreadable manifests, and gives up at the filesystem root", () => {
    const installed = join(scratch, 'lib/node_modules/sagewatch');
    mkdirSync(join(installed, 'dist/cli/nested'), { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'sagewatch', version: '9.9.9' }));
    writeFileSync(join(installed, 'dist/cli/package.json'), '{ not json');
    writeFileSync(join(installed, 'dist/cli/nested/package.json'), JSON.stringify({ name: 'other' }));
    expect(findPackageRoot(join(installed, 'dist/cli/nested'))).toEqual({
      root: installed,
      version: '9.9.9',
    });
    expect(findPackageRoot(scratch)).toBeUndefined();
  });
});
