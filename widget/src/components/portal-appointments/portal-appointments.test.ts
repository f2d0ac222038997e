/// <reference types="mocha" />
// The Appointments view on its own: the contexts <portal-app> would provide, provided by the test
// (the pattern for testing the other views).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
import type { PortalViewName } from '../../context/portal.js';
import {
  deepActiveElement,
  deferred,
  FakeApi,
  find,
  findAll,
  maybeFind,
  provideContexts,
  replies,
  sampleAppointment,
  sampleSummary,
  settle,
  textOf,
  type Answer,
  type Provided,
} from '../../internal/test-fixtures.js';
import type { PortalAppointments } from './portal-appointments.js';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi();
});

async function view(options: { lang?: string; provided?: Provided; navigate?: (view: PortalViewName) => void } = {}): Promise<PortalAppointments> {
  const host = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'}></div>`);
  provideContexts(host, {
    api: api.client(),
    session: { token: 'session-token', expiresAt: '2099-01-01T00:00:00Z' },
    business: api.business,
    shell: { summary: api.summary, navigate: options.navigate ?? (() => {}) },
    ...options.provided,
  });
  const el = document.createElement('portal-appointments');
  host.append(el);
  await settle(el, api);
  return el;
}

const cards = (el: Element) => findAll(el, 'article');

