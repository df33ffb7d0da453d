/**
 * The ReDoS gate's tools: find the regexes in source files, split a regex into the alternatives a
 * backtracking engine tries one after the other, and ask recheck for each alternative's complexity.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type AttackPattern, check, type Diagnostics } from 'recheck';
import ts from 'typescript';

/** A regex as source and flags, and where it came from. */
export interface PatternToCheck {
  source: string;
  flags: string;
  origin: string;
}

/** Every regex literal in a TypeScript file (`/…/flags`), in order. */
export function regexLiteralsIn(file: string): { source: string; flags: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { source: string; flags: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sourceFile);
      const end = literal.lastIndexOf('/');
      found.push({
        source: literal.slice(1, end),
        flags: literal.slice(end + 1),
        line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * Whether a TypeScript file builds regexes at run time: a `new RegExp(…)` or `RegExp(…)` call. The
 * gate cannot read such a regex from the source, so the module must hand it over (or be exempt).
 */
export function buildsRegexes(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('RegExp(')) return false;
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let builds = false;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      builds = true;
    }
    if (!builds) ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return builds;
}

/**
 * The top-level alternatives of a regex source: `a|(b|c)|[|]` gives `a`, `(b|c)`, `[|]`.
 *
 * Checking them one by one is sound for a search: at each start position a backtracking engine
 * tries each top-level alternative in turn, independently of the others, so the cost of a search
 * is the sum of the alternatives' costs, and it is linear when each of them is.
 */
export function splitTopLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/**
 * Whether an alternative matches only strings of bounded length: no `*`, `+` or `{n,}`, `{m,n}`
 * outside a character class. A backtracking engine then does a bounded amount of work at each
 * start position, so searching a text is linear in its length whatever recheck would say.
 */
export function isBoundedLength(alternative: string): boolean {
  let inClass = false;
  for (let i = 0; i < alternative.length; i++) {
    const c = alternative[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,/.test(alternative.slice(i)))) return false;
  }
  return true;
}

/** The most backtracking paths {@link anchoredPathCount} accepts for one search. */
export const MAX_ANCHORED_PATHS = 1_000_000;

/**
 * For an alternative that a search tries at the start of the text only (`^` first, no `m` flag)
 * and that is a plain sequence (no group, no alternation) of characters, classes and escapes, each
 * repeated at most a bounded number of times (`?`, `{n}`, `{m,n}`): how many ways a backtracking
 * engine can walk it, the product of each repetition's choices. Every other position fails at `^`
 * at once, so such a search costs at most that many walks of bounded length, whatever the text.
 * `undefined` when the alternative is not of that shape (recheck decides it then).
 *
 * @example
 * anchoredPathCount('^[a-z]{1,256}:[a-z]{0,256}$', '') // 256 * 257
 */
export function anchoredPathCount(alternative: string, flags: string): number | undefined {
  if (flags.includes('m') || !alternative.startsWith('^')) return undefined;
  let paths = 1;
  let atom = false;
  for (let i = 1; i < alternative.length; i++) {
    const c = alternative[i] as string;
    if (c === '\\') {
      // An escape is one atom; a backreference could repeat a run, and is left to recheck.
      if (/[1-9k]/.test(alternative[i + 1] ?? '')) return undefined;
      i++;
      atom = true;
    } else if (c === '[') {
      for (i++; i < alternative.length && alternative[i] !== ']'; i++) if (alternative[i] === '\\') i++;
      atom = true;
    } else if (c === '(' || c === ')' || c === '|' || c === '*' || c === '+') {
      return undefined;
    } else if (c === '?') {
      if (!atom) return undefined;
      paths *= 2;
      atom = false;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(,(\d+)?)?\}/.exec(alternative.slice(i));
      if (!atom || repeat === null) return undefined;
      if (repeat[2] !== undefined && repeat[3] === undefined) return undefined;
      const min = Number(repeat[1]);
      const max = repeat[3] === undefined ? min : Number(repeat[3]);
      paths *= max - min + 1;
      i += repeat[0].length - 1;
      atom = false;
    } else {
      atom = c !== '$' && c !== '^';
    }
  }
  return paths;
}

/** What the check found for one alternative. */
export interface Verdict {
  alternative: string;
  status: Diagnostics['status'];
  /**
   * `bounded` (see {@link isBoundedLength}), `anchored` (see {@link anchoredPathCount}), or
   * recheck's `automaton` or `fuzz`.
   */
  checker: string | undefined;
  /** `safe`, `constant`, `linear`, `polynomial` or `exponential`; the error kind when unknown. */
  detail: string;
  attack?: string;
  /** Milliseconds V8 took on the fuzzer's attack string pumped to 64 KiB, when it was run. */
  v8Ms?: number;
}

/** Length of the attack string V8 is given, and the time under which its search counts as linear. */
const V8_ATTACK_CHARS = 64 * 1024;
const V8_LINEAR_MS = 100;

