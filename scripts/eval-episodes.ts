/**
 * `npm run eval:episodes [--develop-only] [--json]`: runs every labelled episode of
 * test/fixtures/corpus/ through the real delivery pipeline and reports exactly-the-expected
 * incidents, category, headline and quiet benign blocks. Misses are printed for the develop part
 * only; the hold-out is reported as aggregate figures, never episode by episode.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  evaluateEpisodes,
  formatEpisodeReport,
  parseEpisodes,
  toEpisodeFigures,
} from '../lib/processor/eval-episodes.ts';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const developOnly = args.includes('--develop-only');

const parts = developOnly ? (['develop'] as const) : (['develop', 'holdout'] as const);
const figures: Record<string, unknown> = {};
let problemsSeen = 0;
for (const part of parts) {
  const file = fileURLToPath(new URL(`../test/fixtures/corpus/episodes.${part}.jsonl`, import.meta.url));
  const { episodes, problems } = parseEpisodes(readFileSync(file, 'utf8'));
  problemsSeen += problems.length;
  // Only the develop part names its rows; a hold-out problem is counted, not shown.
  if (part === 'develop') {
    for (const { lineNumber, problem } of problems)
      console.error(`${file}:${lineNumber}: skipped, ${problem}`);
  } else if (problems.length > 0) {
    console.error(`${file}: ${problems.length} rows skipped`);
  }
  const report = await evaluateEpisodes(episodes);
  figures[part] = toEpisodeFigures(report);
  if (!asJson) {
    console.log(formatEpisodeReport(`Episodes, ${part} (${file})`, report, part === 'develop'));
    console.log('');
  }
}
if (asJson) console.log(JSON.stringify(figures, null, 2));
process.exitCode = problemsSeen === 0 ? 0 : 1;
