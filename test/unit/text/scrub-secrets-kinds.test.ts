import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  keyNameWords,
  redactionMarker,
  type SecretKind,
  SecretKinds,
  scrubSecrets,
  secretKindOfKeyName,
} from '../../../lib/text/scrub-secrets.ts';

/** Fake credentials in the shape each issuer documents. */
const SECRETS = {
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQD6m8example0000000000',
  pemBody: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  slackWebhook: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  slackToken: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  github: 'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB',
  huggingFace: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  bearer: 'ya29.a0AfH6SMBx3QyZ7exampleBearerValue',
  basic: 'dXNlcjpodW50ZXIy',
  openai: 'sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKl',
  openaiProject: 'sk-proj-Ab3dEf6hIj9lMn0pQr_tUv-xYz0123456789AbCdEfGh',
  anthropic: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz-AAAAA',
  stripe: 'sk_live_51HAbCdEfGhIjKlMnOpQrStUv',
  google: 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
  gcpKeyId: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
  azure: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  databricks: 'dapi0123456789abcdef0123456789abcdef',
  dockerAuth: 'dXNlcm5hbWU6c2VjcmV0LXBhc3N3b3Jk',
  npm: 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  gitlab: 'glpat-AbCdEfGhIjKlMnOpQrSt',
  sendgrid: 'SG.AbCdEfGhIjKlMnOpQrStUv.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG',
  django: 'django-insecure-k3y$4m*x9!q2w',
  password: 'hunter2-Correct-Horse',
} as const;

/** A traceback's last line with the secret inside, and the frame above it. */
function inTraceback(fragment: string): string {
  return [
    'Traceback (most recent call last):',
    '  File "/opt/ml/code/train.py", line 42, in <module>',
    `    client = connect(${fragment})`,
    `RuntimeError: connection refused for ${fragment}`,
  ].join('\n');
}

interface Kind {
  /** What leaked. */
  what: string;
  kind: SecretKind;
  /** The text that must not survive. */
  secret: string;
  /** How it appears inside a traceback line. */
  traceback: string;
  /** How it appears in a URL or a KEY=value pair. */
  pair: string;
}

