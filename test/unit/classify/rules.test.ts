import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMessage, findRule } from '../../../lib/classify/classify-message.ts';
import { normalizeMessage } from '../../../lib/classify/normalize.ts';
import { RULE_PREFILTER, RULE_TRIGGER_WORDS, RULES, type Rule } from '../../../lib/classify/rules.ts';
import { parseKeyword } from '../../../lib/text/keyword-matcher.ts';
import { Categories, Severities } from '../../../lib/types.ts';

describe('RULES', () => {
  it('has unique ids, known severities and categories, and at least one example per rule', () => {
    // Act
    const ids = RULES.map((rule) => rule.id);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(Severities).toContain(rule.severity);
      expect(Categories).toContain(rule.category);
      expect(rule.examples.length).toBeGreaterThan(0);
      // A global or sticky flag would make test() stateful between lines.
      expect(rule.pattern.global || rule.pattern.sticky).toBe(false);
    }
  });

  describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    it.each(rule.examples.map((example) => [example]))('decides %j', (example) => {
      // Act
      const classification = classifyMessage(example);

      // Assess
      expect(classification.ruleId).toBe(rule.id);
      expect(classification.severity).toBe(rule.severity);
      expect(classification.category).toBe(rule.category);
    });

    const counterExamples = rule.counterExamples ?? [];
    it.runIf(counterExamples.length > 0).each(counterExamples.map((example) => [example]))(
      'does not decide %j',
      (example) => {
        expect(classifyMessage(example).ruleId).not.toBe(rule.id);
      },
    );
  });
});

describe('RULE_PREFILTER', () => {
  const examples = RULES.flatMap((rule) => rule.examples);

  it('passes every rule example', () => {
    for (const example of examples) expect(RULE_PREFILTER.test(normalizeMessage(example).text)).toBe(true);
  });

  it('rejects an ordinary progress line, so it costs no rule scan', () => {
    expect(RULE_PREFILTER.test('Epoch 3/10 - 512/512 steps')).toBe(false);
    expect(findRule('Epoch 3/10 - 512/512 steps')).toBeUndefined();
  });

  it('never rejects a line that some rule matches (rule examples inside arbitrary text)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...examples), fc.string(), (before, example, after) => {
        const text = `${before}${example}${after}`;
        if (RULES.some((rule) => rule.pattern.test(text))) expect(RULE_PREFILTER.test(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never rejects a line that some rule matches (fragments of trigger words and examples)', () => {
    const fragments = [...RULE_TRIGGER_WORDS.map((word) => word.replace(/[\\?()]/g, '')), ...examples];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments, ' ', '\n', ': ', '"', '(', ')', '0')), (parts) => {
        const text = parts.join('');
        if (RULES.some((rule) => rule.pattern.test(text))) expect(RULE_PREFILTER.test(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Whether one of the rule's triggers occurs in `text`, checked with one regex per trigger. */
function hasTrigger(rule: Rule, text: string): boolean {
  return (rule.triggers ?? []).some((trigger) => {
    const { text: word, wordEnd } = parseKeyword(trigger);
    const source = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + (wordEnd ? '\\b' : '');
    return new RegExp(source, 'i').test(text);
  });
}

/**
 * Texts shaped by `pattern`: fast-check generates from the pattern without its word boundaries and
 * lookaheads (which it cannot generate), and in random case when the pattern ignores case; callers
 * keep those the real pattern matches.
 */
function textsShapedBy(pattern: RegExp): fc.Arbitrary<string> {
  const relaxed = new RegExp(
    pattern.source.replace(/\\b/g, '').replace(/\(\?<?[!=](?:[^()]|\([^()]*\))*\)/g, ''),
    pattern.flags.replace('i', ''),
  );
  const shaped = fc.stringMatching(relaxed);
  if (!pattern.ignoreCase) return shaped;
  return fc
    .tuple(shaped, fc.infiniteStream(fc.boolean()))
    .map(([text, upper]) => [...text].map((c) => (upper.next().value ? c.toUpperCase() : c)).join(''));
}

describe('rule triggers', () => {
  it('are given for every rule, as keywords the matcher accepts', () => {
    for (const rule of RULES) {
      expect(rule.triggers?.length, rule.id).toBeGreaterThan(0);
      for (const trigger of rule.triggers ?? []) expect(() => parseKeyword(trigger)).not.toThrow();
    }
  });

  it('occur in every example of their rule', () => {
    for (const rule of RULES) {
      for (const example of rule.examples) {
        expect(hasTrigger(rule, normalizeMessage(example).text), `${rule.id}: ${example}`).toBe(true);
      }
    }
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))(
    '%s: occur in every text its pattern matches (texts generated from the pattern)',
    (_id, rule) => {
      let matched = 0;
      fc.assert(
        fc.property(textsShapedBy(rule.pattern), (text) => {
          if (!rule.pattern.test(text)) return;
          matched++;
          expect(hasTrigger(rule, text), text).toBe(true);
        }),
        { numRuns: 1000 },
      );
      // Enough generated texts must really be matches, or the property would check little.
      expect(matched).toBeGreaterThan(50);
    },
  );
});

describe('findRule', () => {
  const fixture = readFileSync(
    new URL('../../fixtures/sagemaker-log-lines.dev.jsonl', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const lines = [...RULES.flatMap((rule) => [...rule.examples, ...(rule.counterExamples ?? [])]), ...fixture];
  const linear = (text: string, rules: readonly Rule[] = RULES) =>
    rules.find((rule) => rule.pattern.test(text));

  it('finds the rule a scan of every rule in order finds: examples, counter-examples, fixture lines', () => {
    for (const line of lines) {
      for (const text of [line, normalizeMessage(line).text]) expect(findRule(text)).toBe(linear(text));
    }
  });

  it('finds the rule a scan of every rule in order finds (random text around real lines)', () => {
    const fragments = [...RULES.flatMap((rule) => rule.triggers ?? []), ...lines];
    const text = fc.oneof(
      fc.tuple(fc.string(), fc.constantFrom(...lines), fc.string()).map((parts) => parts.join('')),
      fc
        .array(fc.constantFrom(...fragments, ' ', '\n', ': ', '"', '=', 'nan', 'INF', '0'), { maxLength: 8 })
        .map((parts) => parts.join('')),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(text, (input) => {
        expect(findRule(input)).toBe(linear(input));
      }),
      { numRuns: 3000 },
    );
  });

  it('tries the rules of another list in order, those without triggers on every line', () => {
    const rules: Rule[] = [
      {
        id: 'a',
        severity: 'error',
        category: 'none',
        pattern: /alpha \d/,
        triggers: ['alpha'],
        examples: [],
      },
      { id: 'b', severity: 'error', category: 'none', pattern: /\d{3}/, examples: [] },
      { id: 'c', severity: 'error', category: 'none', pattern: /Alpha/, triggers: ['alpha'], examples: [] },
    ];
    expect(findRule('alpha 1', rules)?.id).toBe('a');
    expect(findRule('status 404', rules)?.id).toBe('b');
    expect(findRule('Alpha', rules)?.id).toBe('c');
    expect(findRule('nothing', rules)).toBeUndefined();
    const triggered = rules.filter((rule) => rule.triggers);
    expect(findRule('Alpha', triggered)?.id).toBe('c');
    expect(findRule('status 404', triggered)).toBeUndefined();
  });
});