/** The fastest of two V8 searches of `alternative` in recheck's attack string pumped to 64 KiB. */
function timeAttackInV8(alternative: string, flags: string, attack: AttackPattern): number {
  const pumpChars = attack.pumps.reduce((sum, { pump }) => sum + pump.length, 0) || 1;
  const repeat = Math.ceil(V8_ATTACK_CHARS / pumpChars);
  const text =
    attack.pumps.map(({ prefix, pump, bias }) => prefix + pump.repeat(Math.max(0, repeat + bias))).join('') +
    attack.suffix;
  const regex = new RegExp(alternative, flags);
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 2; run++) {
    const start = performance.now();
    regex.exec(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * recheck parameters: a fixed seed, so that the fuzzer's verdicts repeat run after run. The
 * automaton checker proves its verdicts but can take long on large automata (word boundaries,
 * case-insensitive classes); past its time it is replaced by the fuzzer, which searches for attack
 * strings whose number of backtracking steps grows faster than linearly.
 */
const AUTOMATON = { randomSeed: 42, timeout: 3_000 } as const;
const FUZZ = { randomSeed: 42, timeout: 30_000, checker: 'fuzz' } as const;

function toVerdict(alternative: string, diagnostics: Diagnostics): Verdict {
  const verdict: Verdict = {
    alternative,
    status: diagnostics.status,
    checker: diagnostics.checker,
    detail: diagnostics.status === 'unknown' ? diagnostics.error.kind : diagnostics.complexity.type,
  };
  if (diagnostics.status === 'vulnerable') verdict.attack = diagnostics.attack.pattern;
  return verdict;
}

/**
 * The path of recheck's native binary for this platform, if its optional package is installed.
 * recheck looks for it itself, with a `require` that is not there when tests load it as ESM.
 */
function nativeBinary(): string | undefined {
  const platform = ({ darwin: 'macos', linux: 'linux', win32: 'windows' } as Record<string, string>)[
    process.platform
  ];
  if (platform === undefined) return undefined;
  try {
    const manifest = createRequire(import.meta.url).resolve(
      `recheck-${platform}-${process.arch}/package.json`,
    );
    const binary = join(dirname(manifest), platform === 'windows' ? 'recheck.exe' : 'recheck');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Checks each top-level alternative of `pattern` with recheck. */
export async function checkAlternatives(pattern: { source: string; flags: string }): Promise<Verdict[]> {
  // recheck's native binary (an optional dependency, installed where a build exists) when there
  // is one, else its pure JavaScript build in a worker: the same checker either way.
  process.env.RECHECK_BACKEND ??= 'auto';
  const binary = nativeBinary();
  if (binary !== undefined) process.env.RECHECK_BIN ??= binary;
  // Sticky and global searches start at fewer positions than a plain search: checking the plain
  // search covers them.
  const flags = pattern.flags.replace(/[gyd]/g, '');
  const verdicts: Verdict[] = [];
  for (const alternative of splitTopLevelAlternatives(pattern.source)) {
    if (isBoundedLength(alternative)) {
      verdicts.push({ alternative, status: 'safe', checker: 'bounded', detail: 'constant' });
      continue;
    }
    // recheck's automaton grows with long bounded repetitions, and its fuzzer can then run out of
    // time on a busy machine: a search tried at the start only is decided by counting its paths.
    const paths = anchoredPathCount(alternative, flags);
    if (paths !== undefined && paths <= MAX_ANCHORED_PATHS) {
      verdicts.push({
        alternative,
        status: 'safe',
        checker: 'anchored',
        detail: `constant (${paths} paths)`,
      });
      continue;
    }
    let diagnostics = await check(alternative, flags, AUTOMATON);
    if (diagnostics.status === 'unknown' && diagnostics.error.kind === 'timeout') {
      diagnostics = await check(alternative, flags, FUZZ);
    }
    const verdict = toVerdict(alternative, diagnostics);
    // The fuzzer measures steps in recheck's own model of backtracking, which sees growth where V8
    // has none in some cases (a lookahead per character, `^` in multiline mode). Its verdict has no
    // proof behind it, so its own attack string, pumped to 64 KiB, is run in V8: a polynomial
    // search takes seconds on it (16 KiB took 1.1 s in the issue), a linear one a millisecond.
    // Only that run can clear a fuzzer's verdict; an automaton's verdict is final.
    if (diagnostics.status === 'vulnerable' && diagnostics.checker === 'fuzz') {
      verdict.v8Ms = timeAttackInV8(alternative, flags, diagnostics.attack);
      if (verdict.v8Ms < V8_LINEAR_MS) {
        verdict.status = 'safe';
        verdict.detail = `${verdict.detail} in recheck's model; linear in V8 (${verdict.v8Ms.toFixed(1)} ms at 64 KiB)`;
      }
    }
    verdicts.push(verdict);
  }
  return verdicts;
}
