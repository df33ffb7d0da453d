/**
 * A cheap structural check that an operator's regular expression runs in (near) linear time on
 * V8's backtracking engine. Built-in rules are checked by their tests; operator patterns arrive at
 * runtime, so they are checked here, before they are compiled, with rules simple enough to explain:
 *
 * - at most {@link MAX_OPERATOR_PATTERN_LENGTH} characters;
 * - no backreferences (`\1`, `\k<name>`) and no lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`): both
 *   defeat any linear-time reasoning;
 * - no nested unbounded quantifier: a group repeated by `*`, `+` or `{n,}` may not itself contain a
 *   quantifier or an alternation (`(a+)+`, `(a|ab)*`: exponential backtracking);
 * - no overlapping unbounded quantifiers: two unbounded repetitions in one sequence whose
 *   characters can overlap, with nothing in between that the first one cannot match (`.*x.*`,
 *   `\w+\d+`, `\s*\s*`: polynomial backtracking). Bounded repetitions (`{0,200}`) are fine, and
 *   are what the built-in rules use between two parts of a pattern.
 *
 * This is deliberately stricter than necessary (it refuses some safe patterns) rather than a full
 * ambiguity analysis (what `recheck` does for the built-in rules, too slow and too large for a
 * cold start). Lines are also cut to the classifier's 16 KiB before matching, which bounds
 * whatever a single unbounded repetition can cost.
 */

/** Operator patterns longer than this are refused. */
export const MAX_OPERATOR_PATTERN_LENGTH = 500;

/** Which characters an atom can match: a bitmap of ASCII, and whether any non-ASCII character. */
interface CharSet {
  ascii: Uint8Array;
  other: boolean;
}

interface Atom {
  set: CharSet;
  /** `*`, `+` or `{n,}` follows it. */
  unbounded: boolean;
  /** A quantifier that allows zero repetitions follows it (`*`, `?`, `{0,…}`). */
  optional: boolean;
}

function emptySet(): CharSet {
  return { ascii: new Uint8Array(128), other: false };
}

function fullSet(): CharSet {
  return { ascii: new Uint8Array(128).fill(1), other: true };
}

