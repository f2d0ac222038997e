/// <reference types="mocha" />
// The Payment methods view on its own, with the contexts <portal-app> would provide (as portal-appointments.test.ts).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
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
  sampleCard,
  settle,
  textOf,
  type Answer,
} from '../../internal/test-fixtures.js';
import type { PortalPaymentMethods } from './portal-payment-methods.js';

const startUrl = `${location.pathname}${location.search}`;
const delays = stripeReturnTiming.delays;
const knownKey = 'doorstep:acme:cards-before-setup';

let api: FakeApi;

beforeEach(() => {
  api = new FakeApi();
  api.business.features.payments = true;
  stripeReturnTiming.delays = [5, 5, 5];
  sessionStorage.removeItem(knownKey);
});

afterEach(async () => {
  history.replaceState(history.state, '', startUrl);
  stripeReturnTiming.delays = delays;
  sessionStorage.removeItem(knownKey);
  await setViewport({ width: 800, height: 600 });
});

async function view(options: { lang?: string; width?: number } = {}): Promise<PortalPaymentMethods> {
  const host = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'} style="width: ${options.width ?? 720}px"></div>`);
  provideContexts(host, {
    api: api.client(),
    session: { token: 'session-token', expiresAt: '2099-01-01T00:00:00Z' },
    business: api.business,
  });
  const el = document.createElement('portal-payment-methods');
  host.append(el);
  await settle(el, api);
  return el;
}

const cards = (el: Element) => findAll(el, '[part="card"]');
const dialog = (el: Element) => find<HTMLDialogElement>(el, 'dialog');
const button = (root: Element, label: string) => {
  const found = findAll<HTMLButtonElement>(root, 'button').find((b) => textOf(b).startsWith(label));
  if (!found) throw new Error(`no button ${label}`);
  return found;
};

