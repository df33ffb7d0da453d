import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRule,
  redactionMarker,
  SECRET_RULES,
  SecretKinds,
  scrubSecrets,
} from '../../../lib/text/scrub-secrets.ts';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQD6m8example0000000000';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const GITHUB = 'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB';
const HF = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh';
const PEM_BODY =
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaBGhFeV3EXAMPLE\nq1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/==';

describe('scrubSecrets, one test per kind', () => {
  it.each([
    ['aws-access-key-id', `aws_access_key_id=${ACCESS_KEY_ID}`, ACCESS_KEY_ID],
    ['aws-access-key-id', 'temporary ASIAY34FZKBOKMUTVV7A in use', 'ASIAY34FZKBOKMUTVV7A'],
    ['aws-secret-access-key', `aws_secret_access_key = ${SECRET_KEY}`, SECRET_KEY],
    ['aws-secret-access-key', `{"SecretAccessKey": "${SECRET_KEY}"}`, SECRET_KEY],
    ['aws-secret-access-key', `AWS_SECRET_ACCESS_KEY=${SECRET_KEY}`, SECRET_KEY],
    ['aws-session-token', `aws_session_token=${SESSION_TOKEN}`, SESSION_TOKEN],
    ['aws-session-token', `"SessionToken": "${SESSION_TOKEN}"`, SESSION_TOKEN],
    [
      'aws-session-token',
      `X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLEabc%2Fdef0123456789`,
      'FwoGZXIvYXdzEXAMPLE',
    ],
    ['aws-session-token', `token in a dump: ${SESSION_TOKEN}`, SESSION_TOKEN],
    ['authorization', 'Authorization: Bearer abcdef0123456789abcdef', 'abcdef0123456789abcdef'],
    ['authorization', 'headers={"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}', 'dXNlcjpwYXNzd29yZA=='],
    ['authorization', 'Proxy-Authorization: Digest username="u", response="6629fae4"', '6629fae4'],
    [
      'bearer-token',
      'curl -H "Bearer 0123456789abcdef0123456789abcdef" url',
      '0123456789abcdef0123456789abcdef',
    ],
    ['basic-auth', 'sending Basic dXNlcjpodW50ZXIy to the proxy', 'dXNlcjpodW50ZXIy'],
    ['url-password', 'connecting to https://admin:hunter2@db.example.com:5432/app', 'hunter2'],
    ['url-password', 'mongodb+srv://svc:S3cr3t!x@cluster0.example.net/test', 'S3cr3t!x'],
    ['password', 'password=hunter2 user=bob', 'hunter2'],
    ['password', 'DB_PASSWORD: "correct horse battery staple"', 'correct horse'],
    ['password', '{"password": "p@ssw0rd"}', 'p@ssw0rd'],
    ['password', "{'passwd': 'letmein'}", 'letmein'],
    ['secret', 'client_secret=abc123XYZ', 'abc123XYZ'],
    ['secret', 'clientSecret: s3cr3tValue', 's3cr3tValue'],
    ['token', 'access_token=ya29.a0AfH6SMBexample', 'ya29.a0AfH6SMBexample'],
    ['token', 'WANDB_TOKEN=abcdef1234', 'abcdef1234'],
    ['api-key', 'os.environ["WANDB_API_KEY"] = "abc123secretvalue"', 'abc123secretvalue'],
    ['api-key', 'x-api-key: 9f8e7d6c5b4a', '9f8e7d6c5b4a'],
    ['api-key', '{\\"apiKey\\": \\"k-123-abc\\"}', 'k-123-abc'],
    ['slack-token', 'SLACK_BOT=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'xoxb-1234567'],
    ['slack-token', 'app token xapp-1-A0123456789-1234567890123-abcdef0123', 'xapp-1-A0123'],
    [
      'slack-webhook-url',
      'posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'T00000000',
    ],
    ['github-token', `git clone https://${GITHUB}@github.com/org/repo`, GITHUB],
    [
      'github-token',
      'GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123',
      'github_pat_11ABCDEFG',
    ],
    ['hugging-face-token', `HF_TOKEN=${HF}`, HF],
    ['hugging-face-token', `login(token="${HF}")`, HF],
    ['jwt', `cookie session=${JWT}; path=/`, JWT],
  ] as const)('%s: %s', (kind, text, secret) => {
    const scrubbed = scrubSecrets(text);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain(redactionMarker(kind));
  });

  it('redacts a whole PEM private key block, even across lines', () => {
    const text = `key file:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\nValueError: bad key`;
    expect(scrubSecrets(text)).toBe('key file:\n[REDACTED:private-key]\nValueError: bad key');
  });

  it('redacts a PEM key written with escaped line breaks inside JSON', () => {
    const text = `{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n", "x": 1}`;
    expect(scrubSecrets(text)).toBe('{"private_key": "[REDACTED:private-key]\\n", "x": 1}');
  });

  it('redacts the body of a PEM key cut before its END line, and keeps the text after it', () => {
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\nProc-Type: 4,ENCRYPTED\nValueError: bad key`;
    expect(scrubSecrets(text)).toBe('[REDACTED:private-key]\nValueError: bad key');
  });

  it('treats each of several PEM blocks (and a lone BEGIN after them) on its own', () => {
    const block = `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}\n-----END EC PRIVATE KEY-----`;
    const text = `${block}\nbetween\n${block}\n-----BEGIN PRIVATE KEY-----\nQUJDREVGR0g=\nafter the key`;
    expect(scrubSecrets(text)).toBe(
      '[REDACTED:private-key]\nbetween\n[REDACTED:private-key]\n[REDACTED:private-key]\nafter the key',
    );
  });

  it('does not join a BEGIN to an END that is too far away', () => {
    const text = `-----BEGIN PRIVATE KEY-----\nQUJD\n${'x'.repeat(20_000)}\n-----END PRIVATE KEY-----`;
    const scrubbed = scrubSecrets(text);
    expect(scrubbed.startsWith('[REDACTED:private-key]\n')).toBe(true);
    expect(scrubbed).toContain('x'.repeat(20_000));
  });

  it('leaves a public key or certificate alone', () => {
    const text = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('scrubSecrets inside log lines', () => {
  it('scrubs a key embedded in a traceback line and keeps the rest of the line', () => {
    const line = `botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) for key ${ACCESS_KEY_ID}: denied`;
    expect(scrubSecrets(line)).toBe(
      'botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) for key [REDACTED:aws-access-key-id]: denied',
    );
  });

  it('scrubs credentials inside a URL in a frame and keeps user, host and path', () => {
    const line =
      '  File "/opt/ml/code/train.py", line 7, in <module>: requests.get("https://bob:pa55@example.com/x")';
    expect(scrubSecrets(line)).toBe(
      '  File "/opt/ml/code/train.py", line 7, in <module>: requests.get("https://bob:[REDACTED:url-password]@example.com/x")',
    );
  });

  it('scrubs a presigned URL token and a key id in its query string', () => {
    const url = `https://b.s3.amazonaws.com/k?X-Amz-Credential=${ACCESS_KEY_ID}%2F20240101%2Fus-east-1&X-Amz-Security-Token=${SESSION_TOKEN}&x=1`;
    const scrubbed = scrubSecrets(url);
    expect(scrubbed).not.toContain(ACCESS_KEY_ID);
    expect(scrubbed).not.toContain(SESSION_TOKEN);
    expect(scrubbed).toContain('&x=1');
  });

  it('does not let a Password: prompt swallow the next line', () => {
    expect(scrubSecrets('Password:\nValueError: x')).toBe('Password:\nValueError: x');
  });

  it('lists one marker per kind', () => {
    expect(new Set(SecretKinds.map(redactionMarker)).size).toBe(SecretKinds.length);
  });
});

