// A small in-process cache for values that never change once made (a launched round's
// questions, the survey's blank page): at most `limit` entries, the least recently used
// dropped first. It holds the promise, so concurrent first requests share one query; a
// failed load is forgotten, so the next request tries again.
export class BoundedCache<V> {
  readonly #limit: number;
  readonly #entries = new Map<string, Promise<V>>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    let entry = this.#entries.get(key);
    if (entry) {
      // Re-inserting moves the key to the end: Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry;
    }
    entry = load();
    this.#entries.set(key, entry);
    entry.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}
