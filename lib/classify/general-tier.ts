/**
 * The general tier: what decides a line that no specific rule names. Specific rules (rules.ts) know
 * phenomena; this tier knows how failures are worded in any software: failure vocabulary (`failed`,
 * `unable to`, `could not`, `exited with`, `non-zero`, `Check failed`, `panic`, `denied`, ...), with
 * guards for its benign uses (`0 failed`, `failures=0`, `retrying ... succeeded`, test names),
 * exception class names of any language (also `SomeError: 401 ...`), and the logger's level.
 * Every decision names the words that made it (`evidence`), so `sagewatch classify` can show why.
 *
 * Patterns are matched against each line's body (logger prefix removed), are bounded where they
 * scan, and have no nested or overlapping unbounded quantifiers: linear time on any input.
 */
import { createKeywordMatcher } from '../text/keyword-matcher.ts';
import { type Category, type Classification, GENERAL_RULE_IDS } from '../types.ts';
import type { LogLevel } from './normalize.ts';

export { GENERAL_RULE_IDS } from '../types.ts';

/**
 * Lines that are traceback structure, not the failure: labelled info, because the exception line
 * that ends the traceback carries the error (docs/labelling.md). The incident grouping recognises
 * tracebacks by their shape and rates them errors on its own.
 */
const TRACEBACK_STRUCTURE =
  /^\s*(?:>\s*|\([\w ]{1,60}pid=\d+(?:, ip=[\d.]+)?\)\s*|[\w.-]{1,80}\s{1,10}\|\s*|\w{1,40}\[\d+\]:\s*)?(?:File "[^"\n]{1,500}", line \d+(?:, in [^\n]{1,200})?|[^\n]{0,200}Traceback \(most recent call last\):?|During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:|at [\w$.<>/-]{1,300}\((?:[\w$-]{1,200}\.(?:java|scala|kt):\d+|Native Method|Unknown Source)\)(?: ~?\[[^\]\n]{0,200}\])?|raise(?:\s[^\n]{0,500})?|frame #\d+: [^\n]{0,500})\s*$/;

/** Whether every non-blank line of the message is traceback structure (see {@link TRACEBACK_STRUCTURE}). */
export function isTracebackStructure(lines: readonly string[]): boolean {
  let any = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (!TRACEBACK_STRUCTURE.test(line)) return false;
    any = true;
  }
  return any;
}

/**
 * Benign uses of failure words: counts of zero, successes after a retry, test names and options,
 * help text. A line with one of these is left to its level.
 */
const BENIGN_GUARD =
  /\b0 (?:failed|failures?|errors?)\b|\b(?:failed|failures?|errors?)\s?[=:]\s?0\b|\bsucceeded\b|\bsuccessfully\b|\bretrying\b|\bwill retry\b|\bretry in\b|\busing default\b|^\s*return \d{3}\b|\bignor(?:e|ed|ing)\b|\btest_\w{0,100}|--\w{1,50}|\bif (?:it |this |the \w{1,50} )?fails\b|\b(?:with|had|found) no errors?\b|\bwithout (?:errors?|failures?)\b|\bnot an error\b|\bnormal if\b|\bexpected\b|\bdeprecat/i;

/**
 * Failure vocabulary that makes a line an error whatever its level (an INFO line can report a
 * failure: `Executor ... removed: Command exited with code 1`, `Status: fail`).
 */
