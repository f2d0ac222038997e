/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import {
  formatDate,
  formatList,
  formatMoney,
  formatNumber,
  formatRetryAfter,
  formatTime,
  formatTimeRange,
  formatTotals,
  memoizedDay,
  memoizedRange,
  type WallClock,
} from './format.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Calls of `format` or `formatRange` on any DateTimeFormat while `fn` runs (the real method still answers). */
function intlCalls(method: 'format' | 'formatRange', fn: () => void): number {
  const proto = Intl.DateTimeFormat.prototype;
  const real = Object.getOwnPropertyDescriptor(proto, method)!;
  let calls = 0;
  Object.defineProperty(proto, method, {
    configurable: true,
    get(this: Intl.DateTimeFormat) {
      // `format` is a getter of a bound function, `formatRange` a plain method.
      const answer = (real.get ? real.get.call(this) : real.value.bind(this)) as (...dates: Date[]) => string;
      return (...dates: Date[]) => {
        calls++;
        return answer(...dates);
      };
    },
  });
  try {
    fn();
  } finally {
    Object.defineProperty(proto, method, real);
  }
  return calls;
}

/** The wall clock of a named time zone, read as a formatter with that `timeZone` reads it. */
function zoneClock(timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const read = (date: Date) => Object.fromEntries(parts.formatToParts(date).map((part) => [part.type, Number(part.value)])) as Record<string, number>;
  return {
    day: (date) => {
      const { year, month, day } = read(date);
      return year! * 416 + month! * 32 + day!;
    },
    minute: (date) => {
      const { hour, minute } = read(date);
      return hour! * 60 + minute!;
    },
  };
}

/**
 * Ranges around each day given (a UTC midnight): starts every 40 minutes from 20:00 the day before
 * to 04:00 the day after (UTC), so local midnights and the small hours, when clocks change, are in
 * it in every time zone from UTC-12 to UTC+14; starts off the hour (:07, :59) too; lengths from
 * none to over a day, and one backwards.
 */
function rangesAround(days: number[]): [Date, Date][] {
  const lengths = [0, 30 * 1000, MINUTE, 13 * MINUTE, 59 * MINUTE, HOUR, 90 * MINUTE, 2 * HOUR, 3 * HOUR + 7 * MINUTE, 10 * HOUR, DAY + HOUR, -HOUR];
  const ranges: [Date, Date][] = [];
  for (const day of days) {
    for (let start = day - 4 * HOUR; start <= day + DAY + 4 * HOUR; start += 40 * MINUTE) {
      for (const length of lengths) ranges.push([new Date(start), new Date(start + length)]);
      ranges.push([new Date(start + 7 * MINUTE), new Date(start + 59 * MINUTE)]);
    }
  }
  return ranges;
}

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

// US clocks change on 2026-03-08 and 2026-11-01, Spain's (and the EU's) on 2026-03-29 and
// 2026-10-25; the other days are ordinary ones with the same wall clocks.
const CHANGE_DAYS = [utc(2026, 3, 8), utc(2026, 11, 1), utc(2026, 3, 29), utc(2026, 10, 25)];
const ORDINARY_DAYS = [utc(2026, 3, 3), utc(2026, 7, 14), utc(2026, 12, 31)];

