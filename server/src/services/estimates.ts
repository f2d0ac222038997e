// Estimates: options priced from their line items, and cancellation by the business.
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import type { EstimateInput } from '../schemas/admin';
import type { Estimate, EstimateFields, EstimateOption, WorkQuery } from '../store/types';
import { getCustomerOrThrow } from './customers';
import type { Deps } from './deps';
import { priceLineItems } from './money';

function priceOptions(options: NonNullable<EstimateInput['options']>): EstimateOption[] {
  return options.map((option) => ({
    id: newId('opt'),
    name: option.name,
    description: option.description,
    ...priceLineItems(option.lineItems, option.taxAmount ?? 0),
  }));
}

function fieldsFrom(input: EstimateInput, current: Estimate | undefined, customerId: string, now: number): EstimateFields {
  const status = input.status ?? current?.status ?? 'open';
  const decided = status === 'approved' || status === 'declined';
  return {
    customerId,
    externalId: input.externalId !== undefined ? input.externalId : (current?.externalId ?? null),
    number: input.number ?? current!.number,
    currency: input.currency ?? current!.currency,
    options: input.options ? priceOptions(input.options) : current!.options,
    expiresAt: input.expiresAt !== undefined ? (input.expiresAt === null ? null : Date.parse(input.expiresAt)) : (current?.expiresAt ?? null),
    status,
    approvedOptionId: status === 'approved' ? (current?.approvedOptionId ?? null) : null,
    declineReason: status === 'declined' ? (current?.declineReason ?? null) : null,
    decidedAt: decided ? (current?.decidedAt ?? now) : null,
  };
}

export async function getEstimateOrThrow(deps: Deps, businessId: string, id: string): Promise<Estimate> {
  const estimate = await deps.store.getEstimate(businessId, id);
  if (!estimate) throw notFound('Estimate');
  return estimate;
}

export function listEstimates(deps: Deps, businessId: string, query: WorkQuery) {
  return deps.store.listEstimates(businessId, query);
}

export async function saveEstimate(deps: Deps, businessId: string, input: EstimateInput & { customerId: string; number: string; currency: string }) {
  const customer = await getCustomerOrThrow(deps, businessId, input.customerId);
  const now = deps.clock.now();
  return deps.store.saveEstimate(businessId, newId('est'), fieldsFrom(input, undefined, customer.id, now), now);
}

export async function updateEstimate(deps: Deps, businessId: string, id: string, input: EstimateInput) {
  const current = await getEstimateOrThrow(deps, businessId, id);
  if (current.status === 'canceled') throw new AppError(409, 'estimate_canceled', `Estimate ${current.number} is canceled and can no longer change.`);
  const now = deps.clock.now();
  const updated = await deps.store.updateEstimate(businessId, id, fieldsFrom(input, current, current.customerId, now), now);
  if (!updated) throw notFound('Estimate');
  return updated;
}

/** Withdraws an estimate the customer has not decided on; it disappears from their portal. */
export async function cancelEstimate(deps: Deps, businessId: string, id: string): Promise<Estimate> {
  const canceled = await deps.store.cancelEstimate(businessId, id, deps.clock.now());
  if (canceled) return canceled;
  const estimate = await getEstimateOrThrow(deps, businessId, id);
  throw new AppError(409, 'estimate_decided', `Estimate ${estimate.number} was already ${estimate.status} by the customer and cannot be canceled.`);
}
