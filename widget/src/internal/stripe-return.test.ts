/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { peekStripeReturn, stripeReturnTiming, takeStripeReturn, waitForStripe } from './stripe-return.js';

describe('Stripe return fragments', () => {
  const start = `${location.pathname}${location.search}`;
  const at = (hash: string) => history.replaceState(history.state, '', `${start}${hash}`);
  afterEach(() => at(''));

  it('say which view reports them, and what happened', () => {
    at('#portal-checkout=success&invoice=inv_1');
    expect(peekStripeReturn()).to.deep.equal({ view: 'invoices', outcome: 'success', invoiceId: 'inv_1' });
    at('#portal-payment-methods=added');
    expect(peekStripeReturn()).to.deep.equal({ view: 'payment-methods', outcome: 'added' });
    at('#portal-token=abc');
    expect(peekStripeReturn()).to.equal(null);
    // Peeking changes nothing.
    expect(location.hash).to.equal('#portal-token=abc');
  });

  it('are taken out of the address bar by their view only, leaving the rest and history alone', () => {
    at('#tab=2&portal-checkout=canceled&invoice=inv_9&x=1');
    const length = history.length;
    expect(takeStripeReturn('payment-methods')).to.equal(null);
    expect(location.hash).to.equal('#tab=2&portal-checkout=canceled&invoice=inv_9&x=1');
    expect(takeStripeReturn('invoices')).to.deep.equal({ view: 'invoices', outcome: 'canceled', invoiceId: 'inv_9' });
    expect(location.hash).to.equal('#tab=2&x=1');
    expect(history.length).to.equal(length);
    expect(takeStripeReturn('invoices')).to.equal(null);

    at('#portal-payment-methods=added');
    expect(takeStripeReturn('payment-methods')?.outcome).to.equal('added');
    expect(location.href).to.not.include('#');
  });

  it('waitForStripe looks until it finds, pausing between looks, and gives up after the last pause', async () => {
    const delays = stripeReturnTiming.delays;
    stripeReturnTiming.delays = [1, 1, 1];
    try {
      let looks = 0;
      const signal = new AbortController().signal;
      expect(await waitForStripe(async () => (++looks === 3 ? 'found' : undefined), signal)).to.equal('found');
      looks = 0;
      expect(await waitForStripe(async () => void looks++, signal)).to.equal(undefined);
      expect(looks).to.equal(4);
      const aborted = new AbortController();
      const waiting = waitForStripe(async () => undefined, aborted.signal);
      aborted.abort();
      let threw = false;
      await waiting.catch(() => (threw = true));
      expect(threw).to.equal(true);
    } finally {
      stripeReturnTiming.delays = delays;
    }
  });
});
