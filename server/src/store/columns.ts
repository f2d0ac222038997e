// Column selections both stores make alike, from their own tables.
import type { CustomerAppointment } from './types';

const customerAppointmentFields = [
  'id',
  'startsAt',
  'endsAt',
  'arrivalWindowMinutes',
  'description',
  'address',
  'technicians',
  'status',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof CustomerAppointment)[];

// Every field of CustomerAppointment is listed: this fails to compile when one is missing.
const listsEveryField: [Exclude<keyof CustomerAppointment, (typeof customerAppointmentFields)[number]>] extends [never] ? true : never = true;
void listsEveryField;

/** The columns of an appointment its customer is shown: fewer to read and map on the hottest list. */
export function customerAppointmentColumns<T extends Record<keyof CustomerAppointment, unknown>>(appointments: T): Pick<T, keyof CustomerAppointment> {
  return Object.fromEntries(customerAppointmentFields.map((field) => [field, appointments[field]])) as Pick<T, keyof CustomerAppointment>;
}