const KINDS: Kind[] = [
  {
    what: 'AWS access key id',
    kind: 'aws-access-key-id',
    secret: SECRETS.awsKeyId,
    traceback: `key=${SECRETS.awsKeyId}`,
    pair: `AWS_ACCESS_KEY_ID=${SECRETS.awsKeyId}`,
  },
  {
    what: 'AWS secret access key',
    kind: 'aws-secret-access-key',
    secret: SECRETS.awsSecret,
    traceback: `aws_secret_access_key='${SECRETS.awsSecret}'`,
    pair: `AWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret}`,
  },
  {
    what: 'AWS session token',
    kind: 'aws-session-token',
    secret: SECRETS.sessionToken,
    traceback: `token ${SECRETS.sessionToken}`,
    pair: `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${SECRETS.sessionToken}&x=1`,
  },
  {
    what: 'PEM private key',
    kind: 'private-key',
    secret: SECRETS.pemBody,
    traceback: `"-----BEGIN PRIVATE KEY-----\\n${SECRETS.pemBody}\\n-----END PRIVATE KEY-----"`,
    pair: `PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\n${SECRETS.pemBody}\\n-----END RSA PRIVATE KEY-----"`,
  },
  {
    what: 'Slack webhook URL',
    kind: 'slack-webhook-url',
    secret: 'XXXXXXXXXXXXXXXXXXXXXXXX',
    traceback: SECRETS.slackWebhook,
    pair: `SLACK_WEBHOOK_URL=${SECRETS.slackWebhook}`,
  },
  {
    what: 'Slack bot token',
    kind: 'slack-token',
    secret: SECRETS.slackToken,
    traceback: SECRETS.slackToken,
    pair: `SLACK_BOT=${SECRETS.slackToken}`,
  },
  {
    what: 'GitHub token',
    kind: 'github-token',
    secret: SECRETS.github,
    traceback: SECRETS.github,
    pair: `https://${SECRETS.github}@github.com/org/repo.git`,
  },
  {
    what: 'Hugging Face token',
    kind: 'hugging-face-token',
    secret: SECRETS.huggingFace,
    traceback: `token="${SECRETS.huggingFace}"`,
    pair: `HF_TOKEN=${SECRETS.huggingFace}`,
  },
  { what: 'JWT', kind: 'jwt', secret: SECRETS.jwt, traceback: SECRETS.jwt, pair: `session=${SECRETS.jwt}` },
  {
    what: 'bearer token',
    kind: 'bearer-token',
    secret: SECRETS.bearer,
    traceback: `"Bearer ${SECRETS.bearer}"`,
    pair: `curl -H "Bearer ${SECRETS.bearer}" https://api.example.com/v1`,
  },
  {
    what: 'HTTP Basic credentials',
    kind: 'basic-auth',
    secret: SECRETS.basic,
    traceback: `Basic ${SECRETS.basic}`,
    pair: `proxy_header=Basic ${SECRETS.basic}`,
  },
  {
    what: 'Authorization header',
    kind: 'authorization',
    secret: SECRETS.bearer,
    traceback: `{"Authorization": "Bearer ${SECRETS.bearer}"}`,
    pair: `Authorization=Token ${SECRETS.bearer}`,
  },
  {
    what: 'URL password',
    kind: 'url-password',
    secret: 'hunter2',
    traceback: 'https://admin:hunter2@db.example.com:5432/app',
    pair: 'DATABASE_URL=mysql://app:hunter2@db.internal/app',
  },
  {
    what: 'URL password holding @',
    kind: 'url-password',
    secret: 'p@ss',
    traceback: 'postgresql://user:p@ss@host/db',
    pair: 'DATABASE_URL=postgresql://user:p@ss@host:5432/db',
  },
  {
    what: 'URL password holding : and /',
    kind: 'url-password',
    secret: 'pa:ss/w0rd',
    traceback: 'amqp://svc:pa:ss/w0rd@broker.internal:5672/vhost',
    pair: 'BROKER_URL=redis://:pa:ss/w0rd@cache.internal:6379/0',
  },
  {
    what: 'password in a key/value pair',
    kind: 'password',
    secret: SECRETS.password,
    traceback: `password='${SECRETS.password}'`,
    pair: `DB_PASSWORD=${SECRETS.password}`,
  },
  {
    what: 'client secret',
    kind: 'secret',
    secret: 'abc123XYZsecretvalue',
    traceback: `{'client_secret': 'abc123XYZsecretvalue'}`,
    pair: 'https://login.example.com/token?client_secret=abc123XYZsecretvalue&grant_type=x',
  },
  {
    what: 'generic access token',
    kind: 'token',
    secret: 'ya29-opaque-value-0123',
    traceback: `access_token="ya29-opaque-value-0123"`,
    pair: 'WANDB_TOKEN=ya29-opaque-value-0123',
  },
  {
    what: 'API key header',
    kind: 'api-key',
    secret: '9f8e7d6c5b4a3210',
    traceback: `{"x-api-key": "9f8e7d6c5b4a3210"}`,
    pair: 'COMET_API_KEY=9f8e7d6c5b4a3210',
  },
  {
    what: 'OpenAI key',
    kind: 'openai-api-key',
    secret: SECRETS.openai,
    traceback: `openai.AuthenticationError: Incorrect API key provided: ${SECRETS.openai}`,
    pair: `OPENAI_API_KEY=${SECRETS.openai}`,
  },
  {
    what: 'OpenAI project key',
    kind: 'openai-api-key',
    secret: SECRETS.openaiProject,
    traceback: SECRETS.openaiProject,
    pair: `https://proxy.example.com/v1?key=${SECRETS.openaiProject}`,
  },
  {
    what: 'Anthropic key',
    kind: 'anthropic-api-key',
    secret: SECRETS.anthropic,
    traceback: `anthropic.Anthropic(api_key="${SECRETS.anthropic}")`,
    pair: `ANTHROPIC_API_KEY=${SECRETS.anthropic}`,
  },
  {
    what: 'Stripe secret key',
    kind: 'stripe-key',
    secret: SECRETS.stripe,
    traceback: SECRETS.stripe,
    pair: `STRIPE_SECRET_KEY=${SECRETS.stripe}`,
  },
  {
    what: 'Google API key',
    kind: 'google-api-key',
    secret: SECRETS.google,
    traceback: SECRETS.google,
    pair: `https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${SECRETS.google}`,
  },
  {
    what: 'GCP service-account key id',
    kind: 'gcp-private-key-id',
    secret: SECRETS.gcpKeyId,
    traceback: `{"type": "service_account", "private_key_id": "${SECRETS.gcpKeyId}"}`,
    pair: `GOOGLE_CREDENTIALS_JSON={\\"private_key_id\\": \\"${SECRETS.gcpKeyId}\\"}`,
  },
  {
    what: 'Azure storage account key',
    kind: 'azure-storage-key',
    secret: SECRETS.azure,
    traceback: `"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${SECRETS.azure};EndpointSuffix=core.windows.net"`,
    pair: `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${SECRETS.azure}`,
  },
  {
    what: 'Databricks token',
    kind: 'databricks-token',
    secret: SECRETS.databricks,
    traceback: SECRETS.databricks,
    pair: `DATABRICKS_HOST=https://x.cloud.databricks.com DATABRICKS_TOKEN=${SECRETS.databricks}`,
  },
  {
    what: 'Docker config auth',
    kind: 'token',
    secret: SECRETS.dockerAuth,
    traceback: `{"auths": {"123456789012.dkr.ecr.us-east-1.amazonaws.com": {"auth": "${SECRETS.dockerAuth}"}}}`,
    pair: `{'auths': {'https://index.docker.io/v1/': {'auth': '${SECRETS.dockerAuth}'}}}`,
  },
  {
    what: 'npm token',
    kind: 'npm-token',
    secret: SECRETS.npm,
    traceback: SECRETS.npm,
    pair: `NPM_TOKEN=${SECRETS.npm}`,
  },
  {
    what: 'npm _authToken',
    kind: 'token',
    secret: 'e5f6a7b8-0000-4abc-9def-0123456789ab',
    traceback: '//registry.npmjs.org/:_authToken=e5f6a7b8-0000-4abc-9def-0123456789ab',
    pair: '//npm.pkg.github.com/:_authToken=e5f6a7b8-0000-4abc-9def-0123456789ab',
  },
  {
    what: 'GitLab token',
    kind: 'gitlab-token',
    secret: SECRETS.gitlab,
    traceback: SECRETS.gitlab,
    pair: `GITLAB_PAT=${SECRETS.gitlab}`,
  },
  {
    what: 'SendGrid key',
    kind: 'sendgrid-api-key',
    secret: SECRETS.sendgrid,
    traceback: SECRETS.sendgrid,
    pair: `SENDGRID_API_KEY=${SECRETS.sendgrid}`,
  },
  {
    what: 'Django SECRET_KEY',
    kind: 'secret',
    secret: SECRETS.django,
    traceback: `SECRET_KEY = '${SECRETS.django}'`,
    pair: `SECRET_KEY=${SECRETS.django}`,
  },
];

