/**
 * `node scripts/split-corpus.ts <raw.jsonl>...`: splits collected labelled material (log lines or
 * episodes, one JSON object a line, each with a `source_url`) into `develop` and `holdout` by
 * source, and writes them to test/fixtures/corpus/. Run once, when material is added, before any
 * rule is written from it; the split is deterministic (a hash of the source), so adding material
 * never moves an existing source from one side to the other.
 *
 * A source is a page, not a version of it: a notebook at two commits, or an issue and one of its
 * comments, is one source, so all its lines land on the same side.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** About 40% of sources go to the hold-out. */
const HOLDOUT_PERCENT = 40;
const SALT = 'sagewatch-corpus-v1';
const OUT_DIR = fileURLToPath(new URL('../test/fixtures/corpus/', import.meta.url));

/** The source a URL belongs to: no commit, fragment, query or trailing slash. */
export function toSourceKey(url: string): string {
  let key = url.trim().replace(/#.*$/, '').replace(/\?.*$/, '').replace(/\/+$/, '');
  key = key.replace(/^https?:\/\/(www\.)?/i, '').toLowerCase();
  // github.com/owner/repo/blob/<ref>/path → github.com/owner/repo/path
  key = key.replace(/^(github\.com\/[^/]+\/[^/]+)\/(?:blob|tree|raw)\/[^/]+\//, '$1/');
  key = key.replace(/^raw\.githubusercontent\.com\/([^/]+\/[^/]+)\/[^/]+\//, 'github.com/$1/');
  // A pull request's files or commits are the pull request.
  key = key.replace(/^(github\.com\/[^/]+\/[^/]+\/pull\/\d+)\/.*$/, '$1');
  return key;
}

/** `develop` or `holdout`, from the source alone. */
export function toSplit(sourceUrl: string): 'develop' | 'holdout' {
  const digest = createHash('sha256')
    .update(`${SALT}\n${toSourceKey(sourceUrl)}`)
    .digest();
  return digest.readUInt32BE(0) % 100 < HOLDOUT_PERCENT ? 'holdout' : 'develop';
}

function main(files: string[]): void {
  const byKind = new Map<string, Record<'develop' | 'holdout', string[]>>();
  const seen = new Set<string>();
  for (const file of files) {
    const kind = basename(file).startsWith('episodes') ? 'episodes' : 'lines';
    const parts = byKind.get(kind) ?? { develop: [], holdout: [] };
    byKind.set(kind, parts);
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      if (raw.trim() === '') continue;
      const row = JSON.parse(raw) as { source_url: string; text?: string; lines?: string[] };
      // The same text twice (two collectors, one line) is kept once.
      const identity = kind === 'lines' ? `l:${row.text}` : `e:${(row.lines ?? []).join('\n')}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      parts[toSplit(row.source_url)].push(JSON.stringify(row));
    }
  }
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [kind, parts] of byKind) {
    for (const split of ['develop', 'holdout'] as const) {
      const path = `${OUT_DIR}${kind}.${split}.jsonl`;
      writeFileSync(path, `${parts[split].join('\n')}\n`);
      console.log(`${path}: ${parts[split].length}`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
