// The host page's localStorage, or memory when the browser refuses it (Safari private mode,
// storage blocked for the site): the widget then still works, only forgets on reload.

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** A store over `backing()`, which may throw (a SecurityError when storage is blocked). */
export function createStorage(backing: () => Storage = () => localStorage): KeyValueStore {
  const memory = new Map<string, string>();
  const attempt = <T>(action: (storage: Storage) => T): T | undefined => {
    try {
      return action(backing());
    } catch {
      return undefined;
    }
  };
  return {
    get: (key) => attempt((s) => s.getItem(key)) ?? memory.get(key) ?? null,
    set(key, value) {
      // Kept in memory only when the page's storage refuses it (quota, private mode).
      if (attempt((s) => (s.setItem(key, value), true))) memory.delete(key);
      else memory.set(key, value);
    },
    remove(key) {
      memory.delete(key);
      attempt((s) => s.removeItem(key));
    },
  };
}

export const storage: KeyValueStore = createStorage();
