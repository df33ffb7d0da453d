import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMessage, findRule } from '../../../lib/classify/classify-message.ts';
import { normalizeMessage } from '../../../lib/classify/normalize.ts';
import { RULE_PREFILTER, RULE_TRIGGER_WORDS, RULES } from '../../../lib/classify/rules.ts';
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
