/**
 * Reads a log group's events back for a replay: DescribeLogGroups to check the group and learn its
 * account, then FilterLogEvents page by page. The client is injected; create it with
 * `createLogsClient` (lib/aws/log-groups.ts), whose adaptive retry mode rate-limits the client and
 * backs off on ThrottlingException (FilterLogEvents has a low per-account TPS quota).
 */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type FilteredLogEvent,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';

/** FilterLogEvents returns at most 10,000 events per page. */
export const MAX_FILTER_PAGE_SIZE = 10_000;

/** A log event with its group and stream, as FilterLogEvents returns it. */
export interface StoredLogEvent {
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
  /** CloudWatch's event id. */
  id?: string;
}

/** What to read. */
export interface LogEventsQuery {
  logGroupName: string;
  /** Only streams whose name starts with this. */
  logStreamNamePrefix?: string;
  /** Epoch milliseconds, inclusive. */
  startTime: number;
  /** Epoch milliseconds, inclusive. */
  endTime: number;
  /** Events per page (1–10,000; default 10,000). */
  pageSize?: number;
}

/** The log group's ARN account, or `undefined` when the group does not exist. */
export async function findLogGroupAccount(
  logs: CloudWatchLogsClient,
  logGroupName: string,
): Promise<{ accountId?: string } | undefined> {
  // DescribeLogGroups sorts by name, and a name sorts before every longer name it prefixes.
  const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 1 }));
  const group = page.logGroups?.[0];
  if (group?.logGroupName !== logGroupName) return undefined;
  const accountId = /^arn:[^:]+:logs:[^:]*:(\d{12}):/.exec(group.arn ?? '')?.[1];
  return accountId === undefined ? {} : { accountId };
}

function toStoredLogEvent(logGroupName: string, event: FilteredLogEvent): StoredLogEvent | undefined {
  if (event.logStreamName === undefined || event.timestamp === undefined) return undefined;
  return {
    logGroup: logGroupName,
    logStream: event.logStreamName,
    timestamp: event.timestamp,
    message: event.message ?? '',
    ...(event.eventId === undefined ? {} : { id: event.eventId }),
  };
}

/**
 * Yields the events of a log group in a time range, one FilterLogEvents page at a time (pages may
 * be empty while `nextToken` says more is coming). Throws what the SDK throws once its retries are
 * spent, e.g. `ResourceNotFoundException` for a group that does not exist.
 */
export async function* readLogEventPages(
  logs: CloudWatchLogsClient,
  query: LogEventsQuery,
): AsyncGenerator<StoredLogEvent[]> {
  const pages = paginateFilterLogEvents(
    { client: logs, pageSize: query.pageSize ?? MAX_FILTER_PAGE_SIZE },
    {
      logGroupName: query.logGroupName,
      startTime: query.startTime,
      endTime: query.endTime,
      ...(query.logStreamNamePrefix === undefined ? {} : { logStreamNamePrefix: query.logStreamNamePrefix }),
    },
  );
  const prefix = query.logStreamNamePrefix;
  for await (const page of pages) {
    const events: StoredLogEvent[] = [];
    for (const raw of page.events ?? []) {
      const event = toStoredLogEvent(query.logGroupName, raw);
      // The service applies the prefix; checking again is cheap and keeps emulators honest.
      if (event !== undefined && (prefix === undefined || event.logStream.startsWith(prefix))) {
        events.push(event);
      }
    }
    yield events;
  }
}
