// Customers as the business pushes them: one primary email among several, an external id for syncs.
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import type { CustomerInput } from '../schemas/admin';
import type { Customer, CustomerEmail, CustomerFields, CustomerQuery } from '../store/types';
import type { Deps } from './deps';

/** Exactly one primary when there is any email; a lone `email` becomes (or stays) the primary. */
function resolveEmails(input: CustomerInput, current: CustomerEmail[]): CustomerEmail[] {
  if (input.email !== undefined && input.emails !== undefined) {
    throw new AppError(400, 'invalid_body', 'Give either email or emails, not both.');
  }
  if (input.emails !== undefined) {
    const seen = new Set<string>();
    for (const { address } of input.emails) {
      if (seen.has(address)) throw new AppError(400, 'invalid_body', `emails: ${address} is listed twice.`);
      seen.add(address);
    }
    const primaries = input.emails.filter((e) => e.primary).length;
    if (primaries > 1) throw new AppError(400, 'invalid_body', 'emails: only one email can be primary.');
    return input.emails.map((e, i) => ({ address: e.address, primary: primaries === 0 ? i === 0 : Boolean(e.primary) }));
  }
  if (input.email !== undefined) {
    const others = current.filter((e) => e.address !== input.email).map((e) => ({ ...e, primary: false }));
    return [{ address: input.email, primary: true }, ...others];
  }
  return current;
}

function fieldsFrom(input: CustomerInput, current?: Customer): CustomerFields {
  return {
    name: input.name ?? current?.name ?? '',
    emails: resolveEmails(input, current?.emails ?? []),
    phone: input.phone !== undefined ? input.phone || null : (current?.phone ?? null),
    addresses: input.addresses ?? current?.addresses ?? [],
    externalId: input.externalId !== undefined ? input.externalId : (current?.externalId ?? null),
    disabled: input.disabled ?? current?.disabled ?? false,
  };
}

export async function getCustomerOrThrow(deps: Deps, businessId: string, id: string): Promise<Customer> {
  const customer = await deps.store.getCustomer(businessId, id);
  if (!customer) throw notFound('Customer');
  return customer;
}

export function listCustomers(deps: Deps, businessId: string, query: CustomerQuery) {
  return deps.store.listCustomers(businessId, query);
}

/** Creates a customer, or updates the one already synced under the same external id. */
export function saveCustomer(deps: Deps, businessId: string, input: CustomerInput & { name: string }) {
  return deps.store.saveCustomer(businessId, newId('cus'), fieldsFrom(input), deps.clock.now());
}

export async function updateCustomer(deps: Deps, businessId: string, id: string, input: CustomerInput): Promise<Customer> {
  const current = await getCustomerOrThrow(deps, businessId, id);
  const updated = await deps.store.updateCustomer(businessId, id, fieldsFrom(input, current), deps.clock.now());
  if (!updated) throw notFound('Customer');
  return updated;
}

export async function deleteCustomer(deps: Deps, businessId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteCustomer(businessId, id))) throw notFound('Customer');
}

export function formatAddress(address: Customer['addresses'][number]): string {
  return [address.line1, address.line2, address.city, [address.region, address.postalCode].filter(Boolean).join(' '), address.country]
    .filter(Boolean)
    .join(', ');
}
