/// <reference types="mocha" />
// The Invoices view on its own, with the contexts <portal-app> would provide (as portal-appointments.test.ts).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
import type { PortalInvoicePaidEvent } from '../../events/portal-invoice-paid.js';
import { stripeReturnTiming } from '../../internal/stripe-return.js';
import {
  captureNavigation,
  deepActiveElement,
  deferred,
  FakeApi,
  find,
  findAll,
  maybeFind,
  overflowing,
  provideContexts,
  replies,
  sampleInvoice,
  settle,
  textOf,
  type Answer,
  type Provided,
} from '../../internal/test-fixtures.js';
import type { PortalInvoices } from './portal-invoices.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const startUrl = `${location.pathname}${location.search}`;
const delays = stripeReturnTiming.delays;

let api: FakeApi;
let summaryRefreshed: number;

beforeEach(() => {
  api = new FakeApi();
  summaryRefreshed = 0;
  stripeReturnTiming.delays = [5, 5, 5];
});

afterEach(async () => {
  history.replaceState(history.state, '', startUrl);
  stripeReturnTiming.delays = delays;
  await setViewport({ width: 800, height: 600 });
});

async function view(options: { lang?: string; width?: number; invoiceId?: string; provided?: Provided } = {}): Promise<PortalInvoices> {
  const host = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'} style="width: ${options.width ?? 720}px"></div>`);
  provideContexts(host, {
    api: api.client(),
    session: { token: 'session-token', expiresAt: '2099-01-01T00:00:00Z' },
    business: api.business,
    shell: { summary: api.summary, refreshSummary: () => summaryRefreshed++ },
    ...options.provided,
  });
  const el = document.createElement('portal-invoices');
  if (options.invoiceId) el.invoiceId = options.invoiceId;
  host.append(el);
  await settle(el, api);
  return el;
}

const cards = (el: Element) => findAll(el, '[part="invoice"]');
const detail = (el: Element) => find(el, '[part="invoice-detail"]');
function viewButton(el: Element, number: string): HTMLButtonElement {
  const button = findAll<HTMLButtonElement>(el, 'button[id^="view-"]').find((b) => textOf(b).endsWith(number));
  if (!button) throw new Error(`no View button for ${number}`);
  return button;
}

async function open(el: PortalInvoices, number: string): Promise<void> {
  viewButton(el, number).click();
  await settle(el, api);
}

