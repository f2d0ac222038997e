// Intl formatting in the element's locale: money in minor units, dates, time ranges, lists.
import type { MoneyTotal } from '../api/types.js';

/** `12500, 'usd'` → `$125.00`; the currency's own number of decimals (JPY has none). */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** Several currencies read as a list: `$120.00 and €35.00`. */
export function formatTotals(totals: MoneyTotal[], locale: string): string {
  return formatList(totals.map((t) => formatMoney(t.amount, t.currency, locale)), locale);
}

/** `Tuesday, March 3, 2026` (or the options given). */
export function formatDate(iso: string, locale: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'full' }): string {
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(iso));
}

/** `8:00 – 10:00 AM`: the shared parts said once. */
export function formatTimeRange(start: string, end: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).formatRange(new Date(start), new Date(end));
}

export function formatList(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}

/** Seconds from now as words: `in 45 seconds`, `in 2 minutes`. */
export function formatRetryAfter(seconds: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return seconds < 90 ? format.format(Math.max(1, Math.round(seconds)), 'second') : format.format(Math.ceil(seconds / 60), 'minute');
}
