import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';
import type { LogsDelivery } from '../types.ts';

/**
 * Cap on the decompressed size of one delivery. An async invoke carries at most 1 MB of (base64)
 * payload; log text compresses 10–20×, so 32 MiB leaves headroom for real deliveries while
 * stopping a gzip bomb before it exhausts the function's memory.
 */
export const MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

/** The decode steps, in order; a {@link DecodeError} names the one that failed. */
export const DecodeSteps = ['event', 'base64', 'gzip', 'size-cap', 'json', 'schema'] as const;

/** One of {@link DecodeSteps}. */
export type DecodeStep = (typeof DecodeSteps)[number];

/**
 * A subscription payload that cannot be decoded. The handler lets it reject the invocation, so
 * Lambda's async retries and then the dead-letter queue keep the original payload intact.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** The step that failed. */
  readonly step: DecodeStep;

  constructor(step: DecodeStep, detail: string) {
    super(`cannot decode CloudWatch Logs payload at step '${step}': ${detail}`);
    this.step = step;
  }
}

// Strict base64 (standard alphabet, length a multiple of 4, '=' only as the last one or two
// characters): Buffer.from(x, 'base64') silently skips invalid characters, which would turn garbage
// into a misleading gzip error. A search for the first character outside the alphabet is one cheap
// linear scan, unlike a structured pattern over a megabyte of payload.
const NOT_BASE64 = /[^A-Za-z0-9+/]/;

function isBase64(data: string): boolean {
  if (data.length === 0 || data.length % 4 !== 0) return false;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return !NOT_BASE64.test(padding === 0 ? data : data.slice(0, -padding));
}

/*
 * The schema of Powertools' `CloudWatchLogsDecodeSchema` (same fields, same checks), written here
 * for two reasons: its envelope drops logGroup/logStream, and importing it pulls `{ z }` from zod,
 * which defeats tree-shaking and costs the bundle about 400 KB. One deliberate difference: it
 * requires at least one event, while a CONTROL_MESSAGE carries none, and a DATA_MESSAGE without
 * events has nothing to lose: both are accepted here and simply do nothing, rather than failing
 * into the dead-letter queue and paging someone for an empty delivery.
 */
const DeliverySchema = z.object({
  messageType: z.string(),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  // CloudWatch Logs writes ids as strings of digits; an integer id (as a local emulator writes
  // into a Kinesis record) is read as its decimal text rather than failing the whole record.
  logEvents: z.array(
    z.object({
      id: z.union([z.string(), z.number().int().transform(String)]),
      timestamp: z.number(),
      message: z.string(),
    }),
  ),
});

/**
 * Decodes the `awslogs.data` field of a CloudWatch Logs subscription event:
 * base64 → gunzip (capped at `maxBytes`) → JSON → schema.
 *
 * @throws {DecodeError} naming the step that failed.
 */
export function decodeSubscriptionPayload(event: unknown, maxBytes = MAX_DECOMPRESSED_BYTES): LogsDelivery {
  const data = (event as { awslogs?: { data?: unknown } } | null | undefined)?.awslogs?.data;
  if (typeof data !== 'string') throw new DecodeError('event', 'expected { awslogs: { data: string } }');
  return decodeLogsData(data, maxBytes, 'awslogs.data');
}

/**
 * Decodes one CloudWatch Logs payload as base64 text: the `awslogs.data` of a direct subscription,
 * or the `kinesis.data` of a record a subscription filter wrote to a Kinesis stream (the same
 * gzip'd JSON, base64-encoded by Lambda). base64 → gunzip (capped at `maxBytes`) → JSON → schema.
 *
 * @param field named in the base64 step's error.
 * @throws {DecodeError} naming the step that failed.
 */
export function decodeLogsData(
  data: string,
  maxBytes = MAX_DECOMPRESSED_BYTES,
  field = 'kinesis.data',
): LogsDelivery {
  if (!isBase64(data)) throw new DecodeError('base64', `${field} is not base64`);

  let text: string;
  try {
    text = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DecodeError('size-cap', `decompressed payload exceeds ${maxBytes} bytes`);
    }
    throw new DecodeError('gzip', (error as Error).message);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not the parser's message: V8 quotes the payload text around the error, which may be a secret.
    throw new DecodeError('json', 'the decompressed payload is not valid JSON');
  }

  const parsed = DeliverySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new DecodeError('schema', issues.join('; '));
  }
  const { messageType } = parsed.data;
  if (messageType !== 'DATA_MESSAGE' && messageType !== 'CONTROL_MESSAGE') {
    // The value is payload text: named by its length only, never quoted into a log line.
    throw new DecodeError(
      'schema',
      `messageType: expected DATA_MESSAGE or CONTROL_MESSAGE (got ${messageType.length} characters)`,
    );
  }
  return { ...parsed.data, messageType };
}

/**
 * The inverse of {@link decodeSubscriptionPayload}: a delivery as CloudWatch Logs hands it to a
 * subscribed Lambda (JSON → gzip → base64 in `awslogs.data`). Used to run the handler locally (demo,
 * bench) and in tests.
 */
export function encodeSubscriptionPayload(delivery: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(JSON.stringify(delivery)).toString('base64') } };
}
