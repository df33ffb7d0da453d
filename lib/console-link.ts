/**
 * Deep links into the CloudWatch console (`logsV2` view) for one log stream around an incident.
 *
 * The console reads its route from the URL fragment and expects names escaped twice, with `%`
 * then written as `$`: `/` → `%2F` → `%252F` → `$252F`. Delimiters of the query part after the
 * stream are escaped once (`?` → `$3F`, `=` → `$3D`, `&` → `$26`). No library builds these links,
 * hence the hand-written escaping.
 *
 * @module
 */

/** Where and when to look. */
export interface LogStreamConsoleLinkInput {
  /** AWS Region of the log group, e.g. `eu-west-1`. Chooses the partition's console host. */
  region: string;
  /** The log group, verbatim, e.g. `/aws/sagemaker/TrainingJobs`. */
  logGroup: string;
  /** The log stream, verbatim. Empty: link to the group instead. */
  logStream: string;
  /** Start of the time window, milliseconds since the epoch. */
  startMs?: number;
  /** End of the time window, milliseconds since the epoch. */
  endMs?: number;
}

/**
 * AWS Region codes: `us-east-1`, `us-gov-west-1`, `cn-northwest-1`, ... Anything else (empty,
 * garbage from configuration) must not end up in the host name.
 */
const REGION_CODE = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/;

/** The console's origin in each AWS partition: the one table of console addresses. */
const CONSOLE_ORIGINS: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `https://${region}.console.aws.amazon.com`,
  'aws-cn': () => 'https://console.amazonaws.cn',
  'aws-us-gov': () => 'https://console.amazonaws-us-gov.com',
};

/** Regions outside the commercial partition, by Region code prefix. */
const PARTITION_PREFIXES: readonly { readonly regionPrefix: string; readonly partition: string }[] = [
  { regionPrefix: 'cn-', partition: 'aws-cn' },
  { regionPrefix: 'us-gov-', partition: 'aws-us-gov' },
];

/** Characters `encodeURIComponent` leaves alone although RFC 3986 reserves them. */
const SUB_DELIMITERS = /[!'()*]/g;

/**
 * Builds a CloudWatch console link to a log stream, optionally narrowed to a time window.
 *
 * - Commercial Regions use `https://<region>.console.aws.amazon.com`; `cn-*` Regions
 *   `https://console.amazonaws.cn`; `us-gov-*` Regions `https://console.amazonaws-us-gov.com`.
 *   A value that is not a Region code yields a link without Region (the console's default).
 * - Group and stream are escaped for the console (`/` → `$252F`, `[` → `$255B`, `$` → `$2524`,
 *   space → `$2520`, UTF-8 bytes of non-ASCII characters as `$25XX`); lone surrogates become U+FFFD.
 * - `startMs`/`endMs` become `$3Fstart$3D<ms>$26end$3D<ms>`, floored to whole milliseconds; values
 *   that are not finite non-negative numbers are left out (a negative `start` would mean "relative"
 *   to the console), and a reversed window is put in order.
 *
 * @param input - Region, group, stream and optional window.
 * @returns The URL. Never throws.
 */
export function toLogStreamConsoleUrl(input: LogStreamConsoleLinkInput): string {
  const { region, logGroup, logStream, startMs, endMs } = input;
  let route = `log-groups/log-group/${escapeForConsole(logGroup)}`;
  const query = toTimeQuery(toEpochMs(startMs), toEpochMs(endMs));
  if (logStream !== '') {
    route += `/log-events/${escapeForConsole(logStream)}${query}`;
  } else if (query !== '') {
    route += `/log-events${query}`;
  }
  return `${toConsoleHome(region)}#logsV2:${route}`;
}

/**
 * The console's origin for a Region of a partition (`aws`, `aws-cn`, `aws-us-gov`), or `undefined`
 * for a partition whose console this table does not know.
 */
export function toConsoleOrigin(partition: string, region: string): string | undefined {
  const origin = Object.hasOwn(CONSOLE_ORIGINS, partition) ? CONSOLE_ORIGINS[partition] : undefined;
  return origin?.(region);
}

/** The CloudWatch console home for a Region, in the Region's partition. */
function toConsoleHome(region: string): string {
  if (!REGION_CODE.test(region)) return 'https://console.aws.amazon.com/cloudwatch/home';
  const partition =
    PARTITION_PREFIXES.find((candidate) => region.startsWith(candidate.regionPrefix))?.partition ?? 'aws';
  return `${toConsoleOrigin(partition, region)}/cloudwatch/home?region=${region}`;
}

/** `$3Fstart$3D<ms>$26end$3D<ms>`, with whichever bounds are given, in order. */
function toTimeQuery(start: number | undefined, end: number | undefined): string {
  const [from, to] = start !== undefined && end !== undefined && end < start ? [end, start] : [start, end];
  const params: string[] = [];
  if (from !== undefined) params.push(`start$3D${from}`);
  if (to !== undefined) params.push(`end$3D${to}`);
  return params.length === 0 ? '' : `$3F${params.join('$26')}`;
}

/** A whole number of milliseconds, or `undefined` for anything that is not a usable instant. */
function toEpochMs(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/** Escapes a name the way the console's fragment router expects: encoded twice, then `%` → `$`. */
function escapeForConsole(name: string): string {
  return encodeStrictly(encodeStrictly(name.toWellFormed())).replaceAll('%', '$');
}

/**
 * `encodeURIComponent` plus `!'()*`: they decode the same, but left raw they end Markdown links
 * and confuse link detection in chat clients.
 */
function encodeStrictly(value: string): string {
  return encodeURIComponent(value).replace(
    SUB_DELIMITERS,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
