/**
 * Runs async work over many items with a small, fixed number in flight, and stops starting new
 * items once a deadline says so. Written here rather than taken from a library because none of the
 * installed ones does it and the whole thing is a dozen lines.
 */

/** The result for one item: done (with its value or error), or never started. */
export type LimitedResult<R> =
  | { status: 'fulfilled'; value: R }
  | { status: 'rejected'; reason: unknown }
  | { status: 'not-started' };

/**
 * Applies `work` to every item, at most `limit` at a time, results in input order. Before each start
 * `shouldStart()` is asked; once it says no, the remaining items are `not-started`. Never rejects.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  shouldStart: () => boolean = () => true,
): Promise<LimitedResult<R>[]> {
  const results: LimitedResult<R>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      if (!shouldStart()) {
        stopped = true;
        return;
      }
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index] as T) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
