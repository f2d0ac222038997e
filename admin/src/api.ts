// The console's one way to the server: same-origin fetch (the staff cookie rides along), JSON in
// and out, and the server's `{ error: { code, message } }` turned into an ApiError to show.
import { currentLanguage, text, type Say } from './i18n/localize';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The server's own sentence (English), when it sent one. */
    readonly serverMessage: string | null,
  ) {
    super(serverMessage ?? code);
  }
}

/** A failure the console itself finds (a price that is not an amount…), said in the language of the moment. */
export class ConsoleError extends Error {
  constructor(readonly say: Say) {
    super(say(text()));
  }
}

/** Fired on window when the server no longer knows the staff session: the console shows sign-in. */
export const SIGNED_OUT_EVENT = 'doorstep-admin-signed-out';

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', null);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as any;
  if (!res.ok) {
    if (res.status === 401 && path.startsWith('/v1/admin/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(res.status, data?.error?.code ?? 'error', typeof data?.error?.message === 'string' ? data.error.message : null);
  }
  return data as T;
}

/**
 * What to tell staff about a failure, in the console's language. The server's sentences are
 * English and precise, so English shows them as they are; other languages say the same by error
 * code (naming the field of a validation error), else by status.
 */
export function errorMessage(error: unknown): string {
  const t = text();
  if (error instanceof ConsoleError) return error.say(t);
  if (!(error instanceof ApiError)) return t.errors.unexpected;
  if (error.code === 'network_error') return t.errors.network;
  if (currentLanguage() === 'en' && error.serverMessage) return error.serverMessage;
  const known = t.errors.codes[error.code as keyof typeof t.errors.codes];
  if (known) return known;
  if (error.status === 400) {
    const field = /^([\w.]+): /.exec(error.serverMessage ?? '')?.[1]?.split('.')[0];
    const label = field ? t.fields[field as keyof typeof t.fields] : undefined;
    return label ? t.errors.invalidField(label) : t.errors.invalid;
  }
  return error.status >= 500 ? t.errors.server : t.errors.unexpected;
}

/** All pages of a list (for selectors and "select all"), at most `max` items. */
export async function listAll<T>(path: string, max = 5000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { data: T[]; nextCursor: string | null } = await api('GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}
