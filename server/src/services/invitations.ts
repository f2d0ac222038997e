// Invitations to the portal (SPEC §4.2): one at a time with an editable address, in bulk to each
// primary email, and automatically when a job is scheduled.
import { AppError } from '../lib/errors';
import type { Business, Customer, InvitationRecord, NewInvitation } from '../store/types';
import { prepareInvitation } from './auth';
import { getCustomerOrThrow } from './customers';
import type { Deps } from './deps';
import { getBusinessOrThrow } from './settings';

const primaryEmail = (customer: Customer) => customer.emails.find((e) => e.primary)?.address;

function refuseDisabled(customer: Customer): void {
  if (customer.disabled) throw new AppError(409, 'customer_disabled', `${customer.name} is disabled; enable them before inviting.`);
}

/** Invites one customer; `email` may be any of theirs or a new address, which is then added to them. */
export async function inviteCustomer(deps: Deps, businessId: string, customerId: string, email?: string): Promise<InvitationRecord> {
  const [business, customer] = await Promise.all([getBusinessOrThrow(deps, businessId), getCustomerOrThrow(deps, businessId, customerId)]);
  refuseDisabled(customer);
  const to = email ?? primaryEmail(customer);
  if (!to) throw new AppError(409, 'customer_has_no_email', `${customer.name} has no email address; enter one to send the invitation to.`);
  const isNew = !customer.emails.some((e) => e.address === to);
  const invitation = prepareInvitation(deps, business, customer, to, 'single', isNew);
  const now = deps.clock.now();
  await deps.store.createInvitations(businessId, [invitation], now);
  return { id: invitation.id, customerId, email: to, source: 'single', createdAt: now, expiresAt: invitation.link.expiresAt, usedAt: null };
}

export interface BulkResult {
  invited: { id: string; name: string; email: string }[];
  skippedNoEmail: { id: string; name: string }[];
  skippedDisabled: { id: string; name: string }[];
  /** Ids that are not customers of this business (deleted meanwhile, or never were). */
  notFound: string[];
}

/** The dry run lists exactly what the send would do; the send records every invitation at once. */
export async function inviteInBulk(deps: Deps, businessId: string, customerIds: string[], dryRun: boolean): Promise<BulkResult> {
  const business = await getBusinessOrThrow(deps, businessId);
  const result: BulkResult = { invited: [], skippedNoEmail: [], skippedDisabled: [], notFound: [] };
  const invitations: NewInvitation[] = [];
  const found = new Map((await deps.store.getCustomers(businessId, [...new Set(customerIds)])).map((c) => [c.id, c]));
  for (const id of new Set(customerIds)) {
    const customer = found.get(id);
    if (!customer) {
      result.notFound.push(id);
      continue;
    }
    const to = primaryEmail(customer);
    if (customer.disabled) result.skippedDisabled.push({ id, name: customer.name });
    else if (!to) result.skippedNoEmail.push({ id, name: customer.name });
    else {
      result.invited.push({ id, name: customer.name, email: to });
      if (!dryRun) invitations.push(prepareInvitation(deps, business, customer, to, 'bulk'));
    }
  }
  if (invitations.length > 0) await deps.store.createInvitations(businessId, invitations, deps.clock.now());
  return result;
}

/** The invitation a newly scheduled job brings, when the business invites automatically. */
export function autoInvitation(deps: Deps, business: Business, customer: Customer): NewInvitation | undefined {
  const to = primaryEmail(customer);
  if (!business.autoInvite || !to || customer.disabled) return undefined;
  return prepareInvitation(deps, business, customer, to, 'auto');
}

export function listInvitations(deps: Deps, businessId: string, customerId: string) {
  return getCustomerOrThrow(deps, businessId, customerId).then(() => deps.store.listInvitations(businessId, customerId));
}
