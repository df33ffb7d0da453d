/**
 * Removes credentials from text before it is published or logged: AWS keys and session tokens,
 * HTTP credentials, passwords in URLs, key=value secrets, PEM private keys, and the tokens of
 * the services ML code talks to (OpenAI, Anthropic, Hugging Face, GitHub, GitLab, Slack, Stripe,
 * Google, Azure, Databricks, npm, SendGrid), JWTs. Each secret becomes a marker such as
 * `[REDACTED:aws-access-key-id]`. docs/secrets.md lists every kind and what is left alone.
 *
 * Written here rather than taken from a library: Powertools data masking works on JSON paths of
 * objects, not on secrets embedded anywhere in free text such as a traceback line.
 *
 * Every quantifier is bounded or anchored on a literal, so a failed match costs a bounded amount of
 * work per position: long hostile lines stay linear (no catastrophic backtracking). A text is
 * searched only for the kinds whose hint words it holds, found in one pass.
 */
import { createKeywordMatcher } from './keyword-matcher.ts';

/** The kinds of secret {@link scrubSecrets} recognises; each appears in its marker. */
export const SecretKinds = [
  'private-key',
  'slack-webhook-url',
  'url-password',
  'authorization',
  'bearer-token',
  'basic-auth',
  'jwt',
  'aws-access-key-id',
  'aws-secret-access-key',
  'aws-session-token',
  'slack-token',
  'github-token',
  'hugging-face-token',
  'openai-api-key',
  'anthropic-api-key',
  'stripe-key',
  'google-api-key',
  'gcp-private-key-id',
  'azure-storage-key',
  'databricks-token',
  'npm-token',
  'gitlab-token',
  'sendgrid-api-key',
  'password',
  'secret',
  'token',
  'api-key',
] as const;

/** One of {@link SecretKinds}. */
export type SecretKind = (typeof SecretKinds)[number];

/** The text that replaces a secret of the given kind. */
export function redactionMarker(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}

/** PEM blocks longer than this are not treated as one block (an RSA-4096 key is about 3.3 KB). */
const PEM_MAX_CHARS = 16_384;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * The body of a PEM block whose END marker is missing (cut off): the base64 lines and headers
 * that follow BEGIN, on real or escaped (`\n`) line breaks. Each line must end where a line ends.
 */
const PEM_OPEN_BODY =
  /(?:(?:\r?\n|\\r\\n|\\n)(?:[A-Za-z0-9+/=]{4,200}|(?:Proc-Type|DEK-Info|Comment): [^\r\n\\]{0,200}|[ \t]{0,10})(?=\r?\n|\\n|\\r|["',]|$))*/y;

function scrubPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  const marker = redactionMarker('private-key');
  let out = '';
  let position = 0;
  // Once no END marker follows some point, none follows any later point either: stop looking, so
  // many BEGIN markers without an END stay linear.
  let endExhausted = false;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin !== null; begin = PEM_BEGIN.exec(text)) {
    let stop = PEM_BEGIN.lastIndex;
    let end: RegExpExecArray | null = null;
    if (!endExhausted) {
      PEM_END.lastIndex = stop;
      end = PEM_END.exec(text);
      if (end === null) endExhausted = true;
    }
    if (end !== null && end.index - begin.index <= PEM_MAX_CHARS) {
      stop = PEM_END.lastIndex;
    } else {
      PEM_OPEN_BODY.lastIndex = stop;
      PEM_OPEN_BODY.exec(text);
      stop = PEM_OPEN_BODY.lastIndex;
    }
    out += text.slice(position, begin.index) + marker;
    position = stop;
    PEM_BEGIN.lastIndex = stop;
  }
  return out + text.slice(position);
}

/** Values that are not secrets even after a key word: numbers, booleans, nulls, placeholders. */
const PLACEHOLDER_VALUE =
  /^(?:-?\d{1,30}(?:\.\d{1,30})?|true|false|null|nil|none|undefined|\*{1,64}|<[^>]{0,64}>)$/i;

/** Words that make any name a secret's name, wherever they stand in it (`db_password_prod`). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'credential',
]);
/** What a `…_key` is when it is a secret: `api_key`, `AccountKey`, `SECRET_KEY`, `x-api-key`. */
const SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'access',
  'account',
  'app',
  'application',
  'auth',
  'client',
  'consumer',
  'deploy',
  'encryption',
  'license',
  'master',
  'private',
  'sas',
  'secret',
  'service',
  'shared',
  'signing',
  'storage',
  'subscription',
  'webhook',
]);
/**
 * Last words that make a name about a secret rather than the secret itself (`secret_name`,
 * `password_file`, `auth_method`, `token_type`, `private_key_id`).
 */
