/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import * as en from './en.js';
import * as es from './es.js';
import { formatDate, formatList, formatMoney, formatRetryAfter, formatTimeRange, formatTotals } from './format.js';
import { Localize, requestedLanguage } from './localize.js';

describe('translations', () => {
  it('Spanish has every English key, and no other (the compiler checks this too)', () => {
    for (const table of ['signIn', 'portal'] as const) {
      expect(Object.keys(es[table]).sort(), table).to.deep.equal(Object.keys(en[table]).sort());
      for (const [key, value] of Object.entries(en[table])) expect(typeof es[table][key as keyof (typeof es)[typeof table]], key).to.equal(typeof value);
    }
  });
});

describe('Localize', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  const tables = { en: { hello: 'Hello' }, es: { hello: 'Hola' } };

  it("reads the element's lang, then the closest lang around it through shadow roots, then <html lang>", async () => {
    const outer = await fixture<HTMLDivElement>(html`<div lang="es-MX"><span></span></div>`);
    const host = outer.querySelector('span')!;
    const inner = document.createElement('b');
    host.attachShadow({ mode: 'open' }).append(inner);
    expect(requestedLanguage(inner)).to.equal('es-MX');
    expect(new Localize(inner, tables).t.hello).to.equal('Hola');
    expect(new Localize(inner, tables).locale).to.equal('es-MX');

    const plain = await fixture<HTMLParagraphElement>(html`<p></p>`);
    document.documentElement.lang = 'es';
    expect(new Localize(plain, tables).t.hello).to.equal('Hola');
    document.documentElement.removeAttribute('lang');
    expect(new Localize(plain, tables).t.hello).to.equal('Hello');
    expect(new Localize(plain, tables, () => 'es').t.hello).to.equal('Hola');
  });

  it('unknown or malformed languages are English', async () => {
    for (const lang of ['fr', 'de-DE', 'es_MX', 'eso', '']) {
      const el = await fixture<HTMLParagraphElement>(html`<p lang=${lang}></p>`);
      expect(new Localize(el, tables).language, lang).to.equal('en');
    }
  });
});

describe('formatting', () => {
  it('money in minor units, in the currency’s own decimals', () => {
    expect(formatMoney(12500, 'usd', 'en')).to.equal('$125.00');
    expect(formatMoney(1500, 'jpy', 'en')).to.equal('¥1,500');
    expect(formatMoney(161250, 'usd', 'es')).to.match(/1612,50\s*US\$/);
    expect(formatTotals([{ currency: 'usd', amount: 100 }, { currency: 'eur', amount: 250 }], 'en')).to.equal('$1.00 and €2.50');
  });

  it('dates, time ranges and lists', () => {
    const start = new Date(2026, 2, 3, 8, 0).toISOString();
    const end = new Date(2026, 2, 3, 10, 0).toISOString();
    expect(formatDate(start, 'en')).to.equal('Tuesday, March 3, 2026');
    expect(formatDate(start, 'es')).to.equal('martes, 3 de marzo de 2026');
    expect(formatTimeRange(start, end, 'en')).to.match(/^8:00\s*–\s*10:00\sAM$/);
    expect(formatList(['Sam', 'Ana'], 'es')).to.equal('Sam y Ana');
  });

  it('when to try again', () => {
    expect(formatRetryAfter(45, 'en')).to.equal('in 45 seconds');
    expect(formatRetryAfter(1, 'en')).to.equal('in 1 second');
    expect(formatRetryAfter(150, 'en')).to.equal('in 3 minutes');
    expect(formatRetryAfter(45, 'es')).to.equal('dentro de 45 segundos');
  });
});
