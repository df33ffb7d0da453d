import { ConfigError } from '../errors.ts';
import { checkWebhookParameters, type OperatorRulesConfig } from './config.ts';
import { NO_OPERATOR_RULES, type OperatorRules, parseOperatorRules } from './parse.ts';

/** How the document is read: passed in, so this stays free of I/O. */
export interface OperatorRulesReaders {
  /** The value of an SSM parameter (decrypted), or `undefined` when it does not exist. */
  parameter: (name: string) => Promise<string | undefined>;
  /** The text of a file packaged with the function. */
  file: (path: string) => string;
}

/**
 * Reads, validates and compiles the configured rules document (none configured: no rules), and
 * checks that every Slack webhook of a route lies under `ROUTE_WEBHOOK_PATH`.
 *
 * @throws {ConfigError} naming the variable that points at the document, and the bad entry.
 */
export async function loadOperatorRules(
  config: OperatorRulesConfig,
  read: OperatorRulesReaders,
): Promise<OperatorRules> {
  const { source } = config;
  if (source === undefined) return NO_OPERATOR_RULES;
  let text: string | undefined;
  try {
    text = source.kind === 'parameter' ? await read.parameter(source.name) : read.file(source.path);
  } catch (error) {
    const where = source.kind === 'parameter' ? source.name : source.path;
    throw new ConfigError(source.variable, `cannot read '${where}': ${(error as Error).message}`);
  }
  if (text === undefined) {
    throw new ConfigError(
      source.variable,
      `the parameter '${(source as { name: string }).name}' does not exist`,
    );
  }
  const rules = parseOperatorRules(text, source.variable);
  checkWebhookParameters(rules.routes, config.webhookPath, source.variable);
  return rules;
}
