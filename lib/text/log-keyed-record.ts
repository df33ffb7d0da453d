/**
 * Records keyed by text read from logs (metric names, status codes). A plain `{}` inherits from
 * `Object.prototype`: a log line naming a metric `__proto__`, `constructor` or `toString` would
 * then read or write a built-in rather than an entry of its own. A record without a prototype has
 * no such names, and it still serialises to the same JSON.
 */

/**
 * A new empty record without a prototype, for keys that come from log text.
 *
 * @example
 * const counts = createLogKeyedRecord<number>();
 * counts.constructor = 1; // an entry, not Object
 */
export function createLogKeyedRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
