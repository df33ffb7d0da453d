/**
 * The classifier scans a message's text once for the rules' triggers, the general tier's words and
 * the status phrases' words (classify-message.ts), and hands the last two on as flags. That is the
 * same as each reader scanning for itself only if each reader's words are a necessary condition of
 * its patterns; these tests hold the readers to it on every labelled line of the develop sets, as
 * written and behind logger prefixes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyGenerally, mayReportFailure } from '../../../lib/classify/general-tier.ts';
import { parseStatusInWords } from '../../../lib/classify/http-status-phrases.ts';
import { normalizeMessage } from '../../../lib/classify/normalize.ts';

function texts(file: string): string[] {
  return readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

const PREFIXES = ['', '[ERROR] ', '2026-03-02 10:00:00,000 ERROR ', 'WARNING:root:', '[rank0]: '];
const messages = [...texts('sagemaker-log-lines.dev.jsonl'), ...texts('corpus/lines.develop.jsonl')].flatMap(
  (text) => PREFIXES.map((prefix) => `${prefix}${text}`),
);

describe('trigger words shared by one scan of the text', () => {
  it('reads enough lines to mean something', () => {
    expect(messages.length).toBeGreaterThan(5_000);
  });

  it('the general tier decides the same with the text scanned by its caller', () => {
    let decided = 0;
    for (const message of messages) {
      const { lines, level, text } = normalizeMessage(message);
      const own = classifyGenerally(lines, level, text);
      expect(classifyGenerally(lines, level, text, mayReportFailure(text)), message).toEqual(own);
      // Told the text holds a word, it still decides only on what the bodies say.
      expect(classifyGenerally(lines, level, text, true), message).toEqual(own);
      if (own) decided++;
    }
    expect(decided).toBeGreaterThan(100);
  });

  it('the status phrases read the same whether told of their words or scanning for them', () => {
    let found = 0;
    for (const message of messages) {
      const { text } = normalizeMessage(message);
      const own = parseStatusInWords(text);
      // `true` skips the scan: a status read only then would be one the words do not announce.
      expect(parseStatusInWords(text, true), message).toEqual(own);
      if (own) {
        found++;
        expect(parseStatusInWords(text, false)).toBeUndefined();
      }
    }
    expect(found).toBeGreaterThan(10);
  });
});
