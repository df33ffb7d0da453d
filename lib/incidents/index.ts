/**
 * Incidents: grouping classified log events into errors as people see them, fingerprints,
 * severity for routing, and the messages that carry them (email, Slack, JSON, SNS).
 */
export * from './alert-context.ts';
export * from './describe.ts';
export * from './fingerprint.ts';
export * from './fit-lines.ts';
export * from './format-alert-context.ts';
export * from './format-email.ts';
export * from './format-json.ts';
export * from './format-slack.ts';
export * from './group-lines.ts';
export * from './normalise-line.ts';
export * from './parse-incident.ts';
export * from './severity.ts';
export * from './to-incidents.ts';
export * from './to-sns-message.ts';
export * from './types.ts';
