// Intl formatting in the element's locale: money in minor units, numbers, dates, time ranges, lists.
//
// Every formatter is made once per locale and options and kept for the page's life (a handful of
// locales, currencies and styles). Making one costs far more than using it: in Chromium at 4× CPU
// throttling a DateTimeFormat takes 1.5–5 ms to make (about 77 ms the first time in a page), while
// formatting a date with it takes 0–20 µs; a list of 50 appointments once made 150 per render.
import type { MoneyTotal } from '../api/types.js';

const kept = new Map<string, Map<string, unknown>>();

/** What `make` makes for `locale` and `key`: made on first use, then kept. */
function keep<T>(locale: string, key: string, make: () => T): T {
  let forLocale = kept.get(locale);
  if (!forLocale) kept.set(locale, (forLocale = new Map()));
  let value = forLocale.get(key) as T | undefined;
  if (value === undefined) forLocale.set(key, (value = make()));
  return value;
}

const TIME: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
const timeFormat = (locale: string) => keep(locale, 'time', () => new Intl.DateTimeFormat(locale, TIME));

/** `12500, 'usd'` → `$125.00`; the currency's own number of decimals (JPY has none). */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const money = keep(locale, `money ${currency.toUpperCase()}`, () => {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
    return { format, unit: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
  });
  return money.format.format(amount / money.unit);
}

/** Several currencies read as a list: `$120.00 and €35.00`. */
export function formatTotals(totals: MoneyTotal[], locale: string): string {
  return formatList(totals.map((t) => formatMoney(t.amount, t.currency, locale)), locale);
}

/** A plain number: `1,250` (`1250` in Spanish, which groups from five digits), `1.5`. */
export function formatNumber(value: number, locale: string): string {
  return keep(locale, 'number', () => new Intl.NumberFormat(locale)).format(value);
}

/** `Tuesday, March 3, 2026` (or the options given). */
export function formatDate(iso: string, locale: string, options?: Intl.DateTimeFormatOptions): string {
  if (!options) return keep(locale, 'day', () => memoizedDay(new Intl.DateTimeFormat(locale, { dateStyle: 'full' })))(new Date(iso));
  return keep(locale, `date ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options)).format(new Date(iso));
}

/** `8:00 AM`. */
export function formatTime(iso: string, locale: string): string {
  return timeFormat(locale).format(new Date(iso));
}

/** `8:00 – 10:00 AM`: the shared parts said once. */
export function formatTimeRange(start: string, end: string, locale: string): string {
  return keep(locale, 'range', () => memoizedRange(timeFormat(locale)))(new Date(start), new Date(end));
}

export function formatList(items: string[], locale: string): string {
  return keep(locale, 'list', () => new Intl.ListFormat(locale, { type: 'conjunction' })).format(items);
}

/** Seconds from now as words: `in 45 seconds`, `in 2 minutes`. */
export function formatRetryAfter(seconds: number, locale: string): string {
  const format = keep(locale, 'relative', () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  return seconds < 90 ? format.format(Math.max(1, Math.round(seconds)), 'second') : format.format(Math.ceil(seconds / 60), 'minute');
}

/** Where a date falls on the clock of a formatter's time zone: which day, and the minute of that day. */
export interface WallClock {
  day(date: Date): number;
  minute(date: Date): number;
}

/** The page's default time zone: the one a DateTimeFormat made without `timeZone` uses. */
const LOCAL_CLOCK: WallClock = {
  day: (date) => date.getFullYear() * 416 + date.getMonth() * 32 + date.getDate(),
  minute: (date) => date.getHours() * 60 + date.getMinutes(),
};

/** Texts kept per formatter, the oldest dropped first past it: more days and windows than a list shows. */
const TEXTS_KEPT = 300;

class Texts {
  private readonly texts = new Map<number, string>();

  get(key: number): string | undefined {
    return this.texts.get(key);
  }

  set(key: number, text: string): string {
    if (this.texts.size >= TEXTS_KEPT) this.texts.delete(this.texts.keys().next().value!);
    this.texts.set(key, text);
    return text;
  }
}

/**
 * `format.formatRange`, with the text of ranges within one day kept by their wall-clock start and
 * end. formatRange is slow: about 150 µs a call in Chromium at 4× CPU throttling (7.6 ms for a list
 * of 50 appointments, a third of a frame's 16 ms), against 0–20 µs for `format`, and schedules
 * repeat the same few windows day after day (8:00–10:00 AM, 1:00–3:00 PM). Within one day the text
 * shows only hours and minutes, so the same wall-clock start and end always read the same (also on
 * a day the clocks change); a range across midnight also shows its dates, so it is formatted each
 * time, as is an invalid date (NaN is no day), for which formatRange throws. `clock` must read the
 * formatter's time zone; tests pass one with a time zone of their own.
 */
export function memoizedRange(format: Intl.DateTimeFormat, clock: WallClock = LOCAL_CLOCK): (start: Date, end: Date) => string {
  const texts = new Texts();
  return (start, end) => {
    if (clock.day(start) !== clock.day(end)) return format.formatRange(start, end);
    const key = clock.minute(start) * 1440 + clock.minute(end);
    return texts.get(key) ?? texts.set(key, format.formatRange(start, end));
  };
}

/**
 * `format.format` for a format of the date alone (no time of day), with the text kept by the day.
 * A list shows the same days each time it is drawn, and a full date takes 15–20 µs to write at 4×
 * CPU throttling: about 1 ms of a 50-row list. An invalid date is never kept (`format` throws).
 */
export function memoizedDay(format: Intl.DateTimeFormat, clock: WallClock = LOCAL_CLOCK): (date: Date) => string {
  const texts = new Texts();
  return (date) => {
    const day = clock.day(date);
    return texts.get(day) ?? texts.set(day, format.format(date));
  };
}