describe('scrubSecrets: what people leak, each inside a traceback and inside a URL or KEY=value', () => {
  it('covers at least 25 kinds of secret', () => {
    expect(new Set(KINDS.map((kind) => kind.what)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(KINDS.map((kind) => [kind.what, kind] as const))('%s in a traceback', (_what, kind) => {
    const scrubbed = scrubSecrets(inTraceback(kind.traceback));
    expect(scrubbed).not.toContain(kind.secret);
    expect(scrubbed).toContain(redactionMarker(kind.kind));
    // The traceback around it survives.
    expect(scrubbed).toContain('File "/opt/ml/code/train.py", line 42, in <module>');
    expect(scrubbed).toContain('RuntimeError: connection refused for ');
  });

  it.each(KINDS.map((kind) => [kind.what, kind] as const))('%s in a URL or KEY=value pair', (_what, kind) => {
    const scrubbed = scrubSecrets(kind.pair);
    expect(scrubbed).not.toContain(kind.secret);
    expect(scrubbed).toContain(redactionMarker(kind.kind));
  });

  it('tests every kind of marker, and docs/secrets.md lists each one', () => {
    expect(new Set(KINDS.map((kind) => kind.kind))).toEqual(new Set(SecretKinds));
    const docs = readFileSync(resolve(import.meta.dirname, '../../../docs/secrets.md'), 'utf8');
    for (const kind of SecretKinds) expect(docs, kind).toContain(`\`${kind}\``);
  });

  it('keeps the user and host around a URL password that holds @, : and /', () => {
    expect(scrubSecrets('postgresql://user:p@ss@host/db')).toBe(
      'postgresql://user:[REDACTED:url-password]@host/db',
    );
    expect(scrubSecrets('redis://:pa:ss/w0rd@cache:6379/0 ok')).toBe(
      'redis://:[REDACTED:url-password]@cache:6379/0 ok',
    );
  });

  it('keeps the name of the key and the quotes around the value', () => {
    expect(scrubSecrets(`{"auth": "${SECRETS.dockerAuth}"}`)).toBe('{"auth": "[REDACTED:token]"}');
    expect(scrubSecrets(`SECRET_KEY = '${SECRETS.django}'`)).toBe("SECRET_KEY = '[REDACTED:secret]'");
  });
});

describe('scrubSecrets leaves look-alikes alone', () => {
  it.each([
    'monkey=3 keyboard=us-intl',
    'tokenizer=bert-base-uncased max_tokens=512 num_tokens: 2048',
    'throughput 1834.2 tokens/s, 512 tokens per request',
    'auth_method=iam token_type=bearer secret_name=prod/db password_file=/run/secrets/db',
    'key=train split=validation sort_key=timestamp s3_key=models/model.tar.gz',
    'primary_key=id partition_key=customer cache_key=abc123def456',
    'PWD=/opt/ml/code OLDPWD=/root',
    'task-0123456789abcdefghijklmnop disk-0123456789abcdefghijklmnop',
    'pip install sk-learn-extensions-0123456789abcdef',
    'https://api.example.com:8443/users/bob@example.com',
    'mailto:someone@example.com and user@example.com',
    'private_key_id is required in the key file',
    'The dapi prefix and SG.x are not keys; neither is AIza alone.',
  ])('%s', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('scrubSecrets searches the value of a key that names no secret', () => {
  it.each([
    ['auth_method: password=hunter2', 'auth_method: password=[REDACTED:password]'],
    ['key=password="hunter22"', 'key=password="[REDACTED:password]"'],
    ['secret_name=db_password=hunter2', 'secret_name=db_password=[REDACTED:password]'],
    ['token_type: "api_key=9f8e7d6c5b4a3210"', 'token_type: "api_key=[REDACTED:api-key]"'],
  ])('%s', (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });
});

describe('scrubSecrets changes nothing in what it has scrubbed', () => {
  it.each([
    // The key=value rule's own marker is not a key: ` =a` stays as it was.
    ['password=Bearer =a', 'password=[REDACTED:password] =a'],
    // Another rule's marker still is one.
    ['xoxb-1234567890abc = hunter22', '[REDACTED:slack-token] = [REDACTED:token]'],
    // A scheme that a later rule takes for a secret.
    ['Authorization: xoxb-secretBasic a', 'Authorization: [REDACTED:slack-token] [REDACTED:authorization]'],
    // A key name ending in Authorization: the header's value is scrubbed once, its scheme kept.
    [
      'password.Authorization: -----END PRIVATE KEY-----',
      'password.Authorization: -----END [REDACTED:authorization]',
    ],
    ['secret-Authorization: "Basic a', 'secret-Authorization: "Basic [REDACTED:authorization]'],
    // A URL password never runs over a marker.
    ['https://https://https://@a', 'https://https://https:[REDACTED:url-password]@a'],
    // A key whose value is not read as a value when scrubbed again.
    [
      'AccountKey=Basic :"private_key_id": "AccountKey=sk-',
      'AccountKey=[REDACTED:secret] :"private_key_id": "AccountKey=[REDACTED:secret]',
    ],
    ['AccountKey=<AccountKey=>', 'AccountKey=<AccountKey=>'],
    // A Google key is 39 characters: one followed by more word characters is none (a marker there
    // would put a word boundary before AKIA…, found by a second scrub).
    [`${SECRETS.google}${SECRETS.awsKeyId}`, `${SECRETS.google}${SECRETS.awsKeyId}`],
    [`${SECRETS.google} ${SECRETS.awsKeyId}`, '[REDACTED:google-api-key] [REDACTED:aws-access-key-id]'],
  ])('%s', (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
    expect(scrubSecrets(scrubbed)).toBe(scrubbed);
  });
});

describe('secretKindOfKeyName', () => {
  it('splits names at separators and camelCase humps', () => {
    expect(keyNameWords('_authToken')).toEqual(['auth', 'token']);
    expect(keyNameWords('x-api-key')).toEqual(['x', 'api', 'key']);
    expect(keyNameWords('APIKey')).toEqual(['api', 'key']);
    expect(keyNameWords('GOOGLE_APPLICATION_CREDENTIALS')).toEqual(['google', 'application', 'credential']);
    expect(keyNameWords('max_tokens')).toEqual(['max', 'tokens']);
  });

  it.each([
    ['db_password', 'password'],
    ['PASSWD', 'password'],
    ['DB_PWD', 'password'],
    ['clientSecret', 'secret'],
    ['STRIPE_SECRET_KEY', 'secret'],
    ['AccountKey', 'secret'],
    ['credentials', 'secret'],
    ['HF_TOKEN', 'token'],
    ['_authToken', 'token'],
    ['_auth', 'token'],
    ['auth', 'token'],
    ['apiKey', 'api-key'],
    ['x-api-key', 'api-key'],
    ['APIKEY', 'api-key'],
  ] as const)('%s is a secret (%s)', (name, kind) => {
    expect(secretKindOfKeyName(name)).toBe(kind);
  });

  it.each([
    'key',
    'monkey',
    'keyboard',
    'tokenizer',
    'max_tokens',
    'num_tokens',
    'auth_method',
    'token_type',
    'secret_name',
    'password_file',
    'private_key_id',
    'sort_key',
    's3_key',
    'PWD',
    '',
  ])('%s is not', (name) => {
    expect(secretKindOfKeyName(name)).toBeUndefined();
  });
});
