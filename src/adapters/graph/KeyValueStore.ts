/** A small string store: browser storage in the panels, memory in tests and the job. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** The keys that start with `prefix`. */
  keys(prefix: string): string[];
}

/** In memory, for tests and for Node. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  keys(prefix: string): string[] {
    return [...this.map.keys()].filter((k) => k.startsWith(prefix));
  }
}

/**
 * Over `localStorage` (upload sessions must survive a reload) or `sessionStorage` (the resolved
 * drive, for one browser session). Storage can be full or blocked (third-party storage in an
 * iframe): then we keep going without it.
 */
export class WebStorageStore implements KeyValueStore {
  constructor(
    private readonly storage: Storage,
    private readonly prefix = "cfx.",
  ) {}
  get(key: string): string | null {
    try {
      return this.storage.getItem(this.prefix + key);
    } catch {
      return null;
    }
  }
  set(key: string, value: string): void {
    try {
      this.storage.setItem(this.prefix + key, value);
    } catch {
      // Quota or blocked storage: resuming after a reload will not work, everything else does.
    }
  }
  delete(key: string): void {
    try {
      this.storage.removeItem(this.prefix + key);
    } catch {
      // as above
    }
  }
  keys(prefix: string): string[] {
    const out: string[] = [];
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const k = this.storage.key(i);
        if (k?.startsWith(this.prefix + prefix)) out.push(k.slice(this.prefix.length));
      }
    } catch {
      // Blocked storage holds nothing we can read.
    }
    return out;
  }
}
