// Jobs scheduled for a customer.
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import type { AppointmentInput } from '../schemas/admin';
import type { Appointment, AppointmentFields, WorkQuery } from '../store/types';
import { formatAddress, getCustomerOrThrow } from './customers';
import type { Deps } from './deps';
import { autoInvitation } from './invitations';
import { getBusinessOrThrow } from './settings';

const ms = (iso: string | null | undefined) => (iso === null || iso === undefined ? null : Date.parse(iso));

function fieldsFrom(input: AppointmentInput, current: Appointment | undefined, customerId: string, defaultAddress: string | null): AppointmentFields {
  const fields: AppointmentFields = {
    customerId,
    externalId: input.externalId !== undefined ? input.externalId : (current?.externalId ?? null),
    startsAt: input.startsAt !== undefined ? Date.parse(input.startsAt) : current!.startsAt,
    endsAt: input.endsAt !== undefined ? ms(input.endsAt) : (current?.endsAt ?? null),
    arrivalWindowMinutes: input.arrivalWindowMinutes !== undefined ? input.arrivalWindowMinutes : (current?.arrivalWindowMinutes ?? null),
    description: input.description ?? current!.description,
    address: input.address !== undefined ? input.address || null : (current?.address ?? defaultAddress),
    technicians: input.technicians ?? current?.technicians ?? [],
    status: input.status ?? current?.status ?? 'scheduled',
  };
  if (fields.endsAt !== null && fields.endsAt < fields.startsAt) {
    throw new AppError(400, 'invalid_body', 'endsAt: must not be before startsAt.');
  }
  return fields;
}

export async function getAppointmentOrThrow(deps: Deps, businessId: string, id: string): Promise<Appointment> {
  const appointment = await deps.store.getAppointment(businessId, id);
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

export function listAppointments(deps: Deps, businessId: string, query: WorkQuery) {
  return deps.store.listAppointments(businessId, query);
}

/** Schedules a job, or updates the one synced under the same external id. Without an address the customer's first is used. */
export async function saveAppointment(deps: Deps, businessId: string, input: AppointmentInput & { customerId: string; startsAt: string; description: string }) {
  const [business, customer] = await Promise.all([getBusinessOrThrow(deps, businessId), getCustomerOrThrow(deps, businessId, input.customerId)]);
  const firstAddress = customer.addresses[0];
  const fields = fieldsFrom(input, undefined, customer.id, firstAddress ? formatAddress(firstAddress) : null);
  return deps.store.saveAppointment(businessId, newId('apt'), fields, deps.clock.now(), autoInvitation(deps, business, customer));
}

export async function updateAppointment(deps: Deps, businessId: string, id: string, input: AppointmentInput) {
  const current = await getAppointmentOrThrow(deps, businessId, id);
  const updated = await deps.store.updateAppointment(businessId, id, fieldsFrom(input, current, current.customerId, null), deps.clock.now());
  if (!updated) throw notFound('Appointment');
  return updated;
}

export async function deleteAppointment(deps: Deps, businessId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteAppointment(businessId, id))) throw notFound('Appointment');
}