describe('scrubSecrets leaves ordinary text alone', () => {
  it.each([
    'commit 3f786850e387550fdab836ed7e6dc881de23001b',
    'request 123e4567-e89b-12d3-a456-426614174000 done',
    "{'loss': 0.123, 'learning_rate': 2e-05, 'epoch': 1.0}",
    'loss=0.123 val_loss=0.2 accuracy=0.95',
    'max_new_tokens=512 num_tokens: 100 tokenizer=bert-base-uncased',
    'token: None, password: null, secret=true, api_key=***',
    'Basic authentication failed for user bob',
    'The bearer token expired',
    'Forgot password? Reset it in the console',
    'from huggingface_hub import hf_hub_download',
    'https://huggingface.co/bert-base-uncased/resolve/main/config.json',
    's3://my-bucket/models/model.tar.gz',
    'http://169.254.169.254:8080/ping',
    'i-0abc123def4567890 algo-1 AllTraffic',
    '[0]#011train-rmse:8.09483#011validation-rmse:8.33559',
    'Authorization failed: the role cannot call sagemaker:CreateTrainingJob',
    '2024-03-20T05:50:51,532 [INFO ] W-9000-model_1.0-stdout MODEL_LOG - loading model',
    '',
  ])('%s', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });
});

const HOSTILE_PIECES = [
  'a',
  'Z',
  '0',
  ':',
  '/',
  '@',
  '=',
  ' ',
  '\n',
  '"',
  "'",
  '-',
  '_',
  '.',
  '[',
  ']',
  'eyJ',
  'AKIA',
  'password',
  'token',
  'secret',
  'https://',
  '-----BEGIN PRIVATE KEY-----',
  '-----END PRIVATE KEY-----',
  'Basic ',
  'Bearer ',
  'Authorization: ',
  'xoxb-',
  'hf_',
  '\\n',
];
const hostileText = (maxLength: number) =>
  fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength }).map((pieces) => pieces.join(''));

