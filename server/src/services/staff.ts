// How business staff get into the admin console (SPEC §4.7): a magic link to a staff email,
// exchanged by a POST for a session kept in a first-party cookie. The same numbers as customers'
// sign-in where they apply (token size, hashing, rate limits, idle/absolute lifetimes); links are
// shorter-lived (15 minutes) because a console session can do everything the business can.
import { newId, newToken, sha256 } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { staffSignInEmail } from '../mail/templates/staff';
import type { SignedInStaff } from '../store/console-types';
import type { Business, Staff } from '../store/types';
import { LIMITS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_REFRESH_MS } from './auth';
import type { Deps } from './deps';

export const STAFF_LINK_TTL_MS = 15 * 60_000;
export const STAFF_SESSION_IDLE_MS = SESSION_IDLE_MS;
export const STAFF_SESSION_ABSOLUTE_MS = SESSION_ABSOLUTE_MS;

export const STAFF_LINK_ACCEPTED = {
  status: 'accepted',
  message: 'If this email belongs to staff of a business on this server, a sign-in link is on its way.',
} as const;

type Limit = { windowMs: number; limit: number };

async function hit(deps: Deps, key: string, limit: Limit) {
  return deps.store.hitRateLimit(key, limit.windowMs, limit.limit, deps.clock.now());
}

async function throttleIp(deps: Deps, scope: string, ip: string, limit: Limit): Promise<void> {
  const result = await hit(deps, `${scope}:ip:${ip}`, limit);
  if (!result.allowed) {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new AppError(429, 'rate_limited', `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, { retryAfter: seconds });
  }
}

/** The console's address with the token in the fragment: never sent to a server, logged or put in Referer. */
export function staffSignInLink(publicUrl: string, token: string): string {
  return `${publicUrl}/admin#staff-token=${token}`;
}

/**
 * Emails a sign-in link for every business where the address is staff. The caller always answers
 * the same 202: whether the address is staff shows neither in the answer nor in the per-email
 * limits, which count every address alike.
 */
export async function requestStaffLink(deps: Deps, email: string, ip: string): Promise<void> {
  await throttleIp(deps, 'staff-login', ip, LIMITS.linkRequestsPerIp);
  const perEmail = `staff-login:email:${email}`;
  const minute = await hit(deps, `${perEmail}:m`, LIMITS.linkRequestsPerEmailMinute);
  const hour = minute.allowed ? await hit(deps, `${perEmail}:h`, LIMITS.linkRequestsPerEmailHour) : minute;
  const memberships = await deps.store.findStaffByEmail(email);
  if (!minute.allowed || !hour.allowed) return;
  const now = deps.clock.now();
  for (const { staff, business } of memberships) {
    const token = newToken();
    const rendered = staffSignInEmail(business, staffSignInLink(deps.publicUrl, token), STAFF_LINK_TTL_MS / 60_000);
    await deps.store.issueStaffLink(
      business.id,
      staff.id,
      { id: newId('slk'), tokenHash: sha256(token), expiresAt: now + STAFF_LINK_TTL_MS },
      { id: newId('eml'), businessId: business.id, kind: 'staff_login_link', to: staff.email, ...rendered },
      now,
    );
  }
}

export interface StaffSignedIn {
  token: string;
  expiresAt: number;
  staff: Staff;
  business: Business;
}

export async function exchangeStaffLink(deps: Deps, token: string, ip: string): Promise<StaffSignedIn> {
  await throttleIp(deps, 'staff-exchange', ip, LIMITS.exchangesPerIp);
  const now = deps.clock.now();
  const sessionToken = newToken();
  const result = await deps.store.exchangeStaffLink(
    sha256(token),
    { id: newId('sss'), tokenHash: sha256(sessionToken), idleExpiresAt: now + STAFF_SESSION_IDLE_MS, expiresAt: now + STAFF_SESSION_ABSOLUTE_MS },
    now,
  );
  if (result.status === 'unknown') throw new AppError(401, 'invalid_link', 'This sign-in link is not valid. Enter your email to get a new one.');
  if (result.status === 'dead') {
    throw new AppError(410, 'link_expired', 'This sign-in link has expired or was already used. Enter your email to get a new one.');
  }
  return { token: sessionToken, expiresAt: result.session.expiresAt, staff: result.staff, business: result.business };
}

/** The live staff session behind a cookie value, slid forward at most daily. */
export async function authenticateStaff(deps: Deps, token: string | undefined): Promise<SignedInStaff | undefined> {
  if (!token || token.length > 200) return undefined;
  return deps.store.touchStaffSession(sha256(token), deps.clock.now(), STAFF_SESSION_IDLE_MS, SESSION_REFRESH_MS);
}

export async function signOutStaff(deps: Deps, token: string): Promise<void> {
  await deps.store.deleteStaffSession(sha256(token));
}
