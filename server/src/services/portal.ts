// What a signed-in customer sees and does (SPEC §3.3): summary, appointments, invoices,
// estimates with their approve/decline state machine, and messages to the business.
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import { replyEmail } from '../mail/templates/notifications';
import type { Business, Customer, Estimate, PageRequest, Session } from '../store/types';
import type { Deps } from './deps';
import { portalBaseUrl } from './links';
import { notifyBusiness } from './notify';
import { estimateStatus } from './present';

/** Who is asking: the business of the path and the customer of the session. */
export interface Viewer {
  business: Business;
  session: Session;
}

const scope = (v: Viewer) => [v.business.id, v.session.customerId] as const;

async function customerOf(deps: Deps, v: Viewer): Promise<Customer> {
  const customer = await deps.store.getCustomer(...scope(v));
  if (!customer) throw new AppError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  return customer;
}

export function summary(deps: Deps, v: Viewer) {
  return deps.store.customerSummary(...scope(v), deps.clock.now());
}

export function listAppointments(deps: Deps, v: Viewer, when: 'upcoming' | 'past', page: PageRequest) {
  return deps.store.listCustomerAppointments(...scope(v), when, page, deps.clock.now());
}

export function listInvoices(deps: Deps, v: Viewer, page: PageRequest) {
  return deps.store.listCustomerInvoices(...scope(v), page);
}

export async function getInvoice(deps: Deps, v: Viewer, id: string) {
  const invoice = await deps.store.getCustomerInvoice(...scope(v), id);
  if (!invoice) throw notFound('Invoice');
  return invoice;
}

export function listEstimates(deps: Deps, v: Viewer, page: PageRequest) {
  return deps.store.listCustomerEstimates(...scope(v), page, deps.clock.now());
}

export async function getEstimate(deps: Deps, v: Viewer, id: string) {
  const estimate = await deps.store.getCustomerEstimate(...scope(v), id);
  if (!estimate) throw notFound('Estimate');
  return estimate;
}

/** Why an estimate can no longer be decided, as the customer should hear it. */
function refuseDecision(estimate: Estimate, now: number): never {
  const status = estimateStatus(estimate, now);
  if (status === 'expired') throw new AppError(409, 'estimate_expired', `Estimate ${estimate.number} has expired. Please contact us for a new one.`);
  throw new AppError(409, 'estimate_not_open', `Estimate ${estimate.number} was already ${status}.`);
}

export async function approveEstimate(deps: Deps, v: Viewer, id: string, optionId: string | undefined): Promise<Estimate> {
  const estimate = await getEstimate(deps, v, id);
  const now = deps.clock.now();
  if (estimateStatus(estimate, now) !== 'open') refuseDecision(estimate, now);
  const option = optionId ? estimate.options.find((o) => o.id === optionId) : estimate.options.length === 1 ? estimate.options[0] : undefined;
  if (!option) {
    throw optionId
      ? new AppError(400, 'invalid_option', 'optionId: not an option of this estimate.')
      : new AppError(400, 'option_required', 'This estimate has several options: choose one with optionId.');
  }
  const customer = await customerOf(deps, v);
  const effects = notifyBusiness(
    deps,
    v.business,
    { kind: 'estimate_approved', customer, number: estimate.number, option: option.name, total: option.total, currency: estimate.currency },
    {
      type: 'estimate.approved',
      data: { estimateId: estimate.id, number: estimate.number, customerId: customer.id, customerName: customer.name, optionId: option.id, optionName: option.name, total: option.total, currency: estimate.currency },
    },
  );
  const decided = await deps.store.decideEstimate(...scope(v), id, { status: 'approved', optionId: option.id }, effects, now);
  return decided ?? refuseDecision(await getEstimate(deps, v, id), now);
}