function charSet(predicate: (code: number) => boolean, other: boolean): CharSet {
  const set = emptySet();
  for (let code = 0; code < 128; code++) if (predicate(code)) set.ascii[code] = 1;
  set.other = other;
  return set;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The set of a backslash escape (the character after `\`), or undefined for a literal. */
function escapeSet(letter: string): CharSet | undefined {
  switch (letter) {
    case 'd':
      return charSet(isDigit, false);
    case 'D':
      return charSet((c) => !isDigit(c), true);
    case 'w':
      return charSet(isWord, false);
    case 'W':
      return charSet((c) => !isWord(c), true);
    case 's':
      return charSet(isSpace, true);
    case 'S':
      return charSet((c) => !isSpace(c), true);
    default:
      return undefined;
  }
}

const ESCAPED_CONTROLS: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

function literalSet(char: string, ignoreCase: boolean): CharSet {
  const set = emptySet();
  const add = (c: string) => {
    const code = c.codePointAt(0) ?? 0;
    if (code < 128) set.ascii[code] = 1;
    else set.other = true;
  };
  add(char);
  if (ignoreCase) {
    add(char.toLowerCase());
    add(char.toUpperCase());
  }
  return set;
}

function union(into: CharSet, from: CharSet): void {
  for (let i = 0; i < 128; i++) if (from.ascii[i] === 1) into.ascii[i] = 1;
  into.other ||= from.other;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.other && b.other) return true;
  for (let i = 0; i < 128; i++) if (a.ascii[i] === 1 && b.ascii[i] === 1) return true;
  return false;
}

function contains(outer: CharSet, inner: CharSet): boolean {
  if (inner.other && !outer.other) return false;
  for (let i = 0; i < 128; i++) if (inner.ascii[i] === 1 && outer.ascii[i] === 0) return false;
  return true;
}

/** A problem with the pattern, found while scanning it. */
class UnsafePattern extends Error {}

/** Scans a character class starting after `[`; returns its set and the index after `]`. */
function readClass(source: string, start: number, ignoreCase: boolean): { set: CharSet; end: number } {
  let i = start;
  const negated = source[i] === '^';
  if (negated) i++;
  const set = emptySet();
  let previous: number | undefined;
  while (i < source.length && source[i] !== ']') {
    let code: number;
    let char = source[i] as string;
    if (char === '\\') {
      const letter = source[i + 1] ?? '';
      const escaped = escapeSet(letter);
      i += 2;
      if (escaped) {
        union(set, escaped);
        previous = undefined;
        continue;
      }
      char = letter;
      code = ESCAPED_CONTROLS[letter] ?? letter.codePointAt(0) ?? 0;
    } else {
      code = char.codePointAt(0) ?? 0;
      i += char.length;
    }
    if (char === '-' && previous !== undefined && source[i] !== ']' && i < source.length) {
      // A range: previous-next.
      let next = source[i] as string;
      if (next === '\\') {
        next = source[i + 1] ?? '';
        i++;
      }
      i += next.length;
      const to = next.codePointAt(0) ?? 0;
      for (let c = previous; c <= to && c < 128; c++)
        union(set, literalSet(String.fromCodePoint(c), ignoreCase));
      if (to >= 128) set.other = true;
      previous = undefined;
      continue;
    }
    union(set, literalSet(String.fromCodePoint(code), ignoreCase));
    previous = code;
  }
  if (i >= source.length) throw new UnsafePattern('an unterminated character class');
  if (!negated) return { set, end: i + 1 };
  const inverse = emptySet();
  for (let c = 0; c < 128; c++) inverse.ascii[c] = set.ascii[c] === 1 ? 0 : 1;
  inverse.other = true;
  return { set: inverse, end: i + 1 };
}

/** Reads a quantifier at `i`, if any: whether it is unbounded and whether it allows zero. */
function readQuantifier(
  source: string,
  i: number,
): { unbounded: boolean; optional: boolean; end: number } | undefined {
  const char = source[i];
  let result: { unbounded: boolean; optional: boolean; end: number } | undefined;
  if (char === '*') result = { unbounded: true, optional: true, end: i + 1 };
  else if (char === '+') result = { unbounded: true, optional: false, end: i + 1 };
  else if (char === '?') result = { unbounded: false, optional: true, end: i + 1 };
  else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (match) {
      const min = Number(match[1]);
      result = {
        unbounded: match[2] !== undefined && match[3] === '',
        optional: min === 0,
        end: i + match[0].length,
      };
    }
  }
  // A lazy or possessive-looking suffix does not change what is matched.
  if (result && source[result.end] === '?') result.end++;
  return result;
}

/**
 * Checks one sequence (a group's body or the whole pattern) from `start` to its closing `)` or the
 * end; returns the atoms of the sequence and the index after it.
 */
function scanSequence(
  source: string,
  start: number,
  ignoreCase: boolean,
): { set: CharSet; hasQuantifier: boolean; hasUnbounded: boolean; hasAlternation: boolean; end: number } {
  const whole = emptySet();
  let hasQuantifier = false;
  let hasUnbounded = false;
  let hasAlternation = false;
  let atoms: Atom[] = [];
  let i = start;
  const check = () => {
    // Overlapping unbounded repetitions within one alternative.
    for (let a = 0; a < atoms.length; a++) {
      const first = atoms[a] as Atom;
      if (!first.unbounded) continue;
      for (let b = a + 1; b < atoms.length; b++) {
        const second = atoms[b] as Atom;
        if (second.unbounded && overlaps(first.set, second.set)) {
          throw new UnsafePattern(
            'two unbounded repetitions that can match the same characters (use a bounded {0,N} for one of them)',
          );
        }
        // Something the first repetition cannot swallow separates it from what follows.
        if (!second.optional && !contains(first.set, second.set)) break;
      }
    }
    atoms = [];
  };
  while (i < source.length && source[i] !== ')') {
    const char = source[i] as string;
    let set: CharSet | undefined;
    let groupQuantified = false;
    let groupInner: { hasQuantifier: boolean; hasUnbounded: boolean; hasAlternation: boolean } | undefined;
    if (char === '|') {
      hasAlternation = true;
      check();
      i++;
      continue;
    }
    if (char === '^' || char === '$') {
      i++;
      continue;
    }
    if (char === '\\') {
      const letter = source[i + 1] ?? '';
      if (/[1-9]/.test(letter) || letter === 'k') throw new UnsafePattern('a backreference');
      if (letter === 'b' || letter === 'B') {
        i += 2;
        continue;
      }
      set =
        escapeSet(letter) ??
        literalSet(String.fromCodePoint(ESCAPED_CONTROLS[letter] ?? letter.codePointAt(0) ?? 0), ignoreCase);
      i += 2;
      // \xHH, \uHHHH, \cX: treat the rest as part of this literal.
      if (letter === 'x') i += 2;
      else if (letter === 'u') i += source[i] === '{' ? source.indexOf('}', i) - i + 1 : 4;
      else if (letter === 'c') i += 1;
      if (letter === 'x' || letter === 'u') set = fullSet();
    } else if (char === '[') {
      const read = readClass(source, i + 1, ignoreCase);
      set = read.set;
      i = read.end;
    } else if (char === '.') {
      set = fullSet();
      i++;
    } else if (char === '(') {
      let bodyStart = i + 1;
      if (source[bodyStart] === '?') {
        const kind = source.slice(bodyStart, bodyStart + 3);
        if (/^\?(?:=|!|<=|<!)/.test(kind)) throw new UnsafePattern('a lookaround');
        if (source[bodyStart + 1] === ':') bodyStart += 2;
        else if (source[bodyStart + 1] === '<') bodyStart = source.indexOf('>', bodyStart) + 1;
        else throw new UnsafePattern(`an unsupported group '(${kind}'`);
      }
      const inner = scanSequence(source, bodyStart, ignoreCase);
      if (source[inner.end] !== ')') throw new UnsafePattern('an unterminated group');
      set = inner.set;
      groupInner = inner;
      groupQuantified = true;
      i = inner.end + 1;
    } else {
      const codePoint = source.codePointAt(i) ?? 0;
      const literal = String.fromCodePoint(codePoint);
      set = literalSet(literal, ignoreCase);
      i += literal.length;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      hasQuantifier = true;
      hasUnbounded ||= quantifier.unbounded;
      i = quantifier.end;
      if (
        groupQuantified &&
        quantifier.unbounded &&
        (groupInner?.hasQuantifier || groupInner?.hasAlternation)
      ) {
        throw new UnsafePattern(
          'an unbounded repetition of a group that itself repeats or alternates (nested quantifiers)',
        );
      }
    }
    if (groupInner) {
      hasQuantifier ||= groupInner.hasQuantifier;
      hasUnbounded ||= groupInner.hasUnbounded;
    }
    union(whole, set);
    atoms.push({
      set,
      // A group with an unbounded repetition inside counts as one for its neighbours.
      unbounded: (quantifier?.unbounded ?? false) || (groupInner?.hasUnbounded ?? false),
      optional: quantifier?.optional ?? false,
    });
  }
  check();
  return { set: whole, hasQuantifier, hasUnbounded, hasAlternation, end: i };
}

/**
 * Why an operator pattern is refused, or `undefined` when it passes the structural check (see the
 * module's documentation for the rules). Syntax errors are left to `new RegExp`.
 *
 * @example
 * checkPatternSafety('(a+)+$') // 'an unbounded repetition of a group that itself repeats ...'
 * checkPatternSafety('DataLoader worker \\(pid \\d+\\) is killed') // undefined
 */
export function checkPatternSafety(source: string, ignoreCase = false): string | undefined {
  if (source.length === 0) return 'an empty pattern matches every line';
  if (source.length > MAX_OPERATOR_PATTERN_LENGTH) {
    return `${source.length} characters, more than ${MAX_OPERATOR_PATTERN_LENGTH}`;
  }
  try {
    const scanned = scanSequence(source, 0, ignoreCase);
    if (scanned.end < source.length) return "an unbalanced ')'";
    return undefined;
  } catch (error) {
    if (error instanceof UnsafePattern) return `not linear-time: ${error.message}`;
    throw error;
  }
}
