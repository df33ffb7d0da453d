/**
 * `sagewatch classify`: what the classifier said about each line, and why (the rule that decided,
 * its pattern, and which metric definitions found values), as records and as text.
 */
import { GENERAL_RULE_IDS, LEVEL_RULE_IDS, RULES } from '../lib/classify/index.ts';
import type { Category, Classification, HttpInfo, Severity } from '../lib/types.ts';
import { formatCount, renderTable } from './table.ts';

/** One classified line, ready for `--json` (one record per line) or the table. */
export interface ClassifyRecord {
  /** Line (or event) number in the input, 1-based. */
  line: number;
  message: string;
  severity: Severity;
  category: Category;
  /** The rule that decided severity and category; absent when none did. */
  ruleId?: string;
  /** Why, in words: the rule and its pattern, the words that decided, or the line's own log level. */
  reason: string;
  /** For a decision of the general tier: the words of the line that decided it. */
  evidence?: string;
  /** Metric values found: name → value. */
  metrics?: Record<string, number>;
  /** Names among `metrics` that came from the operator's metric definitions. */
  definitionMetrics?: string[];
  http?: HttpInfo;
}

/** Which lines `--only` keeps. */
export const ClassifyFilters = ['all', 'errors', 'warnings', 'problems', 'metrics', 'http'] as const;

/** One of {@link ClassifyFilters}. */
export type ClassifyFilter = (typeof ClassifyFilters)[number];

const RULE_PATTERNS: ReadonlyMap<string, string> = new Map(
  RULES.map((rule) => [rule.id, `/${rule.pattern.source}/`]),
);

/** Custom rules, as far as an explanation needs them. */
type CustomRuleInfo = readonly { ruleId: string; pattern: RegExp }[];

const GENERAL_EXPLANATIONS: Readonly<Record<string, string>> = {
  [GENERAL_RULE_IDS.exceptionName]: 'general tier: no specific rule matched; an exception class name',
  [GENERAL_RULE_IDS.failureWords]: 'general tier: no specific rule matched; failure words',
  [GENERAL_RULE_IDS.tracebackStructure]:
    'a traceback frame, header or chaining line in a stream: info, the exception line carries the error',
};

/**
 * Explains a classification in words; `evidence` is what the general tier saw in the line, and
 * `customRules` are an operator rules file's (`--rules`).
 */
export function explainRule(
  ruleId: string | undefined,
  evidence?: string,
  customRules: CustomRuleInfo = [],
): string {
  const general = ruleId === undefined ? undefined : GENERAL_EXPLANATIONS[ruleId];
  if (general !== undefined) return evidence === undefined ? general : `${general}: "${evidence}"`;
  if (ruleId === undefined) return 'no rule matched and the line has no error or warning level';
  if (ruleId === LEVEL_RULE_IDS.error) {
    return 'no rule matched; the line is logged at ERROR level, which alone makes a warning';
  }
  if (ruleId === LEVEL_RULE_IDS.warning) return 'no rule matched; the line is logged at WARNING level';
  const custom = customRules.find((rule) => rule.ruleId === ruleId);
  if (custom) return `custom rule ${ruleId} (--rules) matched ${String(custom.pattern)}`;
  const pattern = RULE_PATTERNS.get(ruleId);
  return pattern === undefined ? `rule ${ruleId}` : `rule ${ruleId} matched ${pattern}`;
}

/** Builds the record of one line. `definitionNames` are the operator's metric names. */
export function toClassifyRecord(
  line: number,
  message: string,
  classification: Classification,
  definitionNames: ReadonlySet<string>,
  customRules?: CustomRuleInfo,
): ClassifyRecord {
  const record: ClassifyRecord = {
    line,
    message,
    severity: classification.severity,
    category: classification.category,
    reason: explainRule(classification.ruleId, classification.evidence, customRules),
  };
  if (classification.ruleId !== undefined) record.ruleId = classification.ruleId;
  if (classification.evidence !== undefined) record.evidence = classification.evidence;
  if (classification.metrics) {
    record.metrics = classification.metrics;
    const fromDefinitions = Object.keys(classification.metrics).filter((name) => definitionNames.has(name));
    if (fromDefinitions.length > 0) record.definitionMetrics = fromDefinitions;
  }
  if (classification.http) record.http = classification.http;
  return record;
}

