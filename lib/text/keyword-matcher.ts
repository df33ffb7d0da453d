/**
 * Finds which of a fixed set of keywords occur in a text, in one pass over the text whatever the
 * number of keywords (an Aho–Corasick automaton compiled to a transition table). The classifier
 * uses it to pick, per line, the few rules whose trigger words occur, instead of trying every rule.
 */

/** One keyword and the label it marks when it occurs. */
export interface LabelledKeyword {
  /**
   * Lower-case ASCII text, compared case-insensitively (ASCII letters only, like a regex's `i`
   * flag). A trailing `\b` (the two characters) after a letter, digit or `_` asks for a word
   * boundary there, as in a regex: the next character is not a letter, digit or `_`, or the text ends.
   */
  keyword: string;
  /** A small non-negative integer (an index into the caller's list of things to mark). */
  label: number;
}

/** What {@link createKeywordMatcher} returns. */
export interface KeywordMatcher {
  /**
   * Sets `marks[label] = 1` for the label of every keyword that occurs in `text`; never clears a
   * mark. Returns whether any keyword occurred.
   */
  mark(text: string, marks: Uint8Array): boolean;
}

/** The suffix that asks for a word boundary after a keyword. */
const WORD_END = '\\b';
/** Keywords are ASCII: characters at or above this code never occur in one. */
const ASCII_LIMIT = 128;
const UTF16_UNITS = 65_536;
const UPPER_A = 65;
const UPPER_Z = 90;
const LOWER_OFFSET = 32;

/** Whether `code` (a UTF-16 code unit, or -1 past the end) is a regex word character `[A-Za-z0-9_]`. */
function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** The keyword's text and whether it must end at a word boundary; throws on a keyword it cannot match. */
export function parseKeyword(keyword: string): { text: string; wordEnd: boolean } {
  const wordEnd = keyword.endsWith(WORD_END);
  const text = wordEnd ? keyword.slice(0, -WORD_END.length) : keyword;
  // Keywords are constants of the code: a bad one is a programming error, reported at start-up.
  if (text === '' || text !== text.toLowerCase() || !/^[\x20-\x7e]+$/.test(text)) {
    throw new Error(`keyword must be non-empty lower-case printable ASCII: ${JSON.stringify(keyword)}`);
  }
  if (wordEnd && !isWordCode(text.charCodeAt(text.length - 1))) {
    throw new Error(`keyword must end in a word character before \\b: ${JSON.stringify(keyword)}`);
  }
  return { text, wordEnd };
}

/**
 * Compiles keywords into a matcher. Construction is linear in the keywords' total length times
 * the number of distinct characters in them; matching is linear in the text's length.
 *
 * @example
 * const matcher = createKeywordMatcher([{ keyword: 'oom', label: 0 }, { keyword: 'nan\\b', label: 1 }]);
 * const marks = new Uint8Array(2);
 * matcher.mark('CUDA OOM, loss=nan', marks); // true; marks is [1, 1]
 */
export function createKeywordMatcher(keywords: readonly LabelledKeyword[]): KeywordMatcher {
  const parsed = keywords.map(({ keyword, label }) => ({ ...parseKeyword(keyword), label }));

  // Character classes: one per distinct keyword character (upper-case letters share their
  // lower-case class); class 0 is every other character.
  const classOf = new Uint8Array(ASCII_LIMIT);
  let classes = 1;
  for (const { text } of parsed) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (classOf[code] !== 0) continue;
      classOf[code] = classes;
      if (code >= UPPER_A + LOWER_OFFSET && code <= UPPER_Z + LOWER_OFFSET) {
        classOf[code - LOWER_OFFSET] = classes;
      }
      classes++;
    }
  }

  // The trie of keywords: children per state, and the labels that end at each state.
  const children: Map<number, number>[] = [new Map()];
  const ending: { label: number; wordEnd: boolean }[][] = [[]];
  for (const { text, wordEnd, label } of parsed) {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const cls = classOf[text.charCodeAt(i)] as number;
      let next = (children[state] as Map<number, number>).get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        ending.push([]);
        (children[state] as Map<number, number>).set(cls, next);
      }
      state = next;
    }
    (ending[state] as { label: number; wordEnd: boolean }[]).push({ label, wordEnd });
  }

  // Breadth-first: failure links, the full transition table, and each state's outputs (its own
  // keywords and those of its failure state, i.e. every keyword that ends here).
  const states = children.length;
  const table = new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const plain: number[][] = Array.from({ length: states }, () => []);
  const atWordEnd: number[][] = Array.from({ length: states }, () => []);
  const hasOutput = new Uint8Array(states);
  const queue: number[] = [0];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const own = ending[state] as { label: number; wordEnd: boolean }[];
    const inherited = state === 0 ? 0 : (fail[state] as number);
    const plainLabels = new Set(state === 0 ? [] : plain[inherited]);
    const boundaryLabels = new Set(state === 0 ? [] : atWordEnd[inherited]);
    for (const { label, wordEnd } of own) (wordEnd ? boundaryLabels : plainLabels).add(label);
    plain[state] = [...plainLabels];
    atWordEnd[state] = [...boundaryLabels];
    hasOutput[state] = plainLabels.size + boundaryLabels.size > 0 ? 1 : 0;
    for (let cls = 0; cls < classes; cls++) {
      const child = (children[state] as Map<number, number>).get(cls);
      const fallback = state === 0 ? 0 : (table[inherited * classes + cls] as number);
      if (child === undefined) {
        table[state * classes + cls] = fallback;
      } else {
        table[state * classes + cls] = child;
        fail[child] = fallback;
        queue.push(child);
      }
    }
  }

  // Hot-loop layout: transitions hold the next state's row offset (state × classes), and the
  // class of every UTF-16 code unit is one lookup (non-ASCII units are class 0).
  const rows = table.map((state) => state * classes);
  const outputAtRow = new Uint8Array(states * classes);
  for (let state = 0; state < states; state++) outputAtRow[state * classes] = hasOutput[state] as number;
  const classOfCode = new Uint8Array(UTF16_UNITS);
  classOfCode.set(classOf);

  return {
    mark(text: string, marks: Uint8Array): boolean {
      // Locals, not closure reads, in the loop that runs once per character.
      const next = rows;
      const classOfUnit = classOfCode;
      const output = outputAtRow;
      let any = false;
      let row = 0;
      const length = text.length;
      for (let i = 0; i < length; i++) {
        row = next[row + (classOfUnit[text.charCodeAt(i)] as number)] as number;
        if (output[row] === 0) continue;
        const state = row / classes;
        for (const label of plain[state] as number[]) {
          marks[label] = 1;
          any = true;
        }
        const bounded = atWordEnd[state] as number[];
        if (bounded.length > 0 && !isWordCode(i + 1 < length ? text.charCodeAt(i + 1) : -1)) {
          for (const label of bounded) {
            marks[label] = 1;
            any = true;
          }
        }
      }
      return any;
    },
  };
}
