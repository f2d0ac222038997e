// Intl formatters for views that format many rows at once. Making a formatter costs far more than
// using one (in Chromium a DateTimeFormat takes about as long as formatting dozens of dates), so a
// list of 50 appointments made 150 of them per render: these are made once per locale and kept.
// The options are those of i18n/format.ts (formatDate, formatTime, formatTimeRange, formatList), so
// the text is the same.

export interface ListFormatters {
  /** formatDate: `Tuesday, March 3, 2026`. */
  date: Intl.DateTimeFormat;
  /** formatTime (`format`) and formatTimeRange (`formatRange`): `8:00 AM`, `8:00 – 10:00 AM`. */
  time: Intl.DateTimeFormat;
  /** formatList: `Sam Lee and Ana Ortiz`. */
  list: Intl.ListFormat;
}

const byLocale = new Map<string, ListFormatters>();

export function listFormatters(locale: string): ListFormatters {
  let formatters = byLocale.get(locale);
  if (!formatters) {
    formatters = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'full' }),
      time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
      list: new Intl.ListFormat(locale, { type: 'conjunction' }),
    };
    byLocale.set(locale, formatters);
  }
  return formatters;
}
