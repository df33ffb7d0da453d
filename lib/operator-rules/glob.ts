/**
 * Resource-name globs for operator rules: `*` matches any run of characters (`/` included), `?`
 * one character, everything else itself, case-sensitively, over the whole name. The same syntax
 * as the `includePatterns` setting, written again here because the subscriptions' helper sits in
 * a room this one may not import.
 */

/** Compiles a glob to an anchored regular expression (linear: `*` becomes a lazy-free `[^]*`). */
export function compileGlob(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[^]*';
    else if (char === '?') source += '[^]';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether `value` (absent: the empty string) matches the compiled glob. */
export function matchesGlob(glob: RegExp, value: string | undefined): boolean {
  return glob.test(value ?? '');
}
