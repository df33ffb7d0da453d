/**
 * The rooms of the code base and the one rule between them: an import points down. A file may
 * import from its own room or from a room of a lower level; an import into a room of the same
 * level (sideways) or of a higher one (up) is a violation, as is a file that belongs to no room.
 * `import-graph.test.ts` runs {@link checkImports} over the repository in `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A room: files under one of its path prefixes (a directory ending in `/`, or one file). */
export interface Room {
  name: string;
  level: number;
  paths: readonly string[];
}

/**
 * From the bottom up: shared vocabulary, text helpers, the domain, the pipelines each Lambda runs,
 * the AWS adapters, the library's public surface, the CLI's modules, and the entry points.
 */
export const ROOMS: readonly Room[] = [
  { name: 'shared', level: 0, paths: ['lib/types.ts', 'lib/errors.ts', 'lib/env.ts'] },
  { name: 'text', level: 1, paths: ['lib/text/'] },
  { name: 'classify', level: 2, paths: ['lib/classify/'] },
  { name: 'incidents', level: 2, paths: ['lib/incidents/'] },
  { name: 'metrics', level: 2, paths: ['lib/metrics/'] },
  { name: 'log-source', level: 2, paths: ['lib/log-source.ts'] },
  { name: 'console-link', level: 2, paths: ['lib/console-link.ts'] },
  { name: 'control-plane', level: 2, paths: ['lib/control-plane/'] },
  { name: 'operator-rules', level: 2, paths: ['lib/operator-rules/'] },
  { name: 'processor', level: 3, paths: ['lib/processor/'] },
  { name: 'slack', level: 3, paths: ['lib/slack/'] },
  { name: 'subscriptions', level: 3, paths: ['lib/subscriptions/'] },
  { name: 'endpoint-alarms', level: 3, paths: ['lib/endpoint-alarms/'] },
  { name: 'aws', level: 4, paths: ['lib/aws/'] },
  { name: 'public-surface', level: 5, paths: ['lib/index.ts'] },
  { name: 'cli', level: 6, paths: ['cli/'] },
  { name: 'bin', level: 7, paths: ['bin/'] },
  { name: 'functions', level: 7, paths: ['functions/'] },
  { name: 'scripts', level: 7, paths: ['scripts/'] },
];

/** One import between two files, paths relative to the repository root with `/`. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** Package imports only the AWS adapters (and the entry points) may make. */
const AWS_SDK = /^@aws-sdk\//;
/** Rooms allowed to import the AWS SDK. */
const SDK_ROOMS: ReadonlySet<string> = new Set(['aws', 'cli', 'bin', 'functions', 'scripts']);

/** The room a file belongs to, or `undefined`. */
export function findRoom(path: string, rooms: readonly Room[] = ROOMS): Room | undefined {
  return rooms.find((room) =>
    room.paths.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix)),
  );
}

/** Every violation of the rule in a graph, as readable lines; empty when the graph keeps it. */
export function checkImports(
  edges: readonly ImportEdge[],
  packages: readonly ImportEdge[] = [],
  rooms: readonly Room[] = ROOMS,
): string[] {
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const source = findRoom(from, rooms);
    const target = findRoom(to, rooms);
    if (!source) problems.push(`${from}: in no room`);
    if (!target) problems.push(`${from} → ${to}: ${to} is in no room`);
    if (!source || !target || source === target) continue;
    if (target.level > source.level) {
      problems.push(`${from} → ${to}: points up (${source.name} → ${target.name})`);
    } else if (target.level === source.level) {
      problems.push(`${from} → ${to}: points sideways (${source.name} → ${target.name})`);
    }
  }
  for (const { from, to } of packages) {
    const source = findRoom(from, rooms);
    if (AWS_SDK.test(to) && !(source && SDK_ROOMS.has(source.name))) {
      problems.push(`${from} → ${to}: the AWS SDK is called from lib/aws/ only`);
    }
  }
  return [...new Set(problems)];
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s(?:[^'"]*?\sfrom\s)?'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** The import specifiers of one file's text (static, re-exports and literal dynamic imports). */
export function readSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) specifiers.push((match[1] ?? match[2]) as string);
  return specifiers;
}

function listFiles(root: string, directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, directory), { withFileTypes: true })) {
    const path = `${directory}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listFiles(root, path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The import graph of the source directories under `root`: file edges and package imports. */
export function readImportGraph(
  root: string,
  directories: readonly string[] = ['lib', 'cli', 'bin', 'functions', 'scripts'],
): { edges: ImportEdge[]; packages: ImportEdge[] } {
  const edges: ImportEdge[] = [];
  const packages: ImportEdge[] = [];
  for (const from of directories.flatMap((directory) => listFiles(root, directory))) {
    for (const specifier of readSpecifiers(readFileSync(join(root, from), 'utf8'))) {
      if (specifier.startsWith('.')) {
        const to = relative(root, resolve(root, dirname(from), specifier))
          .split('\\')
          .join('/');
        edges.push({ from, to });
      } else {
        packages.push({ from, to: specifier });
      }
    }
  }
  return { edges, packages };
}
