// A small typed fetch client for the widget API (`/v1/b/:business/...`). No cookies: the session
// token travels in `Authorization: Bearer`, so the portal works with third-party cookies blocked.
// This part is what portal.js needs (the profile, login links); the signed-in calls are in
// portal-client.ts, which only the portal chunk carries.
import type { PublicBusiness } from './types.js';

/** Every failure of a call: the server's `{ error: { code, message, ... } }`, or `network_error`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's snake_case code, e.g. `rate_limited`, `link_expired`; `network_error` when unreachable. */
    readonly code: string,
    message: string,
    /** The other fields of the server's `error` object (e.g. `maskedEmail`, `resent`). */
    readonly details: Record<string, unknown> = {},
    /** Seconds to wait before trying again (`Retry-After`), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * True for an ApiError from any copy of this module: portal.js and the portal chunk each bundle
 * their own, and the email form (portal.js) handles errors of the chunk's client.
 */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError';
}

export interface ApiClientOptions {
  /** Origin (and optional path) of the Doorstep server, without a trailing slash. */
  base: string;
  /** The business's public id, the `:business` of every path. */
  business: string;
  /** The current session token, read on every call. */
  token?: () => string | null | undefined;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Called when a call made with a session token answers 401: the session is over. */
  onUnauthorized?: (token: string) => void;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Leave the session token out: for the public calls (profile, signing in). */
  anonymous?: boolean;
}

export class ApiClient {
  constructor(readonly options: ApiClientOptions) {}

  /** One call to `path` (after `/v1/b/:business`); resolves with the parsed body (undefined for 204), rejects with an ApiError. */
  async request<T>(method: string, path: string, { body, signal, anonymous }: RequestOptions = {}): Promise<T> {
    const { base, business, token, fetch: fetcher = fetch, onUnauthorized } = this.options;
    // A GET without the token is a "simple" request: no CORS preflight before it.
    const bearer = anonymous ? null : token?.();
    let response: Response;
    let data: any;
    try {
      response = await fetcher(`${base}/v1/b/${encodeURIComponent(business)}${path}`, {
        method,
        headers: { ...(bearer && { Authorization: `Bearer ${bearer}` }), ...(body !== undefined && { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: 'omit',
        // The host page's address is none of the API's business.
        referrerPolicy: 'no-referrer',
      });
      const text = await response.text();
      data = text ? JSON.parse(text) : undefined;
    } catch (error) {
      if (signal?.aborted) throw error;
      // Unreachable, cut off, or not our JSON (a proxy's error page): all "could not reach".
      throw new ApiError(0, 'network_error', 'The server could not be reached.');
    }
    if (response.ok) return data as T;

    const { code = 'http_error', message = `HTTP ${response.status}`, ...details } = data?.error ?? {};
    if (response.status === 401 && bearer) onUnauthorized?.(bearer);
    throw new ApiError(response.status, code, message, details, Number(response.headers.get('Retry-After') || details.retryAfter) || null);
  }

  /** `GET /v1/b/:business`: branding, language and features. */
  business(signal?: AbortSignal) {
    return this.request<PublicBusiness>('GET', '', { signal, anonymous: true });
  }

  /** Emails a sign-in link; the answer is the same whether or not the address is a customer's. */
  requestLoginLink(email: string, signal?: AbortSignal) {
    return this.request<void>('POST', '/login-links', { body: { email }, signal, anonymous: true });
  }
}
