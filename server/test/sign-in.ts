// Signs a customer in exactly as the widget does: request a login link, read the token from the
// queued email (the customer's inbox), exchange it for a session. Each request comes from a fresh
// `X-Forwarded-For` address so per-IP limits never bite; the per-(business, email) limit of one
// link a minute still applies, so signing the same email in twice needs the clock moved on.
import type { Harness } from './harness';

let ipSeq = 0;

/** A client IP no other request of this test process has used (10.200.0.0/13 and up). */
export function freshIp(): string {
  ipSeq++;
  return `10.${200 + ((ipSeq >> 16) & 31)}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
}

export interface SignedInCustomer {
  /** The session token, for `Authorization: Bearer`. */
  token: string;
  customer: { id: string; name: string; email: string | null };
  /** `{ Authorization: 'Bearer …' }`. */
  headers: Record<string, string>;
}

export async function signIn(h: Harness, business: string, email: string): Promise<SignedInCustomer> {
  const before = new Set((await h.store.listOutbox(business)).map((m) => m.id));
  const requested = await h.app.request(`/v1/b/${business}/login-links`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshIp() },
    body: JSON.stringify({ email }),
  });
  if (requested.status !== 202) throw new Error(`login link for ${email} at ${business}: HTTP ${requested.status} ${await requested.text()}`);
  const mail = (await h.store.listOutbox(business)).find((m) => !before.has(m.id) && m.to === email.toLowerCase());
  const token = mail && /#portal-token=([\w-]{43})/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error(`no login link was emailed to ${email} at ${business} (unknown email, or rate limited)`);
  const exchanged = await h.app.request(`/v1/b/${business}/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshIp() },
    body: JSON.stringify({ token }),
  });
  const body = await exchanged.text();
  if (exchanged.status !== 201) throw new Error(`session for ${email} at ${business}: HTTP ${exchanged.status} ${body}`);
  const { session, customer } = JSON.parse(body) as { session: { token: string }; customer: SignedInCustomer['customer'] };
  return { token: session.token, customer, headers: { Authorization: `Bearer ${session.token}` } };
}