describe('dates and time ranges, kept by wall clock', function () {
  // Thousands of ranges, each formatted afresh to compare.
  this.timeout(20_000);

  for (const locale of ['en', 'es']) {
    it(`formatTimeRange and formatDate write what fresh formatters write, in the page's time zone (${locale})`, () => {
      // Run with TZ=America/New_York or TZ=Europe/Madrid, the change days are changes here too.
      const fresh = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
      const day = new Intl.DateTimeFormat(locale, { dateStyle: 'full' });
      // Twice over: the second time round every range within a day is read from what was kept.
      for (const round of [1, 2]) {
        for (const [start, end] of rangesAround([...CHANGE_DAYS, ...ORDINARY_DAYS])) {
          const range = `${start.toISOString()}/${end.toISOString()} (round ${round})`;
          expect(formatTimeRange(start.toISOString(), end.toISOString(), locale), range).to.equal(fresh.formatRange(start, end));
          expect(formatDate(end.toISOString(), locale), range).to.equal(day.format(end));
        }
      }
    });
  }

  const zones = [
    ['en', 'America/New_York'],
    ['es', 'Europe/Madrid'],
    ['es', 'America/New_York'],
    ['en', 'Australia/Lord_Howe'], // clocks change by half an hour
  ] as const;
  for (const [locale, timeZone] of zones) {
    it(`writes what fresh formatters write on the days clocks change (${locale}, ${timeZone})`, () => {
      const options: Intl.DateTimeFormatOptions = { timeStyle: 'short', timeZone };
      const kept = memoizedRange(new Intl.DateTimeFormat(locale, options), zoneClock(timeZone));
      const fresh = new Intl.DateTimeFormat(locale, options);
      const dayOptions: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeZone };
      const keptDay = memoizedDay(new Intl.DateTimeFormat(locale, dayOptions), zoneClock(timeZone));
      const freshDay = new Intl.DateTimeFormat(locale, dayOptions);
      const lordHowe = [utc(2026, 4, 4), utc(2026, 10, 3)];
      // Ordinary days first, so the change days' ranges meet texts kept from other days, then the
      // other way round.
      for (const days of [[...ORDINARY_DAYS, ...CHANGE_DAYS, ...lordHowe], [...CHANGE_DAYS, ...lordHowe, ...ORDINARY_DAYS]]) {
        for (const [start, end] of rangesAround(days)) {
          expect(kept(start, end), `${start.toISOString()}/${end.toISOString()}`).to.equal(fresh.formatRange(start, end));
          expect(keptDay(end), end.toISOString()).to.equal(freshDay.format(end));
        }
      }
    });
  }

  it('the same wall clock on another day is not formatted again; a range across midnight is', () => {
    const at = (day: number, hour: number, minute: number) => new Date(2026, 4, day, hour, minute).toISOString();
    formatTimeRange(at(4, 8, 15), at(4, 10, 45), 'es');
    expect(intlCalls('formatRange', () => {
      for (let day = 5; day < 25; day++) expect(formatTimeRange(at(day, 8, 15), at(day, 10, 45), 'es')).to.match(/^8:15\s*–\s*10:45$/);
    })).to.equal(0);

    const overnight = () => formatTimeRange(at(4, 22, 30), at(5, 1, 0), 'en');
    expect(overnight()).to.equal(new Intl.DateTimeFormat('en', { timeStyle: 'short' }).formatRange(new Date(2026, 4, 4, 22, 30), new Date(2026, 4, 5, 1)));
    expect(overnight()).to.equal('5/4/2026, 10:30 PM – 5/5/2026, 1:00 AM');
    expect(intlCalls('formatRange', overnight)).to.equal(1);
  });

  it('keeps a bounded number of texts, dropping the oldest', () => {
    const kept = memoizedRange(new Intl.DateTimeFormat('en', { timeStyle: 'short', timeZone: 'UTC' }), zoneClock('UTC'));
    const day = utc(2026, 5, 4);
    // 1,000 distinct ranges in one day: start minute 0–999, ten minutes long.
    const range = (minute: number) => [new Date(day + minute * MINUTE), new Date(day + (minute + 10) * MINUTE)] as const;
    for (let minute = 0; minute < 1000; minute++) kept(...range(minute));
    expect(intlCalls('formatRange', () => expect(kept(...range(999))).to.equal('4:39 – 4:49 PM'))).to.equal(0);
    expect(intlCalls('formatRange', () => expect(kept(...range(0))).to.equal('12:00 – 12:10 AM'))).to.equal(1);
  });

  it('the same day is not formatted again', () => {
    formatDate(new Date(2026, 4, 4, 9).toISOString(), 'es');
    expect(intlCalls('format', () => expect(formatDate(new Date(2026, 4, 4, 23, 59).toISOString(), 'es')).to.equal('lunes, 4 de mayo de 2026'))).to.equal(0);
    expect(intlCalls('format', () => expect(formatDate(new Date(2026, 4, 5, 0, 0).toISOString(), 'es')).to.equal('martes, 5 de mayo de 2026'))).to.equal(1);
  });

  it('an invalid date throws, as Intl does', () => {
    expect(() => formatTimeRange('not a date', '2026-03-03T10:00:00Z', 'en')).to.throw(RangeError);
    expect(() => formatTimeRange('2026-03-03T10:00:00Z', '', 'es')).to.throw(RangeError);
    for (let i = 0; i < 2; i++) expect(() => formatDate('not a date', 'en')).to.throw(RangeError);
  });
});

describe('kept formatters', () => {
  const start = '2026-03-03T14:00:00.000Z';
  for (const locale of ['en', 'es', 'es-MX']) {
    it(`write what fresh Intl formatters write (${locale})`, () => {
      const date = new Date(start);
      for (let i = 0; i < 2; i++) {
        expect(formatDate(start, locale)).to.equal(new Intl.DateTimeFormat(locale, { dateStyle: 'full' }).format(date));
        expect(formatDate(start, locale, { dateStyle: 'medium', timeStyle: 'short' })).to.equal(
          new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date),
        );
        expect(formatDate(start, locale, { dateStyle: 'medium', timeZone: 'UTC' })).to.equal(new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date));
        expect(formatTime(start, locale)).to.equal(new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date));
        expect(formatList(['Sam Lee', 'Ana Ortiz', 'Lee Chan'], locale)).to.equal(new Intl.ListFormat(locale, { type: 'conjunction' }).format(['Sam Lee', 'Ana Ortiz', 'Lee Chan']));
        expect(formatNumber(1250.5, locale)).to.equal(new Intl.NumberFormat(locale).format(1250.5));
        expect(formatNumber(12500, locale)).to.equal(new Intl.NumberFormat(locale).format(12500));
        expect(formatMoney(1500, 'jpy', locale)).to.equal(new Intl.NumberFormat(locale, { style: 'currency', currency: 'JPY' }).format(1500));
        expect(formatMoney(161250, 'usd', locale)).to.equal(new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(1612.5));
        expect(formatRetryAfter(45, locale)).to.equal(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(45, 'second'));
      }
    });
  }

  it('one set of options does not answer for another', () => {
    expect(formatDate(start, 'en', { dateStyle: 'medium', timeZone: 'UTC' })).to.equal('Mar 3, 2026');
    expect(formatDate(start, 'en', { dateStyle: 'long', timeZone: 'UTC' })).to.equal('March 3, 2026');
    expect(formatDate(start, 'es', { dateStyle: 'long', timeZone: 'UTC' })).to.equal('3 de marzo de 2026');
    expect(formatMoney(1500, 'jpy', 'en')).to.equal('¥1,500');
    expect(formatMoney(1500, 'usd', 'en')).to.equal('$15.00');
    expect(formatMoney(1500, 'USD', 'en')).to.equal('$15.00');
    expect(formatTotals([{ currency: 'usd', amount: 100 }, { currency: 'eur', amount: 250 }], 'es')).to.match(/^1,00\s*US\$ y 2,50\s*€$/);
    expect(formatNumber(1250, 'en')).to.equal('1,250');
    expect(formatNumber(1250, 'es')).to.equal('1250');
    expect(formatNumber(12500, 'es')).to.equal('12.500');
  });
});
