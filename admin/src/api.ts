// The console's one way to the server: same-origin fetch (the staff cookie rides along), JSON in
// and out, and the server's `{ error: { code, message } }` turned into an ApiError to show.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
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
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as any;
  if (!res.ok) {
    if (res.status === 401 && path.startsWith('/v1/admin/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? `The server answered ${res.status}.`);
  }
  return data as T;
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
