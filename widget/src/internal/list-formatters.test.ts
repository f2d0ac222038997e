/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { formatDate, formatList, formatTime, formatTimeRange } from '../i18n/format.js';
import { listFormatters } from './list-formatters.js';

describe('listFormatters (kept Intl formatters for long lists)', () => {
  const start = '2026-03-03T14:00:00.000Z';
  const end = '2026-03-03T16:30:00.000Z';

  for (const locale of ['en', 'es', 'es-MX']) {
    it(`writes what i18n/format.ts writes (${locale})`, () => {
      const f = listFormatters(locale);
      expect(f.date.format(new Date(start))).to.equal(formatDate(start, locale));
      expect(f.time.format(new Date(start))).to.equal(formatTime(start, locale));
      expect(f.time.formatRange(new Date(start), new Date(end))).to.equal(formatTimeRange(start, end, locale));
      expect(f.list.format(['Sam Lee', 'Ana Ortiz', 'Lee Chan'])).to.equal(formatList(['Sam Lee', 'Ana Ortiz', 'Lee Chan'], locale));
    });
  }

  it('makes them once per locale', () => {
    expect(listFormatters('en')).to.equal(listFormatters('en'));
    expect(listFormatters('en')).not.to.equal(listFormatters('es'));
    expect(listFormatters('es').date.resolvedOptions().locale).to.equal('es');
  });
});
