import { describe, expect, it } from 'vitest';
import { SECRET_RULES, scrubSecrets } from '../../../lib/text/scrub-secrets.ts';

/** The longest log line the attack lines are made as long as. */
const LINE_CHARS = 16 * 1024;
/**
 * A generous bound: a linear scrub of 16 KiB takes a few milliseconds, a polynomial one about a
 * second. The ReDoS gate proves each pattern linear; this runs the scrubber as a delivery does.
 */
const BOUND_MS = 50;

/**
 * For each rule, pieces of text that almost hold its secret (too short, a missing part, a name that
 * is not a secret's, a delimiter where the secret would go on), each pumped into a line. Each rule
 * runs on a line that holds one of its hints.
 */
const NEAR_MISSES = [
  'https://hooks.slack.com/services/T0/ ',
  'u://a:b@!',
  'postgresql://user:p@ss@/',
  'Authorization:\n',
  'Proxy-Authorization: "',
  'Bearer abcdefghijklmno ',
  'Basic aGVsbG8gd29ybGQ= ',
  'eyJhbGciOiJIUzI1NiJ9.eyJ ',
  'AKIAIOSFODNN7EXAMPL ',
  'ASIA',
  'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE ',
  'aws_session_token=abc ',
  'x-amz-security-token=',
  'IQoJb3JpZ2lu0123456789 ',
  'FwoGZXIvYXdz',
  'FQoGZXIvYXdz=',
  'xoxb-123456 ',
  'xapp-1-abc ',
  'ghp_abc ',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_abc ',
  'hf_abc ',
  'sk-ant-abc ',
  'sk-learn-',
  'sk_live_abc ',
  'sk_test_',
  'rk_live_',
  'rk_test_',
  'AIzaSyA1b2C3 ',
  '"private_key_id": "1a2b3c" ',
  'AccountKey=abc;',
  'SharedAccessKey=',
  'dapi0123abc ',
  'npm_abc ',
  'glpat-abc ',
  'gldt-',
  'glrt-',
  'glptt-',
  'glsoat-',
  'glcbt-',
  'SG.abc.def ',
  'auth_method=',
  'key=train ',
  'password: null ',
  '"token_type": "',
] as const;

function pumped(piece: string): string {
  return piece.repeat(Math.ceil(LINE_CHARS / piece.length)).slice(0, LINE_CHARS);
}

/** The fastest of three scrubs, in milliseconds. */
function scrubMs(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    scrubSecrets(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('scrubSecrets on a 16 KiB line of near misses', () => {
  it.each(SECRET_RULES.map((rule, index) => [index, rule.hints.join(' ')] as const))(
    'rule %i (%s) has near misses to be pumped',
    (index) => {
      const hints = SECRET_RULES[index]?.hints ?? [];
      const pieces = NEAR_MISSES.filter((piece) => hints.some((hint) => piece.toLowerCase().includes(hint)));
      expect(pieces.length).toBeGreaterThan(0);
    },
  );

  it.each(NEAR_MISSES.map((piece) => [piece] as const))('%j pumped: scrubbed in under 50 ms', (piece) => {
    const line = pumped(piece);
    expect(line.length).toBe(LINE_CHARS);
    const ms = scrubMs(line);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
