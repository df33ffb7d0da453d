import { describe, expect, it } from 'vitest';
import { toLogStreamConsoleUrl } from '../../../lib/console-link.ts';
import { toIncidentOptions, UNKNOWN_OWNER } from '../../../lib/processor/incident-options.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const GROUP = '/aws/sagemaker/TrainingJobs';
const START = Date.now() - 30 * 60_000;

describe('toIncidentOptions', () => {
  it('links to the stream a minute either side, and leaves out an owner it does not know', () => {
    const delivery = makeDelivery(GROUP, 'job/algo-1-1764148443', ['a'], START);
    const options = toIncidentOptions(delivery, 'eu-west-1');
    expect(options).toMatchObject({ region: 'eu-west-1', accountId: '123456789012' });
    expect(options.consoleUrl?.({ startMs: START, endMs: START + 1000 })).toBe(
      toLogStreamConsoleUrl({
        region: 'eu-west-1',
        logGroup: GROUP,
        logStream: 'job/algo-1-1764148443',
        startMs: START - 60_000,
        endMs: START + 61_000,
      }),
    );
    expect(toIncidentOptions({ ...delivery, owner: UNKNOWN_OWNER }, 'eu-west-1')).not.toHaveProperty(
      'accountId',
    );
  });
});