describe('scrubSecrets on long and hostile input', () => {
  it('finishes on long random strings (no catastrophic backtracking)', () => {
    fc.assert(
      fc.property(hostileText(20_000), (text) => {
        expect(typeof scrubSecrets(text)).toBe('string');
      }),
      { numRuns: 20 },
    );
  });

  it('finishes on long runs of one risky piece', () => {
    for (const piece of [
      'eyJ-',
      'http://u:',
      'a_b_password=',
      '-----BEGIN PRIVATE KEY-----\n',
      'Basic aaaaaaaa ',
    ]) {
      const text = piece.repeat(Math.ceil(200_000 / piece.length));
      expect(scrubSecrets(text).length).toBeGreaterThan(0);
    }
  });

  it('is idempotent: scrubbing scrubbed text changes nothing', () => {
    fc.assert(
      fc.property(hostileText(300), (text) => {
        const once = scrubSecrets(text);
        expect(scrubSecrets(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets an access key id through, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), (before, after) => {
        expect(scrubSecrets(`${before} ${ACCESS_KEY_ID} ${after}`)).not.toContain(ACCESS_KEY_ID);
      }),
    );
  });
});

/**
 * Texts shaped by `pattern`: fast-check generates from the pattern without its lookarounds and word
 * boundaries (which it cannot generate), in random case when the pattern ignores case; callers
 * keep those the real pattern matches.
 */
function textsShapedBy(pattern: RegExp): fc.Arbitrary<string> {
  const relaxed = new RegExp(
    pattern.source.replace(/\\b/g, '').replace(/\(\?<?[!=](?:[^()]|\([^()]*\))*\)/g, ''),
    pattern.flags.replace(/[gi]/g, ''),
  );
  const shaped = fc.stringMatching(relaxed, { size: 'small' });
  if (!pattern.ignoreCase) return shaped;
  return fc
    .tuple(shaped, fc.infiniteStream(fc.boolean()))
    .map(([text, upper]) => [...text].map((c) => (upper.next().value ? c.toUpperCase() : c)).join(''));
}

/** Every rule run on every text, in order: what scrubSecrets gives for a text without a PEM key. */
function scrubWithEveryRule(text: string): string {
  return SECRET_RULES.reduce((out, rule) => applyRule(rule, out), text);
}

describe('SECRET_RULES hints', () => {
  it.each(SECRET_RULES.map((rule, index) => [index, rule] as const))(
    'rule %i: a hint occurs in every text the pattern matches (texts generated from the pattern)',
    (_index, rule) => {
      const matches = new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', ''));
      let matched = 0;
      fc.assert(
        fc.property(textsShapedBy(rule.pattern), (text) => {
          if (!matches.test(text)) return;
          matched++;
          const lower = text.toLowerCase();
          expect(
            rule.hints.some((hint) => lower.includes(hint)),
            text,
          ).toBe(true);
        }),
        { numRuns: 300 },
      );
      expect(matched).toBeGreaterThan(30);
    },
  );

  it('are lower-case, so that they compare case-insensitively', () => {
    for (const rule of SECRET_RULES) {
      expect(rule.hints.length).toBeGreaterThan(0);
      for (const hint of rule.hints) expect(hint).toBe(hint.toLowerCase());
    }
  });
});

describe('scrubSecrets, searching only for the kinds whose hints occur', () => {
  it('gives what running every rule gives (random texts around secrets, hints and markers)', () => {
    const fragments = [
      ACCESS_KEY_ID,
      SECRET_KEY,
      SESSION_TOKEN,
      JWT,
      GITHUB,
      HF,
      'xoxb-1234567890abc',
      'xapp-1-A0123456789',
      'Bearer ',
      'Basic dXNlcjpodW50ZXIy',
      'Authorization: ',
      'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX',
      'https://user:pass@host/',
      '[REDACTED:token]',
      ...SECRET_RULES.flatMap((rule) => rule.hints),
      ' ',
      '=',
      ': ',
      '"',
      "'",
      'hunter22',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(scrubSecrets(text)).toBe(scrubWithEveryRule(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('runs the later rules on a marker a rule put in, even without their hints in the text', () => {
    expect(scrubSecrets('xoxb-1234567890abc: hunter22')).toBe('[REDACTED:slack-token]: [REDACTED:token]');
    expect(scrubSecrets(`${HF} = swordfish`)).toBe('[REDACTED:hugging-face-token] = [REDACTED:token]');
  });

  it('leaves a text without any hint as it is', () => {
    const line = 'epoch 3 loss 0.25 on algo-1, 512 samples/s';
    expect(scrubSecrets(line)).toBe(line);
  });
});
