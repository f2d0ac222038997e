// How customers get in (SPEC §3.1–3.2, SECURITY L1–L10, S1–S3): login links by email, single-use
// exchange for a session, a fresh link when an old one is opened, and sessions that slide.
import { newId, newToken, sha256 } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { signInEmail, type SignInEmailKind } from '../mail/templates/sign-in';
import type { Business, Customer, NewInvitation, NewLinkToken, NewOutboxEmail, Session } from '../store/types';
import type { Deps } from './deps';
import { signInLink } from './links';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SESSION_IDLE_MS = 7 * DAY;
export const SESSION_ABSOLUTE_MS = 30 * DAY;
/** The sliding idle limit is written at most this often, not on every request. */
export const SESSION_REFRESH_MS = DAY;

/** SECURITY L5, L7: the numbers are requirements. */
export const LIMITS = {
  linkRequestsPerIp: { windowMs: MINUTE, limit: 5 },
  linkRequestsPerEmailMinute: { windowMs: MINUTE, limit: 1 },
  linkRequestsPerEmailHour: { windowMs: HOUR, limit: 5 },
  exchangesPerIp: { windowMs: MINUTE, limit: 30 },
  resendsPerCustomerMinute: { windowMs: MINUTE, limit: 1 },
  resendsPerCustomerHour: { windowMs: HOUR, limit: 5 },
} as const;

type Limit = (typeof LIMITS)[keyof typeof LIMITS];

/** Counts a hit; true when within the limit. */
async function within(deps: Deps, key: string, limit: Limit): Promise<{ allowed: boolean; retryAfterMs: number }> {
  return deps.store.hitRateLimit(key, limit.windowMs, limit.limit, deps.clock.now());
}