const STRONG_FAILURE =
  /\b(?:Check failed|exited with (?:exit )?(?:code|status) [1-9]\d{0,2}|exit(?:ed)? (?:code|status):?\s{0,20}[1-9]\d{0,2}\b|ExitCode [1-9]|returned (?:exit )?status [1-9]|returned non-zero|taking the entire process down|retry counter exceeded|Exception encountered\b|http_status:5\d\d\b|prediction failure|No (?:[\w-]{1,40} ){0,3}engine found\b|non-zero (?:exit|status)|with non-zero status|(?:has|have) (?:been )?aborted|Aborted \(core dumped\)|Signal: (?:Aborted|Segmentation fault)|Process received signal|Segmentation fault|core dumped|panicked at|\bpanic:|fatal error|failed to (?:start|load|initiali[sz]e|create|run|execute|connect|open|read|write|find|allocate|parse|launch|import|download|init)|(?:load|connect\w*|init\w*|start\w*|call|execution|request|operation|job|task|trial|process|step|command|test) (?:\w{1,40} )?failed\b|failed with (?:exit|error|exception|code|status|\[)|Status: fail|status changed from \w+ to FAILED|\bFAILED\b|FAILURE!|unexpectedly (?:disconnected|exited|died|terminated)|Empty reply from server|Internal Server Error|Unable to \w+|Could not \w+|Cannot (?:open|find|allocate|load|connect|read|create)|can ?not be (?:found|loaded|opened)|No such file or directory|not (?:be )?found\b|Permission denied|Access denied|Connection refused|ECONNREFUSED|Connection reset|hit an exception|raise[ds]? (?:an )?error|unwrap\(\)` on an `Err`|root error\(s\) found|Crash(?:ed)?\b|kernel (?:died|crashed)|(?:worker|process|engine) (?:died|crashed)|\bcrashed\b|\bdied\b|was killed|OVERFLOW!|\bUNAVAILABLE: |Met Exceptions|Encountered (?:an |unexpected )?error|Error (?:executing|for|in|while|during|occurred|loading)\b|An error occurred\b|errored out|\bis not set\b|does not (?:follow|appear)|invalid (?:length|value|argument|parameter)s?\b|Invalid \w+ for\b)/i;

/** A JSON error document's fields: `"errorType": "ModelError"`, `"code": 503`, `"FailureReason": ...`. */
const JSON_ERROR_FIELD =
  /"(?:error|errorType|errorMessage|FailureReason)"\s?:\s?"[^"\n]{1,300}"|"(?:code|status|statusCode)"\s?:\s?5\d\d\b/i;

/** `error: ...` at the start of a line, as shell tools and pip write their own failures. */
const LOWERCASE_ERROR_REPORT = /^\s{0,20}(?:error|fatal): \S/m;

/** A process's own last word: `Abort`, `Aborted`. */
const ABORT_ALONE = /^\s{0,20}Abort(?:ed)?\b/m;

/** Words that make an ERROR- or FATAL-level line an error rather than a warning. */
const LEVEL_CONFIRMING =
  /\b(?:fail\w{0,10}|error\w{0,4}|exception|abort\w{0,4}|fatal|denied|refused|invalid|unable|cannot|could ?n[o']t|crash\w{0,3}|terminat\w{0,5})\b/i;

/**
 * An exception class of any language heading a message: `ValueError: x`, `java.io.IOException:`,
 * `huggingface_hub.utils._errors.RepositoryNotFoundError: 401 Client Error`, `XGBoostError: [12:57]`.
 */
const EXCEPTION_NAME =
  /(?:^|[\s*:>\]"'(])(?:[A-Za-z_]\w{0,100}\.){0,12}[A-Z]\w{0,100}(?:Error|Exception|Failure|Fault)(?::\s|:$|\s+Traceback\b)/;

/** Categories the general tier infers from a line's words, most specific first. */
const CATEGORY_HINTS: readonly (readonly [Category, RegExp])[] = [
  ['cuda_oom', /\bCUDA (?:calloc|malloc|out of memory)|\bcudaMalloc|OutOfMemoryError: CUDA/i],
  [
    'host_oom',
    /\bKilled\b|\bsignal 9\b|\bSIGKILL\b|exit (?:code|status):? ?137\b|\bOOM\b|Cannot allocate memory/i,
  ],
  ['disk_full', /No space left|ENOSPC|quota exceeded/i],
  [
    'nccl',
    /\bNCCL\b|\bgloo\b|\bmpirun|\bMPI\b|\bmpi_|\bProcessGroup|\bc10d\b|\bsrun\b|\bslurm|\brendezvous|\bopId=|\bCQE\b|\bHCA\b|\bnon-zero status, thus causing|\bcommunication peer\b|\bPer user-direction\b|\bretry counter exceeded\b|\bSMDDP|\bsmdistributed|\bhorovod/i,
  ],
  ['throttling', /\bthrottl|\bRate exceeded|\bTooManyRequests|\bSlowDown\b/i],
  ['timeout', /\btimed? ?out\b|\bdeadline exceeded/i],
  ['s3_access', /\bs3:\/\/|\bNoSuchBucket|\bNoSuchKey|\bS3\b/],
  ['health_check', /\/ping\b|\bhealth ?check/i],
  [
    'model_load_failure',
    /\bload(?:ing)? (?:the )?(?:model|servable|weights|checkpoint)|\bmodel (?:configuration|load)|\bservable\b|SavedModel (?:load|file)|\bengine found\b|does not appear to have a file named|\bEngineException\b|no version is available|Repository ?Not ?Found|\bTensorRT engine|\bdeep learning engine\b|Failed to load Model|\bUNAVAILABLE: /i,
  ],
  [
    'worker_died',
    /\bEngine core initialization failed|\b(?:worker|engine(?:core)?|executor)\b[^\n]{0,80}\b(?:died|crashed|exited|removed|failed to start)|\bEngineCore failed|\bEXITED \(Command exited/i,
  ],
  [
    'invocation_error',
    /\bInternal Server Error\b|\bEmpty reply from server|\binvocations?\b|\bprediction failure|\bhttp_status:5\d\d|\bModelError\b|\bUnsupported Media Type/i,
  ],
  [
    'user_script_error',
    /No such file or directory: '?\/opt\/ml\/code\/|\bCommand errored out\b|\bInvalid distribution name\b|\bentry ?point\b|\bsourcedir\b|\buser script|\bhyperparameter|\bLIBSVM\b|\bTrial job\b|\bJob inputs had no data|\bCheck failed: sign\b/i,
  ],
];

/** The category a line's words suggest, if any. */
export function hintCategory(text: string): Category | undefined {
  for (const [category, pattern] of CATEGORY_HINTS) if (pattern.test(text)) return category;
  return undefined;
}

/** The words that decided: the match, trimmed to a readable length. */
function evidenceOf(match: RegExpExecArray): string {
  const words = match[0].trim();
  return words.length > 80 ? `${words.slice(0, 77)}...` : words;
}

/**
 * Words at least one of which occurs in every line the patterns below can decide: most lines have
 * none, and one pass of the keyword automaton spares them every pattern (the tier's cost on a
 * typical mix is this pass).
 */
export const GENERAL_TRIGGER_WORDS: readonly string[] = [
  'fail',
  'error',
  'exception',
  'fault',
  'fatal',
  'abort',
  'exit',
  'non-zero',
  'status',
  'entire process',
  'retry counter',
  'engine found',
  'signal',
  'segmentation',
  'core dumped',
  'panic',
  'unexpectedly',
  'empty reply',
  'unable',
  'could',
  'cannot',
  'can not',
  'not found',
  'not be found',
  'no such file',
  'denied',
  'refused',
  'reset',
  'raise',
  'unwrap',
  'crash',
  'died',
  'killed',
  'overflow',
  'unavailable',
  'encountered',
  'not set',
  'does not',
  'invalid',
  'code"',
  'terminat',
];

const TRIGGERS = createKeywordMatcher(GENERAL_TRIGGER_WORDS.map((keyword) => ({ keyword, label: 0 })));
const triggerMarks = new Uint8Array(1);

/** Whether the text holds any of {@link GENERAL_TRIGGER_WORDS}. */
export function mayReportFailure(text: string): boolean {
  triggerMarks[0] = 0;
  return TRIGGERS.mark(text, triggerMarks);
}

/**
 * Decides a line no specific rule recognised, from its bodies (logger prefixes removed) and the
 * logger's level; `undefined` when the general tier has nothing to say (the caller falls back to
 * the level alone).
 *
 * @example
 * classifyGenerally(['srun: error: node-1: tasks 2-7: Exited with exit code 1'], undefined)
 * // { severity: 'error', category: 'nccl', ruleId: 'general-failure-words', evidence: 'Exited with exit code 1' }
 *
 * @param fullText the message's whole text, of which each of `lines` is a part (the classifier's
 *   normalised text, each line's body being its line without the logger's prefix).
 * @param fullTextMayFail whether {@link mayReportFailure} holds for `fullText`, when the caller
 *   already scanned it: `false` settles the question (a word absent from the text is absent
 *   from its parts), `true` spares the scan when the one body is the whole text.
 */
export function classifyGenerally(
  lines: readonly string[],
  level: LogLevel | undefined,
  fullText: string = lines.join('\n'),
  fullTextMayFail?: boolean,
): Classification | undefined {
  if (fullTextMayFail === false) return undefined;
  const text = lines.length === 1 ? (lines[0] as string) : lines.join('\n');
  const mayFail = fullTextMayFail === true && text === fullText ? true : mayReportFailure(text);
  if (!mayFail || BENIGN_GUARD.test(text)) return undefined;
  const failure = (ruleId: string, _text: string, evidence: string): Classification => ({
    severity: 'error',
    category: hintCategory(fullText) ?? 'python_exception',
    ruleId,
    evidence,
  });
  // A shell tool's or pip's own error report: `error: Invalid distribution name ...`.
  if (LOWERCASE_ERROR_REPORT.test(text)) {
    return failure(GENERAL_RULE_IDS.failureWords, text, 'error:');
  }
  const abort = ABORT_ALONE.exec(text);
  if (abort) return failure(GENERAL_RULE_IDS.failureWords, text, evidenceOf(abort));
  const name = EXCEPTION_NAME.exec(text);
  if (name && level !== 'warning' && level !== 'debug') {
    return failure(GENERAL_RULE_IDS.exceptionName, text, evidenceOf(name));
  }
  const strong = STRONG_FAILURE.exec(text) ?? JSON_ERROR_FIELD.exec(text);
  if (strong) {
    if (level === 'warning' || level === 'debug') {
      return {
        severity: 'warning',
        category: 'none',
        ruleId: GENERAL_RULE_IDS.failureWords,
        evidence: evidenceOf(strong),
      };
    }
    return failure(GENERAL_RULE_IDS.failureWords, text, evidenceOf(strong));
  }
  if (level === 'error') {
    const confirming = LEVEL_CONFIRMING.exec(text);
    if (confirming)
      return failure(GENERAL_RULE_IDS.failureWords, text, `ERROR level + ${evidenceOf(confirming)}`);
  }
  return undefined;
}