describe('<portal-invoices>', () => {
  it('lists unpaid invoices first, then past ones: number, date, due date, total, amount due, status', async () => {
    const el = await view();
    expect(api.calls('GET /invoices')).to.have.length(1);
    const [unpaid, past] = findAll(el, 'section.section');
    expect(textOf(find(unpaid!, 'h3'))).to.equal('Unpaid');
    expect(textOf(unpaid!)).to.include('2 unpaid invoices totaling $1,612.50.');
    expect(textOf(find(past!, 'h3'))).to.equal('Past invoices');
    expect(findAll(unpaid!, '[part="invoice"]').map((c) => textOf(find(c, 'h4')))).to.deep.equal(['Invoice INV-1001', 'Invoice INV-1000']);
    expect(findAll(past!, '[part="invoice"]').map((c) => textOf(find(c, 'h4')))).to.deep.equal(['Invoice INV-0998']);

    const [open, overdue, paid] = cards(el).map(textOf);
    const invoice = api.invoices[0]!;
    const day = (iso: string, timeZone?: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone }).format(new Date(iso));
    expect(open).to.include(`Date ${day(invoice.sentAt!)}`).and.include(`Due ${day(`${invoice.dueDate}T00:00:00Z`, 'UTC')}`);
    expect(open).to.include('Total $1,500.00').and.include('Amount due $1,500.00').and.include('Status: Unpaid');
    expect(overdue).to.include('Total $150.00').and.include('Amount due $112.50').and.include('Status: Overdue');
    expect(paid).to.include('Amount due $0.00').and.include('Status: Paid');
    expect(textOf(viewButton(el, 'INV-1001'))).to.equal('View invoice INV-1001');
    await expect(el).to.be.accessible();
  });

  it('an invoice in detail: dates, line items, subtotal, tax, total, amount paid, amount due, status; Back returns to it', async () => {
    const el = await view();
    await open(el, 'INV-1001');
    const card = detail(el);
    expect(deepActiveElement() === find(el, '#detail-heading'), 'focus is not on the invoice').to.equal(true);
    expect(textOf(find(card, 'h3'))).to.equal('Invoice INV-1001');
    const rows = findAll(card, 'tbody tr').map(textOf);
    expect(rows).to.deep.equal(['Water heater, 50 gal 1 × $1,250.00 $1,250.00', 'Labor (hours) 2 × $75.00 $150.00']);
    expect(find(card, 'caption').textContent).to.equal('Line items of Invoice INV-1001');
    expect(findAll(card, '.totals div').map(textOf)).to.deep.equal([
      'Subtotal $1,400.00',
      'Tax $100.00',
      'Total $1,500.00',
      'Amount paid $0.00',
      'Amount due $1,500.00',
    ]);
    expect(textOf(card)).to.include('Status: Unpaid').and.include('Due');
    await expect(el).to.be.accessible();

    const back = find<HTMLButtonElement>(el, '.back');
    expect(textOf(back)).to.equal('← All invoices');
    back.click();
    await settle(el, api);
    expect(cards(el)).to.have.length(3);
    expect(deepActiveElement() === viewButton(el, 'INV-1001'), 'focus did not return to the invoice').to.equal(true);
  });

  it('a paid invoice says when, and offers no Pay', async () => {
    api.business.features.payments = true;
    const el = await view();
    await open(el, 'INV-0998');
    expect(textOf(detail(el))).to.include('Paid on').and.include('Status: Paid').and.include('Amount paid $242.50');
    expect(maybeFind(el, '.pay') === undefined, 'Pay on a paid invoice').to.equal(true);
  });

  it('no Pay when the business takes no online payments', async () => {
    const el = await view();
    await open(el, 'INV-1001');
    expect(maybeFind(el, '.pay') === undefined, 'Pay without payments').to.equal(true);
  });

  it('Pay starts Stripe Checkout for the amount due and sends the browser there', async () => {
    api.business.features.payments = true;
    const held = deferred<Answer>();
    api.on('POST /invoices/inv_1001/checkout', () => held.promise);
    const navigation = captureNavigation();
    try {
      const el = await view();
      await open(el, 'INV-1001');
      const pay = find<HTMLButtonElement>(el, '.pay');
      expect(textOf(pay)).to.equal('Pay $1,500.00');
      expect(textOf(detail(el))).to.include("You'll pay on Stripe's secure page");
      pay.click();
      await settle(el);
      expect(textOf(pay)).to.equal('Opening secure checkout…');
      expect(pay.getAttribute('aria-disabled')).to.equal('true');
      expect(textOf(find(el, '[part="invoice-detail"] [role="status"]'))).to.equal('Opening secure checkout…');
      pay.click();
      expect(api.calls('POST /invoices/inv_1001/checkout')).to.have.length(1);
      // Only the id travels: the amount comes from the server's copy (SECURITY P1).
      expect(api.calls('POST /invoices/inv_1001/checkout')[0]!.body).to.equal(undefined);
      held.resolve(replies.json(200, { url: 'https://checkout.stripe.test/pay/cs_1' }));
      await settle(el, api);
      expect(navigation.urls).to.deep.equal(['https://checkout.stripe.test/pay/cs_1']);
      // No card field is ever drawn here (SECURITY E4).
      expect(maybeFind(el, 'input') === undefined, 'an input in the invoices view').to.equal(true);
    } finally {
      navigation.stop();
    }
  });

  it('Pay refused: already paid (shown as paid now), payments off, no network', async () => {
    api.business.features.payments = true;
    const el = await view();
    await open(el, 'INV-1001');
    api.on('POST /invoices/inv_1001/checkout', replies.apiError(503, 'payments_unavailable', 'Try again.'));
    find<HTMLButtonElement>(el, '.pay').click();
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal('Something went wrong. Please try again.');

    api.on('POST /invoices/inv_1001/checkout', 'network-error');
    find<HTMLButtonElement>(el, '.pay').click();
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.include("We couldn't reach the server.");

    api.on('POST /invoices/inv_1001/checkout', replies.apiError(409, 'payments_disabled', 'Off.'));
    find<HTMLButtonElement>(el, '.pay').click();
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal("Acme Plumbing isn't taking online payments right now. Please contact them to pay.");

    api.invoices[0] = sampleInvoice('open', { status: 'paid', amountPaid: 150000, amountDue: 0, paidAt: new Date().toISOString() });
    api.on('POST /invoices/inv_1001/checkout', replies.apiError(409, 'invoice_paid', 'Paid.'));
    find<HTMLButtonElement>(el, '.pay').click();
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal('This invoice is already paid.');
    expect(textOf(detail(el))).to.include('Status: Paid');
    expect(maybeFind(el, '.pay') === undefined, 'Pay stayed on a paid invoice').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('back from Checkout: takes the fragment out, says it is confirming, then that the payment was received', async () => {
    history.replaceState(history.state, '', `${startUrl}#tab=2&portal-checkout=success&invoice=inv_1001`);
    let looks = 0;
    const third = deferred<Answer>();
    api.on('GET /invoices/inv_1001', () => {
      looks++;
      if (looks < 3) return replies.json(200, api.invoices[0]);
      return third.promise;
    });
    const host = await fixture<HTMLDivElement>(html`<div lang="en"></div>`);
    provideContexts(host, {
      api: api.client(),
      business: api.business,
      shell: { summary: api.summary, refreshSummary: () => summaryRefreshed++ },
    });
    const paid = oneEvent(host, 'portal-invoice-paid') as Promise<PortalInvoicePaidEvent>;
    const el = document.createElement('portal-invoices');
    host.append(el);
    expect(location.hash).to.equal('#tab=2');
    await settle(el);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const notice = () => textOf(find(el, '[part="payment-notice"]'));
    expect(notice()).to.equal('Confirming your payment…');
    expect(find(el, '[part="payment-notice"]').closest('[role="status"]')).to.not.equal(null);
    expect(summaryRefreshed).to.equal(0);
    await expect(el).to.be.accessible();

    third.resolve(replies.json(200, sampleInvoice('open', { status: 'paid', amountPaid: 150000, amountDue: 0, paidAt: new Date().toISOString() })));
    const event = await paid;
    await settle(el, api);
    expect(looks).to.equal(3);
    expect(notice()).to.equal('Payment received — thank you. Invoice INV-1001 is paid; a receipt is on its way to your email.');
    expect(event.detail).to.deep.equal({ invoiceId: 'inv_1001', number: 'INV-1001', amount: 150000, currency: 'usd' });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(summaryRefreshed).to.equal(1);
    expect(textOf(detail(el))).to.include('Status: Paid').and.include('Amount due $0.00');
    find<HTMLButtonElement>(el, '.back').click();
    await settle(el, api);
    expect(textOf(cards(el).find((c) => textOf(c).includes('INV-1001'))!)).to.include('Status: Paid');
  });

  it('back from Checkout before the server knows: says the payment is processing, and Check again looks again', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-checkout=success&invoice=inv_1001`);
    const el = await view();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await settle(el, api);
    // Opened (not in the list yet), then looked at four times.
    expect(api.calls('GET /invoices/inv_1001')).to.have.length(5);
    expect(textOf(find(el, '[part="payment-notice"]'))).to.equal(
      "Your payment is being processed. It can take a minute to show here; you won't be charged twice.",
    );
    expect(summaryRefreshed).to.equal(0);

    api.invoices[0] = sampleInvoice('open', { status: 'paid', amountPaid: 150000, amountDue: 0 });
    const paid = oneEvent(el, 'portal-invoice-paid');
    find<HTMLButtonElement>(el, '.again').click();
    await paid;
    await settle(el, api);
    expect(textOf(find(el, '[part="payment-notice"]'))).to.include('Payment received — thank you.');
    expect(maybeFind(el, '.again') === undefined, 'Check again stayed').to.equal(true);
  });

  it('back from a canceled Checkout: a neutral note on the invoice, still payable', async () => {
    api.business.features.payments = true;
    history.replaceState(history.state, '', `${startUrl}#portal-checkout=canceled&invoice=inv_1001`);
    const el = await view();
    expect(location.hash).to.equal('');
    const notice = find(el, '[part="payment-notice"]');
    expect(textOf(notice)).to.equal("Payment canceled. You haven't been charged.");
    expect(notice.classList.contains('danger')).to.equal(false);
    // Opened, not waited on.
    expect(api.calls('GET /invoices/inv_1001')).to.have.length(1);
    expect(textOf(find(el, '.pay'))).to.equal('Pay $1,500.00');
    await expect(el).to.be.accessible();
  });

  it('opens the invoice an emailed link was about, and says when it is gone', async () => {
    api.invoices.push(sampleInvoice('paid', { id: 'inv_old', number: 'INV-0500' }));
    api.on('GET /invoices', replies.json(200, { data: api.invoices.slice(0, 3), nextCursor: 'more' }));
    const el = await view({ invoiceId: 'inv_old' });
    expect(api.calls('GET /invoices/inv_old')).to.have.length(1);
    expect(textOf(find(el, '#detail-heading'))).to.equal('Invoice INV-0500');
    el.focusHeading();
    expect(deepActiveElement() === find(el, '#detail-heading'), 'the shell focuses the invoice').to.equal(true);

    const gone = await view({ invoiceId: 'inv_missing' });
    expect(textOf(find(gone, '[role="alert"]'))).to.equal("We couldn't find that invoice. It may have been withdrawn.");
    await expect(gone).to.be.accessible();
  });

  it('empty, loading, failed', async () => {
    api.invoices = [];
    const empty = await view();
    expect(textOf(find(empty, '.state'))).to.equal('You have no invoices yet.');

    const held = deferred<Answer>();
    api.on('GET /invoices', () => held.promise);
    const loading = await view();
    expect(find(loading, '.cards').getAttribute('aria-busy')).to.equal('true');
    expect(textOf(find(loading, '[role="status"]'))).to.equal('Loading invoices…');
    await expect(loading).to.be.accessible();
    held.resolve(replies.apiError(500, 'internal_error', 'Oops.'));
    await settle(loading, api);
    const alert = find(loading, '[role="alert"]');
    expect(textOf(alert)).to.equal("We couldn't load your invoices. Try again");
    await expect(loading).to.be.accessible();
    api.on('GET /invoices', replies.json(200, { data: [sampleInvoice('paid')], nextCursor: null }));
    find<HTMLButtonElement>(alert, 'button').click();
    await settle(loading, api);
    expect(cards(loading)).to.have.length(1);
    // Nothing unpaid: the Unpaid section says so.
    expect(textOf(find(loading, 'section.section'))).to.include('You have no unpaid invoices.');
  });

  it('Show more brings the next page', async () => {
    api.on('GET /invoices', (request) =>
      request.query.get('cursor') === 'page-2'
        ? replies.json(200, { data: [sampleInvoice('paid', { id: 'inv_2', number: 'INV-0001' })], nextCursor: null })
        : replies.json(200, { data: api.invoices, nextCursor: 'page-2' }),
    );
    const el = await view();
    find<HTMLButtonElement>(el, 'button.more').click();
    await settle(el, api);
    expect(cards(el)).to.have.length(4);
    expect(maybeFind(el, 'button.more') === undefined, 'Show more stayed').to.equal(true);
  });

  it('renders what the business typed as text (SECURITY E3)', async () => {
    api.invoices[0] = sampleInvoice('open', {
      number: HOSTILE,
      lineItems: [{ description: HOSTILE, quantity: 1, unitAmount: 100, amount: 100 }],
    });
    const el = await view();
    await open(el, HOSTILE);
    expect(textOf(find(el, 'tbody td'))).to.include(HOSTILE);
    expect(textOf(find(el, '#detail-heading'))).to.equal(`Invoice ${HOSTILE}`);
    expect(maybeFind(el, 'img') === undefined, 'markup from the business was rendered').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('with the keyboard alone: open an invoice, pay, go back', async () => {
    api.business.features.payments = true;
    const navigation = captureNavigation();
    try {
      const el = await view();
      viewButton(el, 'INV-1001').focus();
      await sendKeys({ press: 'Enter' });
      await settle(el, api);
      expect(deepActiveElement() === find(el, '#detail-heading'), 'Enter did not open the invoice').to.equal(true);
      await sendKeys({ press: 'Tab' });
      expect(deepActiveElement()?.classList.contains('pay'), 'Tab did not reach Pay').to.equal(true);
      await sendKeys({ press: 'Space' });
      await settle(el, api);
      expect(navigation.urls).to.deep.equal(['https://checkout.stripe.test/pay/inv_1001']);
      find<HTMLButtonElement>(el, '.back').focus();
      await sendKeys({ press: 'Enter' });
      await settle(el, api);
      expect(deepActiveElement() === viewButton(el, 'INV-1001'), 'focus did not come back').to.equal(true);
    } finally {
      navigation.stop();
    }
  });

  it('in Spanish, money and dates too', async () => {
    api.business.features.payments = true;
    const el = await view({ lang: 'es' });
    expect(textOf(find(el, '[data-heading]'))).to.equal('Facturas');
    expect(textOf(cards(el)[0]!)).to.include('Factura INV-1001').and.include('Importe pendiente 1500,00 US$').and.include('Sin pagar');
    expect(textOf(cards(el)[1]!)).to.include('Vencida');
    await open(el, 'INV-1001');
    expect(textOf(detail(el))).to.include('Subtotal 1400,00 US$').and.include('Impuestos 100,00 US$').and.include('Labor (hours) 2 × 75,00 US$');
    expect(textOf(find(el, '.pay'))).to.equal('Pagar 1500,00 US$');
    await expect(el).to.be.accessible();
  });

  it('fits a 360 px phone', async () => {
    await setViewport({ width: 360, height: 740 });
    api.business.features.payments = true;
    api.invoices[0] = sampleInvoice('open', {
      lineItems: [{ description: 'Replacement of the anti-scald thermostatic mixing valve, including fittings', quantity: 12, unitAmount: 1234567, amount: 14814804 }],
    });
    const el = await view({ width: 328 });
    expect(overflowing(el), 'something sticks out of the list').to.deep.equal([]);
    await open(el, 'INV-1001');
    expect(overflowing(el), 'something sticks out of the invoice').to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