describe('<portal-appointments>', () => {
  it('lists upcoming appointments: date, arrival window, description, address, technicians, status', async () => {
    const el = await view();
    expect(api.calls('GET /appointments')[0]!.query.get('when')).to.equal('upcoming');
    expect(cards(el)).to.have.length(2);
    const [first, second] = cards(el).map(textOf);
    const start = new Date(api.appointments.upcoming[0]!.startsAt);
    expect(first).to.include(new Intl.DateTimeFormat('en', { dateStyle: 'full' }).format(start));
    expect(first).to.match(/Arrival window: 8:00\s*–\s*10:00\sAM/);
    expect(first).to.include('Water heater install').and.include('12 Elm St, Springfield').and.include('Technicians Sam Lee and Ana Ortiz');
    expect(first).to.include('Scheduled');
    // Without an arrival window: the start time, one technician.
    expect(second).to.match(/Starts at 8:00\sAM/);
    expect(second).to.include('Technician Sam Lee');
    expect(find(el, '[role="tab"][aria-selected="true"]').textContent?.trim()).to.equal('Upcoming');
    await expect(el).to.be.accessible();
  });

  it('shows only the details an appointment has: an address alone, technicians alone, or none', async () => {
    api.appointments.upcoming = [
      sampleAppointment(1, { id: 'apt_a', technicians: [] }),
      sampleAppointment(2, { id: 'apt_b', address: null }),
      sampleAppointment(3, { id: 'apt_c', address: null, technicians: [], description: 'Estimate visit' }),
    ];
    const el = await view();
    const [addressOnly, techniciansOnly, neither] = cards(el);
    const terms = (card: Element) => findAll(card, 'dt').map((dt) => dt.textContent?.trim());
    expect(terms(addressOnly!)).to.deep.equal(['Address']);
    expect(textOf(addressOnly!)).to.include('12 Elm St, Springfield');
    expect(terms(techniciansOnly!)).to.deep.equal(['Technicians']);
    expect(textOf(techniciansOnly!)).to.include('Sam Lee and Ana Ortiz');
    expect(maybeFind(neither!, 'dl')).to.equal(undefined);
    expect(textOf(neither!)).to.include('Estimate visit');
    await expect(el).to.be.accessible();
  });

  it('past appointments in their own tab, by click or by arrow keys', async () => {
    const el = await view();
    find<HTMLButtonElement>(el, '#tab-past').click();
    await settle(el, api);
    expect(api.calls('GET /appointments').at(-1)!.query.get('when')).to.equal('past');
    expect(textOf(cards(el)[0]!)).to.include('Leak repair').and.include('Completed');
    expect(textOf(cards(el)[1]!)).to.include('Canceled');
    expect(find(el, '#panel').getAttribute('aria-labelledby')).to.equal('tab-past');

    find<HTMLButtonElement>(el, '#tab-past').focus();
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el, api);
    expect(deepActiveElement() === find(el, '#tab-upcoming'), 'focus did not move to Upcoming').to.equal(true);
    expect(find(el, '#tab-upcoming').getAttribute('aria-selected')).to.equal('true');
    expect(find(el, '#tab-past').getAttribute('tabindex')).to.equal('-1');
    await sendKeys({ press: 'End' });
    await settle(el, api);
    expect(find(el, '#tab-past').getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('says how many invoices are unpaid and the total, with a link to them', async () => {
    let went: PortalViewName | undefined;
    api.summary = sampleSummary({ unpaidInvoices: { count: 2, totals: [{ currency: 'usd', amount: 161250 }, { currency: 'eur', amount: 3500 }] } });
    const el = await view({ navigate: (to) => (went = to) });
    const banner = find(el, '[part="banner"]');
    expect(textOf(banner)).to.include('You have 2 unpaid invoices totaling $1,612.50 and €35.00.');
    const link = find<HTMLButtonElement>(banner, 'button');
    expect(textOf(link)).to.equal('View invoices');
    link.click();
    expect(went).to.equal('invoices');

    api.business.features.payments = true;
    api.summary = sampleSummary({ unpaidInvoices: { count: 1, totals: [{ currency: 'usd', amount: 12500 }] } });
    const paying = await view();
    expect(textOf(find(paying, '[part="banner"]'))).to.include('You have 1 unpaid invoice for $125.00.').and.include('Pay invoices');
  });

  it('no banner when nothing is unpaid', async () => {
    api.summary = sampleSummary({ unpaidInvoices: { count: 0, totals: [] } });
    const el = await view();
    expect(maybeFind(el, '[part="banner"]') === undefined, 'a banner with nothing unpaid').to.equal(true);
  });

  it('empty: says so, and offers to ask for an appointment when messaging is on', async () => {
    api.appointments = { upcoming: [], past: [] };
    const el = await view();
    expect(textOf(find(el, '#panel'))).to.equal('You have no upcoming appointments.');

    api.business.features.messaging = true;
    let went: PortalViewName | undefined;
    const messaging = await view({ navigate: (to) => (went = to) });
    const request = find<HTMLButtonElement>(messaging, '#panel button');
    expect(textOf(request)).to.equal('Request an appointment');
    request.click();
    expect(went).to.equal('messages');
    find<HTMLButtonElement>(messaging, '#tab-past').click();
    await settle(messaging, api);
    expect(textOf(find(messaging, '#panel'))).to.equal('You have no past appointments.');
    await expect(messaging).to.be.accessible();
  });

  it('loading: busy placeholders, announced once', async () => {
    const held = deferred<Answer>();
    api.on('GET /appointments', () => held.promise);
    const el = await view();
    expect(find(el, '.cards').getAttribute('aria-busy')).to.equal('true');
    expect(textOf(find(el, '[role="status"]'))).to.equal('Loading appointments…');
    expect(findAll(el, '.skeleton')).to.have.length(2);
    await expect(el).to.be.accessible();
    held.resolve(replies.json(200, { data: [sampleAppointment(2)], nextCursor: null }));
    await settle(el, api);
    expect(cards(el)).to.have.length(1);
  });

  it('failed: says so, and Try again loads again', async () => {
    api.on('GET /appointments', replies.apiError(500, 'internal_error', 'Oops.'));
    const el = await view();
    const alert = find(el, '[role="alert"]');
    expect(textOf(alert)).to.equal("We couldn't load your appointments. Try again");
    await expect(el).to.be.accessible();
    api.on('GET /appointments', replies.json(200, { data: [sampleAppointment(3)], nextCursor: null }));
    find<HTMLButtonElement>(alert, 'button').click();
    await settle(el, api);
    expect(cards(el)).to.have.length(1);
  });

  it('Show more brings the next page', async () => {
    api.on('GET /appointments', (request) =>
      request.query.get('cursor') === 'page-2'
        ? replies.json(200, { data: [sampleAppointment(20, { id: 'apt_20', description: 'Second page' })], nextCursor: null })
        : replies.json(200, { data: api.appointments.upcoming, nextCursor: 'page-2' }),
    );
    const el = await view();
    const more = find<HTMLButtonElement>(el, 'button.more');
    expect(textOf(more)).to.equal('Show more');
    more.click();
    await settle(el, api);
    expect(cards(el)).to.have.length(3);
    expect(textOf(cards(el)[2]!)).to.include('Second page');
    expect(maybeFind(el, 'button.more') === undefined, 'Show more stayed with no more pages').to.equal(true);
  });

  it('in Spanish, dates and all', async () => {
    const el = await view({ lang: 'es' });
    expect(textOf(find(el, '[data-heading]'))).to.equal('Citas');
    const first = textOf(cards(el)[0]!);
    expect(first).to.include(new Intl.DateTimeFormat('es', { dateStyle: 'full' }).format(new Date(api.appointments.upcoming[0]!.startsAt)));
    expect(first).to.include('Franja de llegada').and.include('Técnicos Sam Lee y Ana Ortiz').and.include('Programada');
    expect(textOf(find(el, '[part="banner"]'))).to.include('Tienes 2 facturas sin pagar por un total de 1612,50 US$.');
    await expect(el).to.be.accessible();
  });
});
