// How the console shows times and money: the staff member's locale and time zone.
export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const dateOnly = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium' }) : '—');

export const money = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);

/** "12.50" → 1250 (minor units); NaN for anything that is not an amount. */
export const toMinor = (value: string) => (/^-?\d+(\.\d{1,2})?$/.test(value.trim()) ? Math.round(Number(value) * 100) : NaN);

/** A datetime-local value ("2026-03-01T09:00") as an ISO time with the browser's offset. */
export function localToIso(value: string): string {
  return new Date(value).toISOString();
}

export const messageKinds: Record<string, string> = {
  new_appointment: 'New appointment request',
  reschedule: 'Reschedule request',
  cancel: 'Cancellation request',
  other: 'Other',
};
