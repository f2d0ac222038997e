// The customer's session for one business, kept in the host page's localStorage under
// `doorstep:<business>:session` (SPEC §3.2): the token and when it ends, nothing else.
import { storage as defaultStorage, type KeyValueStore } from './storage.js';

export interface StoredSession {
  token: string;
  /** Absolute end (ISO 8601). The server also ends idle sessions; a 401 says so. */
  expiresAt: string;
}

export const sessionKey = (business: string) => `doorstep:${business}:session`;

/** The stored session of a business, or null when there is none or it has ended. */
export function loadSession(business: string, storage: KeyValueStore = defaultStorage, now = Date.now()): StoredSession | null {
  const raw = storage.get(sessionKey(business));
  if (!raw) return null;
  try {
    const { token, expiresAt } = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof token === 'string' && token && typeof expiresAt === 'string' && Date.parse(expiresAt) > now) return { token, expiresAt };
  } catch {
    // Unreadable: forget it like an expired one.
  }
  storage.remove(sessionKey(business));
  return null;
}

export function saveSession(business: string, session: StoredSession, storage: KeyValueStore = defaultStorage): void {
  storage.set(sessionKey(business), JSON.stringify({ token: session.token, expiresAt: session.expiresAt }));
}

export function clearSession(business: string, storage: KeyValueStore = defaultStorage): void {
  storage.remove(sessionKey(business));
}