const DESCRIPTOR_WORDS: ReadonlySet<string> = new Set([
  'arn',
  'count',
  'dir',
  'enabled',
  'file',
  'hint',
  'id',
  'kind',
  'len',
  'length',
  'method',
  'mode',
  'name',
  'path',
  'policy',
  'prompt',
  'provider',
  'ref',
  'required',
  'type',
  'version',
]);

/**
 * The words of a key name, lower-cased: split at `_`, `-`, `.`, `/` and camelCase humps
 * (`_authToken` → auth, token; `x-api-key` → x, api, key; `APIKey` → api, key); plural `s` dropped
 * from the words that take one (`credentials`, `passwords`, `secrets`), but not from `tokens`
 * (`max_tokens` counts tokens).
 */
export function keyNameWords(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-/]+/)
    .filter((word) => word !== '')
    .map((word) => (/^(?:credential|password|secret)s$/.test(word) ? word.slice(0, -1) : word));
}

/**
 * The kind of secret a `name = value` pair holds, or undefined when the name does not clearly
 * name one. Generic names are read strictly: `key=train`, `monkey`, `tokenizer`, `max_tokens`,
 * `auth_method` are not secrets; `api_key`, `HF_TOKEN`, `db_password`, `clientSecret` are.
 */
export function secretKindOfKeyName(name: string): SecretKind | undefined {
  const words = keyNameWords(name);
  const last = words.at(-1);
  if (last === undefined || DESCRIPTOR_WORDS.has(last)) return undefined;
  if (words.some((word) => word === 'password' || word === 'passwd' || word === 'passphrase'))
    return 'password';
  // `PWD` alone is the shell's working directory.
  if (last === 'pwd') return words.length > 1 ? 'password' : undefined;
  if (words.some((word) => SECRET_WORDS.has(word))) return 'secret';
  if (last === 'apikey') return 'api-key';
  if (last === 'token' || last === 'auth') return 'token';
  if (last === 'key' && words.length > 1) {
    const qualifier = words.at(-2) as string;
    if (qualifier === 'api') return 'api-key';
    if (SECRET_KEY_QUALIFIERS.has(qualifier)) return 'secret';
  }
  return undefined;
}

/** Decodes base64 credentials of `Basic`; true when they look like `user:password`. */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  // RFC 7617: the user-id holds no colon, so the first colon splits it from the password.
  return /^[\x20-\x39\x3b-\x7e]{1,256}:[\x20-\x7e]{0,256}$/.test(decoded);
}

/**
 * What replaces a match. Given what a `String.prototype.replace` callback is given (the match, each
 * group, the match's offset and the whole text), it declares those it reads; groups that did not
 * take part are `undefined`, declared as `string | undefined`. It returns the replacement, or
 * `undefined` when the match holds no secret after all and the text is to be searched again from
 * the end of group 1 (a key whose value may hold another pair): see {@link applyRule}.
 */
export type Replacer = (match: string, ...args: never[]) => string | undefined;

/** One kind of secret: the pattern that finds it and what replaces it. */
export interface SecretRule {
  readonly pattern: RegExp;
  readonly replace: Replacer;
  /**
   * Lower-case words at least one of which occurs (case-insensitively) in every text the pattern
   * matches; a text holding none of them is not searched. The unit tests check them against texts
   * generated from the pattern.
   */
  readonly hints: readonly string[];
}