export async function declineEstimate(deps: Deps, v: Viewer, id: string, reason: string | undefined): Promise<Estimate> {
  const estimate = await getEstimate(deps, v, id);
  const now = deps.clock.now();
  if (estimateStatus(estimate, now) !== 'open') refuseDecision(estimate, now);
  const customer = await customerOf(deps, v);
  const effects = notifyBusiness(
    deps,
    v.business,
    { kind: 'estimate_declined', customer, number: estimate.number, reason: reason ?? null },
    { type: 'estimate.declined', data: { estimateId: estimate.id, number: estimate.number, customerId: customer.id, customerName: customer.name, reason: reason ?? null } },
  );
  const decided = await deps.store.decideEstimate(...scope(v), id, { status: 'declined', reason: reason ?? null }, effects, now);
  return decided ?? refuseDecision(await getEstimate(deps, v, id), now);
}

export interface MessageInput {
  kind: 'new_appointment' | 'reschedule' | 'cancel' | 'other';
  body: string;
  appointmentId?: string | undefined;
  preferredTimes?: string[] | undefined;
}

export async function sendMessage(deps: Deps, v: Viewer, input: MessageInput) {
  if (!v.business.messagingEnabled) throw new AppError(403, 'messaging_disabled', `${v.business.name} does not take messages through the portal. Please call or email them.`);
  if ((input.kind === 'reschedule' || input.kind === 'cancel') && !input.appointmentId) {
    throw new AppError(400, 'invalid_body', 'appointmentId: choose the appointment to change.');
  }
  const now = deps.clock.now();
  let appointmentLabel: string | null = null;
  if (input.appointmentId) {
    const upcoming = await deps.store.getAppointment(v.business.id, input.appointmentId);
    const isMineAndUpcoming =
      upcoming &&
      upcoming.customerId === v.session.customerId &&
      upcoming.status !== 'completed' &&
      upcoming.status !== 'canceled' &&
      (upcoming.endsAt ?? upcoming.startsAt + (upcoming.arrivalWindowMinutes ?? 0) * 60_000) >= now;
    if (!isMineAndUpcoming) throw new AppError(400, 'invalid_appointment', 'appointmentId: not one of your upcoming appointments.');
    appointmentLabel = `${upcoming.description} — ${new Date(upcoming.startsAt).toISOString()}`;
  }
  const customer = await customerOf(deps, v);
  const message = {
    id: newId('msg'),
    customerId: customer.id,
    kind: input.kind,
    body: input.body,
    appointmentId: input.appointmentId ?? null,
    preferredTimes: input.preferredTimes ?? [],
  };
  const effects = notifyBusiness(
    deps,
    v.business,
    { kind: 'message_received', customer, messageKind: input.kind, body: input.body, appointment: appointmentLabel, preferredTimes: message.preferredTimes },
    { type: 'message.received', data: { messageId: message.id, customerId: customer.id, customerName: customer.name, kind: input.kind, body: input.body, appointmentId: message.appointmentId, preferredTimes: message.preferredTimes } },
  );
  await deps.store.createMessage(v.business.id, message, effects, now);
  return (await deps.store.getMessage(v.business.id, message.id))!;
}

export function listMessages(deps: Deps, v: Viewer, page: PageRequest) {
  return deps.store.listMessages(v.business.id, page, v.session.customerId);
}

// ---- The business's side of messages ----

export async function getMessageForBusiness(deps: Deps, businessId: string, id: string) {
  const message = await deps.store.getMessage(businessId, id);
  if (!message) throw notFound('Message');
  return message;
}

/** A staff reply: shown in the customer's portal and emailed to their primary address. */
export async function replyToMessage(deps: Deps, business: Business, messageId: string, body: string, staffId: string | null = null) {
  const message = await getMessageForBusiness(deps, business.id, messageId);
  const customer = await deps.store.getCustomer(business.id, message.customerId);
  const to = customer?.emails.find((e) => e.primary)?.address;
  const emails =
    customer && to && !customer.disabled
      ? [{ id: newId('eml'), businessId: business.id, kind: 'message_reply', to, ...replyEmail(business, customer, body, portalBaseUrl(business, deps.publicUrl)) }]
      : [];
  const added = await deps.store.addReply(business.id, { id: newId('rpl'), messageId, staffId, body }, { emails }, deps.clock.now());
  if (!added) throw notFound('Message');
  return getMessageForBusiness(deps, business.id, messageId);
}
