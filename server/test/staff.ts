// Signs a staff member in to the admin console exactly as the browser does: request a link, read
// the token from the queued email, exchange it for the `doorstep_staff` cookie. Returns a caller
// that sends that cookie (and the console's Origin on writes, as a browser would).
import type { Harness } from './harness';
import { freshIp } from './sign-in';

export const CONSOLE_ORIGIN = 'https://portal.test';

export interface SignedInStaff {
  cookie: string;
  /** Sends the cookie; writes carry `Origin: https://portal.test` unless `origin` says otherwise (null: none). */
  request(method: string, path: string, body?: unknown, origin?: string | null): Promise<Response>;
}

export async function staffLinkToken(h: Harness, business: string, email: string): Promise<string> {
  const before = new Set((await h.store.listOutbox(business)).map((m) => m.id));
  const res = await h.app.request('/admin/api/login-links', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: CONSOLE_ORIGIN, 'X-Forwarded-For': freshIp() },
    body: JSON.stringify({ email }),
  });
  if (res.status !== 202) throw new Error(`staff link for ${email}: HTTP ${res.status} ${await res.text()}`);
  const mail = (await h.store.listOutbox(business)).find((m) => !before.has(m.id) && m.to === email);
  const token = mail && /\/admin#staff-token=([\w-]{43})/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error(`no staff sign-in link was emailed to ${email} at ${business}`);
  return token;
}

export async function exchangeStaffToken(h: Harness, token: string): Promise<Response> {
  return h.app.request('/admin/api/sessions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: CONSOLE_ORIGIN, 'X-Forwarded-For': freshIp() },
    body: JSON.stringify({ token }),
  });
}

export async function signInStaff(h: Harness, business: string, email: string): Promise<SignedInStaff> {
  const res = await exchangeStaffToken(h, await staffLinkToken(h, business, email));
  if (res.status !== 201) throw new Error(`staff session for ${email}: HTTP ${res.status} ${await res.text()}`);
  const cookie = /doorstep_staff=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];
  if (!cookie) throw new Error('no doorstep_staff cookie was set');
  return {
    cookie,
    request(method, path, body, origin = CONSOLE_ORIGIN) {
      const headers: Record<string, string> = { Cookie: `doorstep_staff=${cookie}` };
      if (origin !== null && !['GET', 'HEAD'].includes(method)) headers.Origin = origin;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return Promise.resolve(h.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
  };
}
