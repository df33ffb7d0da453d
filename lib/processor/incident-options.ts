import { toLogStreamConsoleUrl } from '../console-link.ts';
import type { ToIncidentsOptions } from '../incidents/index.ts';
import type { LogsDelivery } from '../types.ts';

/** Console links show the incident's time and a minute either side. */
export const CONSOLE_LINK_MARGIN_MS = 60_000;

/**
 * The account id a delivery names when its real owner is not known (a replay from files). Such an
 * owner is left out of incidents rather than shown as a made-up account.
 */
export const UNKNOWN_OWNER = '000000000000';

/**
 * The options `toIncidents` gets for one delivery, the same in the Lambda handler and in the CLI's
 * replay: the Region, the owning account (from the delivery, when known), and a console link to
 * the delivery's stream around the incident's time.
 */
export function toIncidentOptions(delivery: LogsDelivery, region: string): ToIncidentsOptions {
  const accountId = delivery.owner === UNKNOWN_OWNER ? undefined : delivery.owner;
  return {
    region,
    ...(accountId ? { accountId } : {}),
    consoleUrl: ({ startMs, endMs }) =>
      toLogStreamConsoleUrl({
        region,
        logGroup: delivery.logGroup,
        logStream: delivery.logStream,
        startMs: startMs - CONSOLE_LINK_MARGIN_MS,
        endMs: endMs + CONSOLE_LINK_MARGIN_MS,
      }),
  };
}
