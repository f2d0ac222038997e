// How the console shows times and money: Intl in the console's language (the browser's own regional
// variant of it when it has one) and the browser's time zone.
import { currentLocale } from './i18n/localize';

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const dateOnly = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(currentLocale(), { dateStyle: 'medium' }) : '—');

/** A calendar date (`2026-03-31`, no time zone) as the locale writes it. */
export const calendarDate = (date: string | null | undefined) =>
  date ? new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`)) : '—';

/** Minor units in the currency's own number of decimals (JPY has none). */
export function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat(currentLocale(), { style: 'currency', currency: currency.toUpperCase() });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** Names as the language lists them: "Ann, Ben and Cal" / "Ann, Ben y Cal". */
export const list = (items: string[]) => new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(items);

/** "12.50" or "12,50" → 1250 (minor units); NaN for anything that is not an amount. */
export const toMinor = (value: string) => {
  const normalized = value.trim().replace(',', '.');
  return /^-?\d+(\.\d{1,2})?$/.test(normalized) ? Math.round(Number(normalized) * 100) : NaN;
};

/** A datetime-local value ("2026-03-01T09:00") as an ISO time with the browser's offset. */
export function localToIso(value: string): string {
  return new Date(value).toISOString();
}
