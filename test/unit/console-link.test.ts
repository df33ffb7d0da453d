import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toConsoleOrigin, toLogStreamConsoleUrl } from '../../lib/console-link.ts';

// Expected URLs are written out by hand from the console's rules: names are URL-encoded twice and
// `%` becomes `$` (`/` → `%2F` → `%252F` → `$252F`); the query delimiters after the stream are
// encoded once (`?` → `$3F`, `=` → `$3D`, `&` → `$26`).

const TRAINING_GROUP = '$252Faws$252Fsagemaker$252FTrainingJobs';

describe('toLogStreamConsoleUrl', () => {
  it('links a training stream in a commercial Region', () => {
    expect(
      toLogStreamConsoleUrl({
        region: 'us-east-1',
        logGroup: '/aws/sagemaker/TrainingJobs',
        logStream: 'my-job-2024-01-01-12-00-00-123/algo-1-1700000000',
      }),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/' +
        `${TRAINING_GROUP}/log-events/my-job-2024-01-01-12-00-00-123$252Falgo-1-1700000000`,
    );
  });

  it('links a serverless endpoint stream around an incident', () => {
    expect(
      toLogStreamConsoleUrl({
        region: 'eu-west-1',
        logGroup: '/aws/sagemaker/Endpoints/tinyllama1-1b-python-v01-hoangmnsd-endpoint',
        logStream: 'AllTraffic/1c17ee2437692fb56aea43a82351435b-67eb496d28b24fd9a659037bcb81baf5',
        startMs: 1_700_000_000_000,
        endMs: 1_700_000_600_000,
      }),
    ).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/' +
        '$252Faws$252Fsagemaker$252FEndpoints$252Ftinyllama1-1b-python-v01-hoangmnsd-endpoint/log-events/' +
        'AllTraffic$252F1c17ee2437692fb56aea43a82351435b-67eb496d28b24fd9a659037bcb81baf5' +
        '$3Fstart$3D1700000000000$26end$3D1700000600000',
    );
  });

  it('escapes [, ] and $ twice (Lambda-style stream)', () => {
    expect(
      toLogStreamConsoleUrl({
        region: 'us-east-1',
        logGroup: '/aws/lambda/process-logs',
        logStream: '2025/07/17/[$LATEST]e555572cc95148b891fe5d8a51e3b69a',
      }),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/' +
        '$252Faws$252Flambda$252Fprocess-logs/log-events/' +
        '2025$252F07$252F17$252F$255B$2524LATEST$255De555572cc95148b891fe5d8a51e3b69a',
    );
  });

  it.each([
    ['space, and the dot of jupyter.log left alone', 'my nb/jupyter.log', 'my$2520nb$252Fjupyter.log'],
    ['two-byte and three-byte UTF-8', 'modèle/日本', 'mod$25C3$25A8le$252F$25E6$2597$25A5$25E6$259C$25AC'],
    ['astral character', 'run-🚀', 'run-$25F0$259F$259A$2580'],
    ['lone surrogate becomes U+FFFD', 'bad-\ud800', 'bad-$25EF$25BF$25BD'],
    ['percent sign', '100%', '100$2525'],
    ['query and fragment delimiters', 'a?b=c&d#e', 'a$253Fb$253Dc$2526d$2523e'],
    ['sub-delimiters encodeURIComponent keeps', "(x)!'", '$2528x$2529$2521$2527'],
    ['unreserved characters', 'a~b_c.d-e', 'a~b_c.d-e'],
  ])('escapes %s', (_name, logStream, escaped) => {
    expect(
      toLogStreamConsoleUrl({ region: 'us-west-2', logGroup: '/aws/sagemaker/NotebookInstances', logStream }),
    ).toBe(
      'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/' +
        `$252Faws$252Fsagemaker$252FNotebookInstances/log-events/${escaped}`,
    );
  });

  it.each([
    ['cn-north-1', 'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1'],
    ['cn-northwest-1', 'https://console.amazonaws.cn/cloudwatch/home?region=cn-northwest-1'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1'],
    ['us-gov-east-1', 'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-east-1'],
    ['ap-southeast-5', 'https://ap-southeast-5.console.aws.amazon.com/cloudwatch/home?region=ap-southeast-5'],
    ['', 'https://console.aws.amazon.com/cloudwatch/home'],
    ['US-EAST-1', 'https://console.aws.amazon.com/cloudwatch/home'],
    ['us-east-1.evil.example/x', 'https://console.aws.amazon.com/cloudwatch/home'],
  ])('uses the console of region %j', (region, home) => {
    expect(
      toLogStreamConsoleUrl({
        region,
        logGroup: '/aws/sagemaker/TrainingJobs',
        logStream: 'job/algo-1-1700000000',
      }),
    ).toBe(`${home}#logsV2:log-groups/log-group/${TRAINING_GROUP}/log-events/job$252Falgo-1-1700000000`);
  });

  describe('time window', () => {
    const base =
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/' +
      `${TRAINING_GROUP}/log-events/job$252Falgo-1-1700000000`;
    const link = (window: { startMs?: number; endMs?: number }) =>
      toLogStreamConsoleUrl({
        region: 'us-east-1',
        logGroup: '/aws/sagemaker/TrainingJobs',
        logStream: 'job/algo-1-1700000000',
        ...window,
      });

    it('carries a start alone', () => {
      expect(link({ startMs: 1_700_000_000_000 })).toBe(`${base}$3Fstart$3D1700000000000`);
    });

    it('carries an end alone', () => {
      expect(link({ endMs: 1_700_000_600_000 })).toBe(`${base}$3Fend$3D1700000600000`);
    });

    it('puts a reversed window in order', () => {
      expect(link({ startMs: 1_700_000_600_000, endMs: 1_700_000_000_000 })).toBe(
        `${base}$3Fstart$3D1700000000000$26end$3D1700000600000`,
      );
    });

    it('floors fractional milliseconds', () => {
      expect(link({ startMs: 1_700_000_000_000.9, endMs: 1_700_000_600_000.2 })).toBe(
        `${base}$3Fstart$3D1700000000000$26end$3D1700000600000`,
      );
    });

    it.each([Number.NaN, Number.POSITIVE_INFINITY, -3_600_000])('leaves out the unusable bound %s', (bad) => {
      expect(link({ startMs: bad, endMs: 1_700_000_600_000 })).toBe(`${base}$3Fend$3D1700000600000`);
      expect(link({ startMs: 1_700_000_000_000, endMs: bad })).toBe(`${base}$3Fstart$3D1700000000000`);
    });
  });

  describe('without a stream', () => {
    const groupLink =
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/' +
      TRAINING_GROUP;

    it('links the group', () => {
      expect(
        toLogStreamConsoleUrl({
          region: 'us-east-1',
          logGroup: '/aws/sagemaker/TrainingJobs',
          logStream: '',
        }),
      ).toBe(groupLink);
    });

    it("links the group's events in the window", () => {
      expect(
        toLogStreamConsoleUrl({
          region: 'us-east-1',
          logGroup: '/aws/sagemaker/TrainingJobs',
          logStream: '',
          startMs: 1_700_000_000_000,
          endMs: 1_700_000_600_000,
        }),
      ).toBe(`${groupLink}/log-events$3Fstart$3D1700000000000$26end$3D1700000600000`);
    });
  });

  it('escapes any name so that the console decodes it back exactly', () => {
    const decode = (escaped: string) => decodeURIComponent(decodeURIComponent(escaped.replaceAll('$', '%')));
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        (logGroup, logStream) => {
          const url = toLogStreamConsoleUrl({ region: 'us-east-1', logGroup, logStream });
          // Only characters that survive chat clients and Markdown unescaped.
          expect(url).toMatch(/^[A-Za-z0-9\-._~:/?#=$]+$/);
          const route = url.slice(
            url.indexOf('#logsV2:log-groups/log-group/') + '#logsV2:log-groups/log-group/'.length,
          );
          const [escapedGroup, escapedStream, ...rest] = route.split('/log-events/');
          expect(rest).toEqual([]);
          expect(decode(escapedGroup ?? '')).toBe(logGroup);
          expect(decode(escapedStream ?? '')).toBe(logStream);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('toConsoleOrigin', () => {
  it('knows the console of each partition, and no other', () => {
    expect(toConsoleOrigin('aws', 'eu-west-1')).toBe('https://eu-west-1.console.aws.amazon.com');
    expect(toConsoleOrigin('aws-cn', 'cn-north-1')).toBe('https://console.amazonaws.cn');
    expect(toConsoleOrigin('aws-us-gov', 'us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com');
    expect(toConsoleOrigin('aws-iso', 'us-iso-east-1')).toBeUndefined();
    expect(toConsoleOrigin('constructor', 'eu-west-1')).toBeUndefined();
  });
});