/** Replaces the whole match. */
function whole(kind: SecretKind): Replacer {
  return () => redactionMarker(kind);
}

/** Keeps the key and separator (group 1), replaces the value. */
function afterKey(kind: SecretKind): Replacer {
  return (_match, key: string) => `${key}${redactionMarker(kind)}`;
}

/**
 * A marker of the key=value rule up to the end of its kind: that rule does not read it as a key
 * name. `password=Bearer =x` scrubs to `password=[REDACTED:password] =x`, and a second scrub leaves
 * it so. Another rule's marker does name a key (`[REDACTED:slack-token]: hunter2`), in the first
 * scrub already, as that rule runs first.
 */
const OWN_MARKER = /\[REDACTED:(?:password|secret|token|api-key)$/;

/** Words one of which a secret's key name holds (secretKindOfKeyName then decides). */
const KEY_NAME_HINT = 'password|passwd|pwd|passphrase|secret|token|key|auth|credential';

// Separator between a key word and its value: `=`, `:`, optional quotes (also JSON-escaped quotes)
// and a closing `]` (`os.environ["KEY"] = ...`), blanks but never a line break (a `Password:`
// prompt must not swallow the next line).
const SEP = String.raw`\\?["']?\]?[ \t]{0,5}[:=][ \t]{0,5}\\?["']?`;

/**
 * An `Authorization` value scrubbed already: its scheme (in which a later rule may have found a
 * secret, `xoxb-…`, and put a marker) and the marker. Left as it is, so scrubbing is idempotent.
 */
const SCRUBBED_AUTHORIZATION =
  /^(?:\\?["'])?(?:(?:[A-Za-z0-9-]|\[REDACTED:[a-z-]{1,30}\]){1,20} )?\[REDACTED:authorization\]/;

/** Applied in this order: specific kinds first, so their markers are not re-labelled later. */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    pattern: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,300}/g,
    replace: whole('slack-webhook-url'),
    hints: ['hooks.slack.com'],
  },
  {
    // scheme://user:password@host; the user part stays so the reader knows which account it was.
    // The password may hold `@`, `:` and `/` (`postgresql://app:p@ss/w:rd@db:5432/x`): it runs to
    // the first `@` that a host name and a delimiter follow. It never holds another `://`, which
    // keeps the search linear on a line of many URLs, nor a marker (scrubbing twice changes
    // nothing).
    pattern:
      /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'<>[\]]*:)((?:(?!:\/\/|\[REDACTED:)[^\s"'<>])+?)@(?=[\w.~%-]+[:/?#\s"'<>,;\x29\]}]|[\w.~%-]+$)/gi,
    replace: (match, prefix: string, password: string) =>
      // `https://host:8443/users/bob@example.com`: a port and a path, not a password.
      /^\d{1,5}(?:[/?#]|$)/.test(password) ? match : `${prefix}${redactionMarker('url-password')}@`,
    hints: ['://'],
  },
  {
    // The header's value after its scheme: up to the closing quote when quoted (JSON, a dict),
    // else to the end of the line (`Digest username="u", response="..."` has quotes inside).
    pattern:
      /\b((?:Proxy-)?Authorization\\?["']?[ \t]{0,5}[:=][ \t]{0,5})(?:(\\?["'](?:[A-Za-z0-9-]{1,20} )?)[^\r\n"'\\]{1,4096}|((?:[A-Za-z0-9-]{1,20} )?)[^\r\n]{1,4096})/gi,
    replace: (match, key: string, quotedScheme: string | undefined, scheme: string | undefined) =>
      SCRUBBED_AUTHORIZATION.test(match.slice(key.length))
        ? match
        : `${key}${quotedScheme ?? scheme}${redactionMarker('authorization')}`,
    hints: ['authorization'],
  },
  {
    pattern: /\b(Bearer[ \t]{1,5})[A-Za-z0-9._~+/-]{16,4096}={0,2}/gi,
    replace: afterKey('bearer-token'),
    hints: ['bearer'],
  },
  {
    pattern: /\b(Basic[ \t]{1,5})([A-Za-z0-9+/]{8,2048}={0,2})(?![A-Za-z0-9+/=])/g,
    replace: (match, prefix: string, encoded: string) =>
      isBasicCredential(encoded) ? `${prefix}${redactionMarker('basic-auth')}` : match,
    hints: ['basic'],
  },
  {
    // Not after a token character: in `eyJ-eyJ-...` only the first can start a JWT (stays linear).
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,8192}\.eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,8192}/g,
    replace: whole('jwt'),
    hints: ['eyj'],
  },
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: whole('aws-access-key-id'), hints: ['akia', 'asia'] },
  {
    pattern: new RegExp(
      `((?:aws_?)?secret_?(?:access_?)?key${SEP})[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])`,
      'gi',
    ),
    replace: afterKey('aws-secret-access-key'),
    hints: ['secret'],
  },
  {
    pattern: new RegExp(
      `((?:aws_?)?(?:session|security)_?token${SEP}|x-amz-security-token${SEP})[A-Za-z0-9/+=%]{16,8192}`,
      'gi',
    ),
    replace: afterKey('aws-session-token'),
    hints: ['token'],
  },
  // STS session tokens start with these base64 prefixes; found even without a key word.
  {
    pattern: /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{20,8192}/g,
    replace: whole('aws-session-token'),
    hints: ['iqojb3jpz2lu', 'fwogzxivyxdz', 'fqogzxivyxdz'],
  },
  { pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,500}/g, replace: whole('slack-token'), hints: ['xox'] },
  { pattern: /\bxapp-\d-[A-Za-z0-9-]{10,500}/g, replace: whole('slack-token'), hints: ['xapp-'] },
  {
    pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/g,
    replace: whole('github-token'),
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, replace: whole('github-token'), hints: ['github_pat_'] },
  { pattern: /\bhf_[A-Za-z0-9]{30,64}\b/g, replace: whole('hugging-face-token'), hints: ['hf_'] },
  // Vendor keys by their documented prefixes. `(?<![\w-])`: not inside a longer word
  // (`task-…`, `disk-…`), which also starts each search at the beginning of a token.
  {
    pattern: /(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}/g,
    replace: whole('anthropic-api-key'),
    hints: ['sk-ant-'],
  },
  {
    // Project, service-account and admin keys carry their kind; legacy keys are 48 letters and
    // digits, without the hyphens that words such as `sk-learn-…` have.
    pattern: /(?<![\w-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,}(?![\w-]))/g,
    replace: whole('openai-api-key'),
    hints: ['sk-'],
  },
  {
    pattern: /(?<![\w-])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
    replace: whole('stripe-key'),
    hints: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
  },
  { pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, replace: whole('google-api-key'), hints: ['aiza'] },
  {
    // A GCP service-account key file: the key's id (its private_key is a PEM block, above).
    pattern: /(\\?["']private_key_id\\?["'][ \t]{0,5}:[ \t]{0,5}\\?["'])[0-9a-f]{40}(?![\w-])/g,
    replace: afterKey('gcp-private-key-id'),
    hints: ['private_key_id'],
  },
  {
    // Azure Storage and Service Bus connection strings.
    pattern: /\b((?:AccountKey|SharedAccessKey)=)[A-Za-z0-9+/]{20,}={0,2}/gi,
    replace: afterKey('azure-storage-key'),
    hints: ['accountkey=', 'sharedaccesskey='],
  },
  {
    pattern: /(?<![\w-])dapi[0-9a-f]{32}(?:-\d{1,2})?(?![\w-])/g,
    replace: whole('databricks-token'),
    hints: ['dapi'],
  },
  { pattern: /(?<![\w-])npm_[A-Za-z0-9]{36}(?![\w-])/g, replace: whole('npm-token'), hints: ['npm_'] },
  {
    pattern: /(?<![\w-])gl(?:pat|dt|rt|ptt|soat|cbt)-[A-Za-z0-9_-]{20,}/g,
    replace: whole('gitlab-token'),
    hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'glcbt-'],
  },
  {
    pattern: /(?<![\w-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![\w-])/g,
    replace: whole('sendgrid-api-key'),
    hints: ['sg.'],
  },
  {
    // key=value, key: value, "key": "value", 'key': 'value' where the key names a secret
    // (db_password, apiKey, HF_TOKEN, clientSecret, _authToken, Docker's "auth", Azure's
    // AccountKey): see secretKindOfKeyName. Numbers and placeholders are left alone:
    // max_new_tokens=512, password: null. The name is a whole run of name characters holding a
    // hint word; after the last hint word the run cannot hold another, which keeps it linear.
    // When the name is not a secret's, the search goes on after it, in the value, which may hold
    // a pair (`auth_method: password=hunter2`).
    pattern: new RegExp(
      `(?<![\\w.-])(([\\w.-]*(?:${KEY_NAME_HINT})(?:(?!${KEY_NAME_HINT})[\\w.-])*)` +
        String.raw`\\?["']?\]?[ \t]{0,5}[:=][ \t]{0,5})(?!\\?["']?\[REDACTED)` +
        String.raw`(?:(\\?["'])([^"'\\\r\n]{1,1024})|([^\s"',;&}\])\\]{1,1024}))`,
      'gi',
    ),
    replace: (
      match,
      key: string,
      name: string,
      quote: string | undefined,
      quoted: string | undefined,
      bare: string | undefined,
      offset: number,
      text: string,
    ) => {
      const kind =
        OWN_MARKER.test(text.slice(Math.max(0, offset - 10), offset + name.length)) ||
        // An `Authorization` header's value is the authorization rule's (which keeps the scheme).
        (/\bauthorization$/i.test(name) && !key.includes(']'))
          ? undefined
          : secretKindOfKeyName(name);
      if (kind === undefined) return undefined;
      if (PLACEHOLDER_VALUE.test((quoted ?? bare) as string)) return match;
      return `${key}${quote ?? ''}${redactionMarker(kind)}`;
    },
    hints: ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'key', 'auth', 'credential'],
  },
];