/** Whether a record passes `--only`. */
export function keepRecord(record: ClassifyRecord, filter: ClassifyFilter): boolean {
  switch (filter) {
    case 'errors':
      return record.severity === 'error';
    case 'warnings':
      return record.severity === 'warning';
    case 'problems':
      return record.severity !== 'info';
    case 'metrics':
      return record.metrics !== undefined;
    case 'http':
      return record.http !== undefined;
    default:
      return true;
  }
}

function describeFound(record: ClassifyRecord): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(record.metrics ?? {})) {
    const mark = record.definitionMetrics?.includes(name) ? '*' : '';
    parts.push(`${name}${mark}=${value}`);
  }
  if (record.http) {
    parts.push(
      `HTTP ${record.http.status}${record.http.latencyMs === undefined ? '' : ` ${record.http.latencyMs}ms`}`,
    );
  }
  return parts.join(' ');
}

/**
 * The records as a table (line, severity, category, rule, values found, message), then the rules
 * that decided with their patterns, then counts.
 *
 * @param width terminal width: the message column takes what the others leave.
 */
export function renderClassifyReport(
  records: readonly ClassifyRecord[],
  total: number,
  width: number,
  customRules?: CustomRuleInfo,
): string[] {
  const rows = records.map((record) => [
    String(record.line),
    record.severity,
    record.category,
    record.ruleId ?? '-',
    describeFound(record),
    record.message,
  ]);
  const fixed = renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'Severity' },
      { header: 'Category' },
      { header: 'Rule', maxWidth: 32 },
      { header: 'Found', maxWidth: 40 },
    ],
    rows.map((row) => row.slice(0, 5)),
  );
  // The rule line has every column at full width (the header line is trimmed).
  const messageWidth = Math.max(20, width - ((fixed[1]?.length ?? 0) + 2));
  const lines = renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'Severity' },
      { header: 'Category' },
      { header: 'Rule', maxWidth: 32 },
      { header: 'Found', maxWidth: 40 },
      { header: 'Message', maxWidth: messageWidth },
    ],
    rows,
  );
  const ruleIds = [...new Set(records.map((record) => record.ruleId).filter((id) => id !== undefined))];
  if (ruleIds.length > 0) {
    lines.push('', 'Why:');
    // Whole patterns, even past the width: they are the answer to "why".
    for (const id of ruleIds.sort()) lines.push(`  ${id}: ${explainRule(id, undefined, customRules)}`);
    // The general tier's words differ line by line: each line's own.
    for (const record of records) {
      if (record.evidence !== undefined) lines.push(`  line ${record.line}: "${record.evidence}"`);
    }
  }
  if (records.some((record) => record.definitionMetrics)) {
    lines.push('', '* found by a metric definition (--metric-definitions)');
  }
  const count = (severity: Severity) => records.filter((record) => record.severity === severity).length;
  const categories: Record<string, number> = {};
  for (const record of records) {
    if (record.category !== 'none') categories[record.category] = (categories[record.category] ?? 0) + 1;
  }
  const byCategory = Object.entries(categories)
    .sort(([, a], [, b]) => b - a)
    .map(([category, n]) => `${category} ${formatCount(n)}`)
    .join(', ');
  lines.push(
    '',
    `${formatCount(records.length)} of ${formatCount(total)} lines shown: ${formatCount(count('error'))} errors, ` +
      `${formatCount(count('warning'))} warnings, ${formatCount(records.filter((r) => r.metrics).length)} with metrics, ` +
      `${formatCount(records.filter((r) => r.http).length)} HTTP requests${byCategory ? ` (${byCategory})` : ''}`,
  );
  return lines;
}