describe('<portal-payment-methods>', () => {
  it('lists the cards on file: brand, last 4, expiry, which is the default', async () => {
    const el = await view();
    expect(api.calls('GET /payment-methods')).to.have.length(1);
    const [visa, mastercard] = cards(el);
    expect(textOf(find(visa!, 'h3'))).to.equal('Visa ending in 4242');
    expect(textOf(visa!)).to.include('Expires 04/2030').and.include('Default');
    expect(maybeFind(visa!, 'button:not(.remove)') === undefined, 'Make default on the default card').to.equal(true);
    expect(textOf(find(mastercard!, 'h3'))).to.equal('Mastercard ending in 4444');
    expect(textOf(mastercard!)).to.include('Expires 12/2029').and.not.include('Default');
    expect(textOf(button(mastercard!, 'Make default'))).to.equal('Make default (Mastercard ending in 4444)');
    expect(textOf(button(mastercard!, 'Remove'))).to.equal('Remove (Mastercard ending in 4444)');
    expect(textOf(el)).to.include('Cards Acme Plumbing can charge for your invoices.');
    // No card field is ever drawn here (SECURITY E4).
    expect(maybeFind(el, 'input') === undefined, 'an input in the payment-methods view').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('an expired card says so; an unknown brand reads as a card', async () => {
    api.cards = [sampleCard({ id: 'pm_old', brand: 'unknown', last4: '0005', expMonth: 1, expYear: 2020, isDefault: false })];
    const el = await view();
    expect(textOf(cards(el)[0]!)).to.include('Card ending in 0005').and.include('Expired 01/2020');
  });

  it('Add a card opens Stripe Checkout in setup mode', async () => {
    const held = deferred<Answer>();
    api.on('POST /payment-methods/setup', () => held.promise);
    const navigation = captureNavigation();
    try {
      const el = await view();
      const add = find<HTMLButtonElement>(el, '.add');
      expect(textOf(add)).to.equal('Add a card');
      add.click();
      await settle(el);
      expect(textOf(add)).to.equal('Opening secure page…');
      expect(add.getAttribute('aria-disabled')).to.equal('true');
      add.click();
      expect(api.calls('POST /payment-methods/setup')).to.have.length(1);
      held.resolve(replies.json(200, { url: 'https://checkout.stripe.test/setup/cs_9' }));
      await settle(el, api);
      expect(navigation.urls).to.deep.equal(['https://checkout.stripe.test/setup/cs_9']);
      expect(JSON.parse(sessionStorage.getItem(knownKey)!)).to.deep.equal(['pm_visa', 'pm_mc']);
    } finally {
      navigation.stop();
    }
  });

  it('Add a card refused or unreachable: says so', async () => {
    api.on('POST /payment-methods/setup', 'network-error');
    const el = await view();
    find<HTMLButtonElement>(el, '.add').click();
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.include("We couldn't reach the server.");
    await expect(el).to.be.accessible();
  });

  it('back from Stripe with a card added: takes the fragment out, says it is adding, then "Card added" once it is listed', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-payment-methods=added`);
    sessionStorage.setItem(knownKey, JSON.stringify(['pm_visa', 'pm_mc']));
    let looks = 0;
    const held = deferred<Answer>();
    api.on('GET /payment-methods', () => {
      looks++;
      return looks < 3 ? replies.json(200, { data: api.cards, nextCursor: null }) : held.promise;
    });
    const el = await view();
    expect(location.hash).to.equal('');
    await waitUntil(() => looks === 3, 'did not look again');
    const notice = () => textOf(find(el, '.live .notice'));
    expect(notice()).to.equal('Adding your card…');
    await expect(el).to.be.accessible();

    const added = sampleCard({ id: 'pm_amex', brand: 'amex', last4: '0005', expMonth: 9, expYear: 2031, isDefault: false });
    held.resolve(replies.json(200, { data: [...api.cards, added], nextCursor: null }));
    await waitUntil(() => notice().startsWith('Card added'), 'no Card added');
    expect(notice()).to.equal('Card added: American Express ending in 0005.');
    expect(cards(el).map((c) => textOf(find(c, 'h3')))).to.include('American Express ending in 0005');
    expect(sessionStorage.getItem(knownKey)).to.equal(null);
  });

  it('back from Stripe before the card shows: says it is still being saved, and Check again looks again', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-payment-methods=added`);
    api.cards = [];
    const el = await view();
    await waitUntil(() => maybeFind(el, '.again'), 'no Check again');
    expect(textOf(find(el, '.live .notice'))).to.equal('Your card is still being saved. It can take a minute to show here.');
    expect(textOf(find(el, '.state'))).to.equal('You have no cards on file.');
    api.cards = [sampleCard()];
    find<HTMLButtonElement>(el, '.again').click();
    await waitUntil(() => textOf(find(el, '.live .notice')).startsWith('Card added'), 'no Card added');
    expect(cards(el)).to.have.length(1);
  });

  it('back from a canceled setup: a neutral note', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-payment-methods=canceled`);
    const el = await view();
    expect(location.hash).to.equal('');
    expect(textOf(find(el, '.live .notice'))).to.equal('No card was added.');
    expect(api.calls('GET /payment-methods')).to.have.length(1);
  });

  it('Make default: the list as the server answers it, announced, focus on the card', async () => {
    const el = await view();
    button(cards(el)[1]!, 'Make default').click();
    await settle(el, api);
    expect(api.calls('POST /payment-methods/pm_mc/default')).to.have.length(1);
    expect(textOf(find(el, '.live[role="status"]'))).to.equal('Mastercard ending in 4444 is now your default card.');
    const [visa, mastercard] = cards(el);
    expect(textOf(mastercard!)).to.include('Default');
    expect(textOf(visa!)).to.not.include('Default');
    expect(textOf(button(visa!, 'Make default'))).to.include('Visa');
    expect(deepActiveElement() === find(el, '#card-pm_mc'), 'focus is not on the card').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('Remove asks first, in a dialog; Cancel keeps the card', async () => {
    const el = await view();
    const remove = button(cards(el)[1]!, 'Remove');
    remove.focus();
    remove.click();
    await settle(el, api);
    expect(dialog(el).open).to.equal(true);
    expect(textOf(find(dialog(el), 'h3'))).to.equal('Remove Mastercard ending in 4444?');
    expect(textOf(find(dialog(el), 'p'))).to.equal("Acme Plumbing won't be able to charge it any more.");
    // The safe choice has focus.
    expect(textOf(deepActiveElement()!)).to.equal('Cancel');
    await expect(el).to.be.accessible();
    button(dialog(el), 'Cancel').click();
    await waitUntil(() => deepActiveElement() === remove, 'focus did not return to Remove');
    expect(api.calls('DELETE /payment-methods/pm_mc')).to.have.length(0);
    expect(cards(el)).to.have.length(2);
  });

  it('Remove, confirmed: gone from the list, announced, focus on Add a card', async () => {
    const el = await view();
    button(cards(el)[0]!, 'Remove').click();
    await settle(el, api);
    expect(textOf(dialog(el))).to.include("It's your default card.");
    button(dialog(el), 'Remove card').click();
    await waitUntil(() => deepActiveElement() === maybeFind(el, '.add'), 'focus is not on Add a card');
    expect(api.calls('DELETE /payment-methods/pm_visa')).to.have.length(1);
    expect(dialog(el).open).to.equal(false);
    expect(cards(el).map((c) => textOf(find(c, 'h3')))).to.deep.equal(['Mastercard ending in 4444']);
    expect(textOf(find(el, '.live[role="status"]'))).to.equal('Visa ending in 4242 was removed.');
    await expect(el).to.be.accessible();
  });

  it('Remove failing says so in the dialog and keeps the card', async () => {
    api.on('DELETE /payment-methods/pm_mc', 'network-error');
    const el = await view();
    button(cards(el)[1]!, 'Remove').click();
    await settle(el, api);
    button(dialog(el), 'Remove card').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), '[role="alert"]'))).to.include("We couldn't reach the server.");
    expect(dialog(el).open).to.equal(true);
    await expect(el).to.be.accessible();
    button(dialog(el), 'Cancel').click();
    // The dialog's close event comes in a task of its own, not always before settle()'s timers.
    await waitUntil(() => maybeFind(el, '[role="alert"]') === undefined, 'the error outlived its dialog');
    expect(cards(el)).to.have.length(2);
  });

  it('remove with the keyboard alone', async () => {
    const el = await view();
    button(cards(el)[1]!, 'Remove').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    expect(textOf(deepActiveElement()!)).to.equal('Cancel');
    await sendKeys({ press: 'Shift+Tab' });
    expect(textOf(deepActiveElement()!)).to.equal('Remove card');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement() === maybeFind(el, '.add'), 'focus is not on Add a card');
    expect(api.calls('DELETE /payment-methods/pm_mc')).to.have.length(1);
    expect(cards(el)).to.have.length(1);
  });

  it('empty, loading, failed', async () => {
    api.cards = [];
    expect(textOf(find(await view(), '.state'))).to.equal('You have no cards on file.');

    const held = deferred<Answer>();
    api.on('GET /payment-methods', () => held.promise);
    const el = await view();
    expect(textOf(find(el, '[aria-busy] [role="status"]'))).to.equal('Loading your cards…');
    await expect(el).to.be.accessible();
    held.resolve(replies.apiError(500, 'internal_error', 'Oops.'));
    await settle(el, api);
    expect(textOf(find(el, '[role="alert"]'))).to.equal("We couldn't load your cards. Try again");
    api.on('GET /payment-methods', replies.json(200, { data: [sampleCard()], nextCursor: null }));
    find<HTMLButtonElement>(el, '[role="alert"] button').click();
    await settle(el, api);
    expect(cards(el)).to.have.length(1);
  });

  it('without online payments: no Add a card, and it says why', async () => {
    api.business.features.payments = false;
    const el = await view();
    expect(maybeFind(el, '.add') === undefined, 'Add a card without payments').to.equal(true);
    expect(textOf(el)).to.include("Acme Plumbing isn't taking online payments right now, so cards can't be added.");
  });

  it('in Spanish', async () => {
    const el = await view({ lang: 'es' });
    expect(textOf(find(el, '[data-heading]'))).to.equal('Métodos de pago');
    expect(textOf(cards(el)[0]!)).to.include('Visa terminada en 4242').and.include('Vence 04/2030').and.include('Predeterminada');
    expect(textOf(find(el, '.add'))).to.equal('Añadir una tarjeta');
    button(cards(el)[1]!, 'Eliminar').click();
    await settle(el, api);
    expect(textOf(find(dialog(el), 'h3'))).to.equal('¿Eliminar Mastercard terminada en 4444?');
    await expect(el).to.be.accessible();
  });

  it('fits a 360 px phone, dialog included', async () => {
    await setViewport({ width: 360, height: 740 });
    const el = await view({ width: 328 });
    expect(overflowing(el), 'something sticks out').to.deep.equal([]);
    button(cards(el)[1]!, 'Remove').click();
    await settle(el, api);
    const box = dialog(el).getBoundingClientRect();
    expect(box.left).to.be.at.least(0);
    expect(box.right).to.be.at.most(360);
    await expect(el).to.be.accessible();
  });
});