/**
 * `text` with every match of the rule's (global) pattern replaced as the rule says, searched from
 * left to right as `String.prototype.replace` does; where the rule finds no secret in a match, the
 * search goes on from the end of its group 1 rather than from the end of the match.
 */
export function applyRule(rule: SecretRule, text: string): string {
  const { pattern } = rule;
  const replace = rule.replace as (...args: unknown[]) => string | undefined;
  let out = '';
  let position = 0;
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
    const replacement = replace(...found, found.index, text);
    if (replacement === undefined) {
      pattern.lastIndex = found.index + Math.max(1, found[1]?.length ?? 0);
      continue;
    }
    out += text.slice(position, found.index) + replacement;
    position = pattern.lastIndex;
    if (found[0] === '') pattern.lastIndex++;
  }
  return out + text.slice(position);
}

/** All rules' hints in one automaton: one pass over a text finds the rules worth running. */
const HINTS = createKeywordMatcher(
  SECRET_RULES.flatMap((rule, label) => rule.hints.map((keyword) => ({ keyword, label }))),
);
/** Scratch: the rules whose hints occur in the text being scrubbed. */
const hinted = new Uint8Array(SECRET_RULES.length);

/**
 * Returns `text` with every recognised secret replaced by `[REDACTED:<kind>]`. Idempotent: markers
 * are never re-redacted. Works on multi-line text (a whole PEM block in one string is one marker).
 */
export function scrubSecrets(text: string): string {
  let out = scrubPrivateKeys(text);
  hinted.fill(0);
  HINTS.mark(out, hinted);
  // Hints are read from the text as it was before any rule ran; a marker put in by a rule holds
  // words (token, secret, key) of later rules, so once the text changes every later rule runs.
  let changed = false;
  for (let index = 0; index < SECRET_RULES.length; index++) {
    if (!changed && hinted[index] === 0) continue;
    const rule = SECRET_RULES[index] as SecretRule;
    const next = applyRule(rule, out);
    if (next !== out) changed = true;
    out = next;
  }
  return out;
}