function rateLimited(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / SECOND));
  return new AppError(429, 'rate_limited', `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, { retryAfter: seconds });
}

async function throttleIp(deps: Deps, scope: string, ip: string, limit: Limit): Promise<void> {
  const result = await within(deps, `${scope}:ip:${ip}`, limit);
  if (!result.allowed) throw rateLimited(result.retryAfterMs);
}

/** j•••@example.com: enough for the customer to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** A link token and the outbox email carrying it, ready to be stored together. */
export function prepareSignIn(
  deps: Deps,
  business: Business,
  customer: Customer,
  to: string,
  kind: SignInEmailKind,
  landing: string | null = null,
): { link: NewLinkToken; email: NewOutboxEmail } {
  const token = newToken();
  const now = deps.clock.now();
  const ttl = kind === 'invitation' ? business.inviteLinkTtlDays * DAY : business.loginLinkTtlMinutes * MINUTE;
  const rendered = signInEmail(kind, business, customer, signInLink(business, deps.publicUrl, token));
  return {
    link: { id: newId('lnk'), tokenHash: sha256(token), kind: kind === 'invitation' ? 'invitation' : 'login', email: to, landing, expiresAt: now + ttl },
    email: { id: newId('eml'), businessId: business.id, kind: kind === 'invitation' ? 'invitation' : 'login_link', to, ...rendered },
  };
}

export function prepareInvitation(deps: Deps, business: Business, customer: Customer, to: string, source: NewInvitation['source'], addEmail = false): NewInvitation {
  return { id: newId('ivt'), customerId: customer.id, source, addEmail, ...prepareSignIn(deps, business, customer, to, 'invitation') };
}

export const LOGIN_LINK_ACCEPTED = {
  status: 'accepted',
  message: 'If this email belongs to a customer, a sign-in link is on its way.',
} as const;

/**
 * SPEC §3.1. The answer never depends on whether the email is a customer's (SECURITY L6): the
 * caller always returns the same 202; only the IP limit is visible, and it is per IP, not per email.
 */
export async function requestLoginLink(deps: Deps, business: Business, email: string, ip: string): Promise<void> {
  const ipKey = `login:ip:${ip}`;
  const perEmail = `login:email:${business.id}:${email}`;
  // The link is made before the limits are counted so that the hits and the link commit in one
  // transaction; a refused request drops it unsent.
  const customer = await deps.store.findCustomerByEmail(business.id, email);
  const issue = customer ? { customerId: customer.id, ...prepareSignIn(deps, business, customer, email, 'login') } : null;
  const outcome = await deps.store.issueLoginLink(
    business.id,
    [
      { key: ipKey, ...LIMITS.linkRequestsPerIp },
      // Both windows are counted for every request, known email or not, so timing stays alike.
      { key: `${perEmail}:m`, ...LIMITS.linkRequestsPerEmailMinute },
      { key: `${perEmail}:h`, ...LIMITS.linkRequestsPerEmailHour },
    ],
    issue,
    deps.clock.now(),
  );
  // Only the per-IP limit is visible; a refusal by an email's limits answers the same 202.
  if (outcome.refusedBy?.key === ipKey) throw rateLimited(outcome.refusedBy.retryAfterMs);
}

export interface SignedIn {
  token: string;
  session: Session;
  customer: Customer;
  landing: string | null;
}

/** SPEC §3.2: a POST exchanges a link for a session; a dead link sends a fresh one to the address on file. */
export async function exchangeLink(deps: Deps, business: Business, token: string, ip: string): Promise<SignedIn> {
  await throttleIp(deps, 'exchange', ip, LIMITS.exchangesPerIp);
  const now = deps.clock.now();
  const sessionToken = newToken();
  const result = await deps.store.exchangeLinkToken(
    business.id,
    sha256(token),
    { id: newId('ses'), tokenHash: sha256(sessionToken), idleExpiresAt: now + SESSION_IDLE_MS, expiresAt: now + SESSION_ABSOLUTE_MS },
    now,
  );
  if (result.status === 'signed_in') return { token: sessionToken, session: result.session, customer: result.customer, landing: result.landing };
  if (result.status === 'unknown') {
    throw new AppError(401, 'invalid_link', 'This sign-in link is not valid. Enter your email to get a new one.');
  }

  // The fresh link goes to the address the old one went to if it is still on file, else the primary.
  const onFile = result.customer.emails.find((e) => e.address === result.email) ?? result.customer.emails.find((e) => e.primary);
  if (result.newerLinkSentTo) {
    const masked = maskEmail(result.newerLinkSentTo);
    throw new AppError(410, 'link_expired', `That link is no longer valid. A newer link was sent to ${masked}; please use the newest email.`, {
      maskedEmail: masked,
      resent: false,
    });
  }
  const masked = onFile ? maskEmail(onFile.address) : null;
  let resent = false;
  if (onFile) {
    const key = `resend:${business.id}:${result.customer.id}`;
    const fresh = prepareSignIn(deps, business, result.customer, onFile.address, 'fresh', result.landing);
    const outcome = await deps.store.issueLoginLink(
      business.id,
      [
        { key: `${key}:m`, ...LIMITS.resendsPerCustomerMinute },
        { key: `${key}:h`, ...LIMITS.resendsPerCustomerHour },
      ],
      { customerId: result.customer.id, ...fresh },
      now,
    );
    resent = outcome.issued;
  }
  throw new AppError(
    410,
    'link_expired',
    resent
      ? `That link has expired. We've sent a new one to ${masked}.`
      : masked
        ? `That link has expired. A new link was sent to ${masked} recently; please use the newest email.`
        : 'That link has expired. Enter your email to get a new one.',
    { maskedEmail: masked, resent },
  );
}

/** The session behind a bearer token at this business (S1, S2). */
export async function authenticate(deps: Deps, businessId: string, bearer: string | undefined): Promise<Session> {
  const session = bearer
    ? await deps.store.touchSession(businessId, sha256(bearer), deps.clock.now(), SESSION_IDLE_MS, SESSION_REFRESH_MS)
    : undefined;
  if (!session) throw new AppError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  return session;
}

export async function signOut(deps: Deps, businessId: string, bearer: string): Promise<void> {
  await deps.store.deleteSession(businessId, sha256(bearer));
}
