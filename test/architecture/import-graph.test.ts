import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, findRoom, readImportGraph, readSpecifiers } from './import-graph.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the repository', () => {
  it('imports only downwards, and calls the AWS SDK from lib/aws/ only', () => {
    const { edges, packages } = readImportGraph(root);
    expect(edges.length).toBeGreaterThan(200);
    expect(checkImports(edges, packages)).toEqual([]);
  });
});

describe('checkImports', () => {
  it('accepts imports within a room and into lower rooms', () => {
    expect(
      checkImports([
        { from: 'lib/processor/handle-delivery.ts', to: 'lib/processor/alerting.ts' },
        { from: 'lib/processor/handle-delivery.ts', to: 'lib/metrics/emf.ts' },
        { from: 'lib/incidents/to-incidents.ts', to: 'lib/text/scrub-secrets.ts' },
        { from: 'cli/replay.ts', to: 'lib/processor/handle-delivery.ts' },
        { from: 'functions/process-logs.ts', to: 'lib/aws/sns.ts' },
      ]),
    ).toEqual([]);
  });

  it('rejects an import that points up, sideways, out of lib/ or into no room', () => {
    expect(
      checkImports([
        { from: 'lib/incidents/to-incidents.ts', to: 'lib/processor/process-delivery.ts' },
        { from: 'lib/slack/post.ts', to: 'lib/processor/alerting.ts' },
        { from: 'lib/aws/log-events.ts', to: 'cli/deliveries.ts' },
        { from: 'cli/replay.ts', to: 'bin/sagewatch.ts' },
        { from: 'lib/metrics/emf.ts', to: 'test/helpers/deliveries.ts' },
        { from: 'lib/stray.ts', to: 'lib/types.ts' },
      ]),
    ).toEqual([
      'lib/incidents/to-incidents.ts → lib/processor/process-delivery.ts: points up (incidents → processor)',
      'lib/slack/post.ts → lib/processor/alerting.ts: points sideways (slack → processor)',
      'lib/aws/log-events.ts → cli/deliveries.ts: points up (aws → cli)',
      'cli/replay.ts → bin/sagewatch.ts: points up (cli → bin)',
      'lib/metrics/emf.ts → test/helpers/deliveries.ts: test/helpers/deliveries.ts is in no room',
      'lib/stray.ts: in no room',
    ]);
  });

  it('rejects the AWS SDK outside the adapters and entry points', () => {
    expect(
      checkImports(
        [],
        [
          { from: 'lib/processor/alerting.ts', to: '@aws-sdk/client-sns' },
          { from: 'lib/aws/sns.ts', to: '@aws-sdk/client-sns' },
          { from: 'lib/processor/config.ts', to: 'zod' },
        ],
      ),
    ).toEqual(['lib/processor/alerting.ts → @aws-sdk/client-sns: the AWS SDK is called from lib/aws/ only']);
  });
});

describe('readSpecifiers', () => {
  it('finds static imports, type imports, re-exports and literal dynamic imports', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export * from './c.ts';",
      "export { d, type E } from './d.ts';",
      "import 'node:fs';",
      "const { f } = await import('./f.ts');",
      "const text = 'not from here';",
    ].join('\n');
    expect(readSpecifiers(text)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', 'node:fs', './f.ts']);
  });
});

describe('findRoom', () => {
  it('places files by directory or by exact file', () => {
    expect(findRoom('lib/processor/decode.ts')?.name).toBe('processor');
    expect(findRoom('lib/log-source.ts')?.name).toBe('log-source');
    expect(findRoom('lib/log-source-extra.ts')).toBeUndefined();
  });
});
