/**
 * Per-session values the panels read once (settings, the user's sign-in name): sessionStorage in
 * the browser, passed in by the host; memory in tests.
 */
export interface SessionCache {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** Over Web Storage; blocked or full storage (third-party storage in an iframe) only costs a re-read. */
export function storageCache(storage: Pick<Storage, "getItem" | "setItem">, prefix = "cfx."): SessionCache {
  return {
    get(key) {
      try {
        return storage.getItem(prefix + key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage.setItem(prefix + key, value);
      } catch {
        // The next panel open reads it again.
      }
    },
  };
}

/** In memory, for tests and Node. */
export function memoryCache(): SessionCache & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (k) => entries.get(k) ?? null, set: (k, v) => void entries.set(k, v) };
}
