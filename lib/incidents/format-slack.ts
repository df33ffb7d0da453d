import { describeResource, formatTime } from './describe.ts';
import { fitLines, truncateText } from './fit-lines.ts';
import { toSlackContextParts } from './format-alert-context.ts';
import { scrubIncident } from './format-json.ts';
import type { Incident, IncidentSeverity } from './types.ts';

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_HEADER_MAX_CHARS = 150;
export const SLACK_SECTION_TEXT_MAX_CHARS = 3_000;
export const SLACK_MAX_FIELDS = 10;
export const SLACK_FIELD_MAX_CHARS = 2_000;
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_CONTEXT_TEXT_MAX_CHARS = 2_000;
export const SLACK_BUTTON_URL_MAX_CHARS = 3_000;
/** Slack cuts `text` at 40,000 characters; a notification reads best far shorter. */
export const SLACK_FALLBACK_TEXT_MAX_CHARS = 1_000;
/** Lines of log shown in the code block at most (and each line's length). */
export const SLACK_CODE_MAX_LINES = 40;
export const SLACK_CODE_LINE_MAX_CHARS = 500;

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

/** The blocks this formatter uses (a subset of Block Kit's). */
export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text?: SlackText & { type: 'mrkdwn' }; fields?: (SlackText & { type: 'mrkdwn' })[] }
  | { type: 'context'; elements: (SlackText & { type: 'mrkdwn' })[] }
  | {
      type: 'actions';
      elements: {
        type: 'button';
        text: SlackText & { type: 'plain_text' };
        url: string;
        action_id: string;
      }[];
    };

/** A message for an incoming webhook (`@slack/webhook`'s `send`). */
export interface SlackMessage {
  /** Notification and accessibility fallback. */
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_EMOJI: Readonly<Record<IncidentSeverity, string>> = {
  critical: ':rotating_light:',
  error: ':red_circle:',
  warning: ':warning:',
};

/** Escapes the three characters Slack's mrkdwn reserves (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwn(text: string, max: number): SlackText & { type: 'mrkdwn' } {
  return { type: 'mrkdwn', text: truncateText(text, max) };
}

/** A time shown in the reader's own time zone, with the ISO UTC time as fallback. */
function slackTime(ms: number): string {
  const iso = formatTime(ms);
  return iso === 'unknown' ? iso : `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${iso}>`;
}

function field(label: string, value: string | undefined): SlackText & { type: 'mrkdwn' } {
  return mrkdwn(`*${label}*\n${value === undefined || value === '' ? '—' : value}`, SLACK_FIELD_MAX_CHARS);
}

const CODE_FENCE = '```';

/** The log lines in a code block of at most 3,000 characters, its end (the exception) kept. */
function codeBlock(lines: readonly string[]): string {
  // A fence inside the log would end the block early; a zero-width space breaks it up.
  const escaped = lines.map((line) => escapeMrkdwn(line).replaceAll(CODE_FENCE, '`\u200b``'));
  const fitted = fitLines(escaped, {
    maxLines: SLACK_CODE_MAX_LINES,
    maxSize: SLACK_SECTION_TEXT_MAX_CHARS - 2 * (CODE_FENCE.length + 1),
    maxLineSize: SLACK_CODE_LINE_MAX_CHARS,
    measure: 'chars',
  });
  return `${CODE_FENCE}\n${fitted.join('\n')}\n${CODE_FENCE}`;
}

/** The alert context as a small block of figures and a line of notes; nothing without one. */
function contextBlocks(incident: Incident): SlackBlock[] {
  if (!incident.alertContext) return [];
  const { heading, fields, notes } = toSlackContextParts(incident.alertContext, incident, escapeMrkdwn);
  const blocks: SlackBlock[] = [];
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(heading, SLACK_SECTION_TEXT_MAX_CHARS),
      fields: fields.map((text) => mrkdwn(text, SLACK_FIELD_MAX_CHARS)),
    });
  }
  if (notes.length > 0) {
    blocks.push({
      type: 'context',
      elements: notes.map((note) =>
        mrkdwn(fields.length > 0 ? note : `${heading}: ${note}`, SLACK_CONTEXT_TEXT_MAX_CHARS),
      ),
    });
  }
  return blocks;
}

/**
 * The Block Kit message for an incident: a header (what and where), a section of fields
 * (resource, host, container, category, severity, count, first and last seen), the alert context
 * (SageMaker's figures and the job's status, when gathered), the log lines in a code block, a
 * context line (fingerprint, stream, notes) and a button to the log stream.
 */
export function formatSlack(incident: Incident): SlackMessage {
  const safe = scrubIncident(incident);
  const count = safe.suppressedBefore
    ? `${safe.count} (+${safe.suppressedBefore} suppressed before)`
    : String(safe.count);
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncateText(`${SEVERITY_EMOJI[safe.severity]} ${safe.title}`, SLACK_HEADER_MAX_CHARS),
        emoji: true,
      },
    },
    {
      type: 'section',
      fields: [
        field('Resource', escapeMrkdwn(describeResource(safe))),
        field('Host', escapeMrkdwn(safe.host ?? safe.instance ?? '')),
        field('Container', escapeMrkdwn(safe.container ?? '')),
        field('Category', `\`${safe.category}\``),
        field('Severity', safe.severity),
        field('Count', count),
        field('First seen', slackTime(safe.firstSeenMs)),
        field('Last seen', slackTime(safe.lastSeenMs)),
      ],
    },
    ...contextBlocks(safe),
    {
      type: 'section',
      text: mrkdwn(
        codeBlock(safe.context.length > 0 ? safe.context : [safe.headline]),
        SLACK_SECTION_TEXT_MAX_CHARS,
      ),
    },
  ];
  const notes = [`Fingerprint \`${safe.fingerprint}\` · log stream \`${escapeMrkdwn(safe.logStream)}\``];
  if (safe.truncated) notes.push(':scissors: The error was still being written when this log batch ended.');
  blocks.push({ type: 'context', elements: notes.map((note) => mrkdwn(note, SLACK_CONTEXT_TEXT_MAX_CHARS)) });
  if (
    safe.consoleUrl &&
    /^https?:\/\//.test(safe.consoleUrl) &&
    safe.consoleUrl.length <= SLACK_BUTTON_URL_MAX_CHARS
  ) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open log stream', emoji: false },
          url: safe.consoleUrl,
          action_id: 'open-log-stream',
        },
      ],
    });
  }
  const text = truncateText(
    escapeMrkdwn(`[${safe.severity}] ${safe.title}: ${safe.headline}`),
    SLACK_FALLBACK_TEXT_MAX_CHARS,
  );
  return { text, blocks };
}
