import { describeResource, formatTime } from './describe.ts';
import { fitLines, truncateText } from './fit-lines.ts';
import { scrubIncident } from './format-json.ts';
import { escapeMrkdwn } from './format-slack.ts';
import type { Incident } from './types.ts';

/**
 * Amazon Q Developer in chat applications (AWS Chatbot) renders only its custom-notification
 * schema (`version: "1.0"`, `source: "custom"`, `content.description`) and drops anything else.
 * AWS documents no field lengths, so these stay well inside Slack's 3,000-character section.
 */
export const CHATBOT_TITLE_MAX_CHARS = 250;
export const CHATBOT_DESCRIPTION_MAX_CHARS = 2_500;
export const CHATBOT_CODE_MAX_LINES = 15;
export const CHATBOT_CODE_LINE_MAX_CHARS = 300;

/** A custom notification for Amazon Q Developer in chat applications. */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords: string[];
  };
  metadata: {
    /** One thread per fingerprint. */
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** The incident as a Chatbot custom notification (for an `https` subscription of the topic). */
export function formatChatbot(incident: Incident): ChatbotNotification {
  const safe = scrubIncident(incident);
  const facts = [
    `*Where:* ${escapeMrkdwn(describeResource(safe))}${safe.host ? ` · ${escapeMrkdwn(safe.host)}` : ''}`,
    `*Count:* ${safe.count} (first ${formatTime(safe.firstSeenMs)}, last ${formatTime(safe.lastSeenMs)})`,
  ];
  const lead = `${escapeMrkdwn(safe.headline)}\n${facts.join('\n')}\n`;
  const budget = CHATBOT_DESCRIPTION_MAX_CHARS - lead.length - '```\n\n```'.length;
  const code = fitLines(
    safe.context.map((line) => escapeMrkdwn(line).replaceAll('```', '`\u200b``')),
    {
      maxLines: CHATBOT_CODE_MAX_LINES,
      maxSize: Math.max(0, budget),
      maxLineSize: CHATBOT_CODE_LINE_MAX_CHARS,
      measure: 'chars',
    },
  );
  const description = truncateText(
    code.length > 0 && budget > 0 ? `${lead}\`\`\`\n${code.join('\n')}\n\`\`\`` : lead,
    CHATBOT_DESCRIPTION_MAX_CHARS,
  );
  const notification: ChatbotNotification = {
    version: '1.0',
    source: 'custom',
    id: `${safe.fingerprint}-${safe.firstSeenMs}`,
    content: {
      textType: 'client-markdown',
      title: truncateText(`${safe.severity.toUpperCase()}: ${safe.title}`, CHATBOT_TITLE_MAX_CHARS),
      description,
      keywords: [safe.severity, safe.category, safe.resourceType],
    },
    metadata: {
      threadId: safe.fingerprint,
      summary: truncateText(safe.title, CHATBOT_TITLE_MAX_CHARS),
      eventType: 'sagewatch.incident',
      relatedResources: safe.resourceName ? [safe.resourceName] : [],
      additionalContext: {
        fingerprint: safe.fingerprint,
        logGroup: safe.logGroup,
        logStream: safe.logStream,
      },
    },
  };
  if (safe.consoleUrl) notification.content.nextSteps = [`Open the log stream: ${safe.consoleUrl}`];
  return notification;
}
