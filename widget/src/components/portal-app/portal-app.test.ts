/// <reference types="mocha" />
// The portal as a customer meets it: <customer-portal> on a page, the shell inside it, a fake API.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../index.js';
import '../../portal-app.js';
import type { PortalSignedInEvent } from '../../events/portal-signed-in.js';
import type { PortalSignedOutEvent } from '../../events/portal-signed-out.js';
import {
  API,
  deepActiveElement,
  deferred,
  FakeApi,
  find,
  findAll,
  maybeFind,
  replies,
  settle,
  textOf,
  type Answer,
} from '../../internal/test-fixtures.js';
import { saveSession, sessionKey } from '../../session/session-store.js';
import type { CustomerPortal } from '../customer-portal/customer-portal.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const FUTURE = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000).toISOString();

let api: FakeApi;
let restore: () => void;
const startUrl = `${location.pathname}${location.search}`;

beforeEach(() => {
  api = new FakeApi();
  restore = api.install();
  localStorage.removeItem(sessionKey('acme'));
});

afterEach(() => {
  restore();
  localStorage.removeItem(sessionKey('acme'));
  history.replaceState(history.state, '', startUrl);
});

async function mount(options: { lang?: string; width?: number } = {}): Promise<CustomerPortal> {
  const el = await fixture<CustomerPortal>(
    html`<customer-portal business="acme" api=${API} lang=${options.lang ?? 'en'} style="display: block; width: ${options.width ?? 960}px"></customer-portal>`,
  );
  await settle(el, api);
  return el;
}

/** Signed in already: a session from an earlier visit is in the page's storage. */
async function mountSignedIn(options: { lang?: string; width?: number } = {}): Promise<CustomerPortal> {
  saveSession('acme', { token: 'session-token', expiresAt: FUTURE });
  api.sessions.add('session-token');
  return mount(options);
}

const heading = (el: Element) => textOf(find(el, '[data-heading], #sign-in-heading'));
const navItem = (el: Element, label: string) => {
  const item = findAll<HTMLButtonElement>(el, '.nav-item, .message-button').find((b) => textOf(b).startsWith(label));
  if (!item) throw new Error(`no navigation item ${label}`);
  return item;
};
const navLabels = (el: Element) => findAll(el, '.nav-item').map((b) => textOf(b.querySelector('span')!));
const isShown = (element: Element | undefined) => !!element && getComputedStyle(element).display !== 'none' && element.getClientRects().length > 0;

describe('<customer-portal> signing in from an emailed link (SPEC §3.2)', () => {
  it('takes the token out of the address bar before any request, and asks before using it (SECURITY L4, L9)', async () => {
    history.replaceState(history.state, '', `${startUrl}#section=2&portal-token=good-token`);
    const resourcesBefore = performance.getEntriesByType('resource').length;
    const el = await mount();

    expect(location.href).to.not.include('good-token');
    expect(location.hash).to.equal('#section=2');
    expect(api.requests.length).to.be.greaterThan(0);
    for (const request of api.requests) expect(request.url).to.not.include('good-token');
    for (const entry of performance.getEntriesByType('resource').slice(resourcesBefore)) expect(entry.name).to.not.include('good-token');
    // Opening the link changed nothing: only the profile was asked for.
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET ']);

    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    const continueButton = find<HTMLButtonElement>(el, 'button.continue');
    expect(textOf(continueButton)).to.equal('Continue');
    await expect(el).to.be.accessible();
  });

  it('Continue signs in: the session is stored, portal-signed-in fires, the appointments open with focus on their heading', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    const el = await mount();
    const signedIn = oneEvent(el, 'portal-signed-in') as Promise<PortalSignedInEvent>;
    find<HTMLButtonElement>(el, 'button.continue').click();
    const event = await signedIn;
    await settle(el, api);

    const [exchange] = api.calls('POST /sessions');
    expect(exchange!.body).to.deep.equal({ token: 'good-token' });
    expect(exchange!.url).to.equal(`${API}/v1/b/acme/sessions`);
    expect(event.detail).to.deep.equal({ customer: { id: 'cus_1', name: 'Dana Rivera', email: 'dana@example.com' } });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(JSON.parse(localStorage.getItem('doorstep:acme:session')!)).to.deep.include({ token: 'session-token' });

    expect(heading(el)).to.equal('Appointments');
    expect(deepActiveElement() === find(el, '[data-heading]'), 'focus is not on the heading').to.equal(true);
    expect(api.calls('GET /summary')[0]!.authorization).to.equal('Bearer session-token');
    expect(textOf(el)).to.include('Signed in as Dana Rivera');
  });

  it('shows that it is signing in while the exchange runs', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    const held = deferred<Answer>();
    api.on('POST /sessions', () => held.promise);
    const el = await mount();
    const button = find<HTMLButtonElement>(el, 'button.continue');
    button.click();
    await settle(el);
    expect(textOf(button)).to.equal('Signing in…');
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    button.click();
    expect(api.calls('POST /sessions')).to.have.length(1);
    held.resolve(replies.apiError(401, 'invalid_link', 'Not valid.'));
    await settle(el, api);
  });

  it('an expired link: a new one has been sent, and the portal says where', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=old-token`);
    api.expired.set('old-token', { maskedEmail: 'j•••@example.com', resent: true });
    const el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);

    const notice = find(el, '[part="notice"]');
    expect(textOf(notice)).to.equal("That link has expired — we've sent a new one to j•••@example.com.");
    expect(notice.getAttribute('role')).to.equal('status');
    // The email form stays at hand, for another address.
    expect(maybeFind(el, 'portal-sign-in-form') !== undefined, 'no email form').to.equal(true);
    expect(maybeFind(el, 'button.continue') === undefined, 'Continue is still offered').to.equal(true);
    expect(deepActiveElement() === find(el, '#sign-in-heading'), 'focus is not on the heading').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('an expired link when a fresh one went out moments ago, or with no address on file', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=old-token`);
    api.expired.set('old-token', { maskedEmail: 'j•••@example.com', resent: false });
    let el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(textOf(find(el, '[part="notice"]'))).to.equal('That link has expired. We sent a new link to j•••@example.com a moment ago — please use the newest email.');

    history.replaceState(history.state, '', `${startUrl}#portal-token=older-token`);
    api.expired.set('older-token', { maskedEmail: null, resent: false });
    el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(textOf(find(el, '[part="notice"]'))).to.equal('That link has expired. Enter your email to get a new one.');
  });

  it('an unknown link: says so and shows the email form', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=nonsense`);
    const el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);

    const notice = find(el, '[part="notice"]');
    expect(textOf(notice)).to.equal("That sign-in link isn't valid. Enter your email to get a new one.");
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(maybeFind(el, 'input[type="email"]') !== undefined, 'no email field').to.equal(true);
    expect(localStorage.getItem(sessionKey('acme'))).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('too many attempts or no network: says so, and Continue works again afterwards', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    api.on('POST /sessions', replies.apiError(429, 'rate_limited', 'Too many attempts.', { retryAfter: 30 }, { 'Retry-After': '30' }));
    const el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(textOf(find(el, '[part="notice"]'))).to.equal('Too many attempts. You can try again in 30 seconds.');

    api.on('POST /sessions', 'network-error');
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(textOf(find(el, '[part="notice"]'))).to.include("We couldn't reach the server.");

    api.on('POST /sessions', (request) => (request.body.token === 'good-token' ? { status: 201, body: { session: { token: 'session-token', expiresAt: FUTURE, idleExpiresAt: FUTURE }, customer: api.customer, landing: null } } : 'network-error'));
    api.sessions.add('session-token');
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(heading(el)).to.equal('Appointments');
  });

  it('a link about an invoice opens the Invoices view', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    api.landing = { type: 'invoice', id: 'inv_7' };
    const el = await mount();
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(heading(el)).to.equal('Invoices');
    expect(find<HTMLElement & { invoiceId?: string }>(el, 'portal-invoices').invoiceId).to.equal('inv_7');
  });

  it('a link opened while signed in signs in afresh, on Continue only', async () => {
    saveSession('acme', { token: 'old-session', expiresAt: FUTURE });
    api.sessions.add('old-session');
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    const el = await mount();
    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    find<HTMLButtonElement>(el, 'button.continue').click();
    await settle(el, api);
    expect(JSON.parse(localStorage.getItem(sessionKey('acme'))!).token).to.equal('session-token');
  });
});

describe('<customer-portal> signed out', () => {
  it('shows the email form, the same one as <portal-login>, under "Sign in to {Business}"', async () => {
    const el = await mount();
    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    const form = find(el, 'portal-sign-in-form');
    expect(form.localName).to.equal('portal-sign-in-form');
    const sent = oneEvent(el, 'portal-login-link-sent');
    find<HTMLInputElement>(el, 'input[type="email"]').value = 'dana@example.com';
    find<HTMLFormElement>(el, 'form').requestSubmit();
    expect((await sent).detail).to.deep.equal({ email: 'dana@example.com' });
    await settle(el, api);
    expect(textOf(find(el, '.sent'))).to.include('Check your email').and.include('dana@example.com');
    expect(api.calls('POST /login-links')[0]!.url).to.equal(`${API}/v1/b/acme/login-links`);
    await expect(el).to.be.accessible();
  });

  it('a stored session that has ended is not used', async () => {
    saveSession('acme', { token: 'session-token', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const el = await mount();
    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    expect(localStorage.getItem(sessionKey('acme'))).to.equal(null);
    expect(api.calls('GET /summary').every((r) => r.authorization === null)).to.equal(true);
  });

  it('says so when the business cannot be found, and can try again', async () => {
    api.on('GET ', replies.apiError(403, 'origin_not_allowed', 'http://localhost is not an allowed origin.'));
    const warn = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const el = await mount();
      expect(textOf(find(el, '[part="notice"]'))).to.equal("This portal isn't available right now. Please try again later.");
      expect(String(warnings[0]?.[0])).to.include('origin_not_allowed');
      api.on('GET ', replies.json(200, api.business));
      find<HTMLButtonElement>(el, '.center button').click();
      await settle(el, api);
      expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    } finally {
      console.warn = warn;
    }
  });
});

describe('<customer-portal> signed in (SPEC §3.3)', () => {
  it("shows the business's header and the navigation with badges from the summary", async () => {
    api.business.logoUrl = 'https://acme.test/logo.png';
    const el = await mountSignedIn();
    const header = find(el, '[part="header"]');
    expect(textOf(header)).to.include('Acme Plumbing').and.include('+1 555 0100').and.include('office@acme.test').and.include('1 Main St, Springfield');
    expect(find<HTMLImageElement>(header, 'img').src).to.equal('https://acme.test/logo.png');
    expect(find<HTMLAnchorElement>(header, 'a[href^="tel:"]').getAttribute('href')).to.equal('tel:+15550100');
    expect(find<HTMLAnchorElement>(header, 'a[href^="mailto:"]').getAttribute('href')).to.equal('mailto:office@acme.test');

    expect(navLabels(el)).to.deep.equal(['Appointments', 'Invoices', 'Estimates']);
    expect(textOf(find(navItem(el, 'Invoices'), '.badge'))).to.equal('2');
    expect(textOf(navItem(el, 'Invoices'))).to.include('(2 unpaid)');
    expect(textOf(find(navItem(el, 'Estimates'), '.badge'))).to.equal('1');
    expect(navItem(el, 'Appointments').getAttribute('aria-current')).to.equal('page');
    expect(maybeFind(el, '.message-button') === undefined, 'messaging is off').to.equal(true);
    expect(textOf(el)).to.include('Signed in as Dana Rivera');
    expect(api.calls('GET /me')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('shows Payment methods and Send a message only when the business has them', async () => {
    api.business.features = { payments: true, messaging: true };
    api.summary.openEstimates = 0;
    const el = await mountSignedIn();
    expect(navLabels(el)).to.deep.equal(['Appointments', 'Invoices', 'Estimates', 'Payment methods']);
    expect(maybeFind(navItem(el, 'Estimates'), '.badge') === undefined, 'no badge for zero').to.equal(true);
    navItem(el, 'Send a message').click();
    await settle(el, api);
    expect(heading(el)).to.equal('Send a message');
    navItem(el, 'Payment methods').click();
    await settle(el, api);
    expect(heading(el)).to.equal('Payment methods');
  });

  it('moves between views, each heading taking focus', async () => {
    const el = await mountSignedIn();
    for (const label of ['Invoices', 'Estimates', 'Appointments']) {
      navItem(el, label).click();
      await settle(el, api);
      expect(heading(el)).to.equal(label);
      expect(navItem(el, label).getAttribute('aria-current')).to.equal('page');
      expect(deepActiveElement() === find(el, '[data-heading]'), `focus is not on the ${label} heading`).to.equal(true);
      await expect(el).to.be.accessible();
    }
    expect(textOf(find(el, 'portal-appointments'))).to.include('Upcoming');
  });

  it('can be used with the keyboard alone', async () => {
    const el = await mountSignedIn();
    navItem(el, 'Appointments').focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement() === navItem(el, 'Invoices'), 'Tab did not reach Invoices').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await settle(el, api);
    expect(heading(el)).to.equal('Invoices');
    expect(deepActiveElement() === find(el, '[data-heading]'), 'focus is not on the heading').to.equal(true);

    navItem(el, 'Appointments').focus();
    await sendKeys({ press: 'Space' });
    await settle(el, api);
    expect(heading(el)).to.equal('Appointments');
    // Tab from the heading reaches the tabs; the arrow keys switch them.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.getAttribute('role')).to.equal('tab');
    await sendKeys({ press: 'ArrowRight' });
    await settle(el, api);
    expect(textOf(deepActiveElement() as Element)).to.equal('Past');
    expect(api.calls('GET /appointments').at(-1)!.query.get('when')).to.equal('past');
  });

  it('on a narrow host (360 px) the navigation folds into a Menu under the header', async () => {
    const el = await mountSignedIn({ width: 360 });
    const menu = find<HTMLButtonElement>(el, '.menu-button');
    expect(isShown(menu), 'no Menu button').to.equal(true);
    expect(isShown(find(el, '.nav-panel')), 'navigation shown while folded').to.equal(false);
    expect(menu.getAttribute('aria-expanded')).to.equal('false');
    expect(find(el, '[part="content"]').getBoundingClientRect().width).to.be.greaterThan(300);
    await expect(el).to.be.accessible();

    menu.click();
    await settle(el, api);
    expect(menu.getAttribute('aria-expanded')).to.equal('true');
    expect(isShown(find(el, '.nav-panel')), 'menu did not open').to.equal(true);
    await expect(el).to.be.accessible();

    navItem(el, 'Invoices').focus();
    await sendKeys({ press: 'Escape' });
    await settle(el, api);
    expect(isShown(find(el, '.nav-panel')), 'Escape did not close the menu').to.equal(false);
    expect(deepActiveElement() === menu, 'focus did not return to Menu').to.equal(true);

    menu.click();
    await settle(el, api);
    navItem(el, 'Estimates').click();
    await settle(el, api);
    expect(heading(el)).to.equal('Estimates');
    expect(isShown(find(el, '.nav-panel')), 'choosing did not close the menu').to.equal(false);
  });

  it('on a wide host the navigation is at the left, with no Menu button', async () => {
    const el = await mountSignedIn({ width: 1000 });
    expect(isShown(maybeFind(el, '.menu-button')), 'Menu button on a wide host').to.equal(false);
    const nav = find(el, '.nav-panel').getBoundingClientRect();
    const content = find(el, '[part="content"]').getBoundingClientRect();
    expect(nav.right).to.be.at.most(content.left);
    expect(Math.abs(nav.top - content.top)).to.be.lessThan(2);
  });

  it('sign out ends the session on the server and here, and says so', async () => {
    const el = await mountSignedIn();
    const signedOut = oneEvent(el, 'portal-signed-out') as Promise<PortalSignedOutEvent>;
    find<HTMLButtonElement>(el, '[part="sign-out"]').click();
    expect((await signedOut).detail).to.deep.equal({ reason: 'user' });
    await settle(el, api);

    const [request] = api.calls('DELETE /session');
    expect(request!.authorization).to.equal('Bearer session-token');
    expect(api.sessions.has('session-token')).to.equal(false);
    expect(localStorage.getItem(sessionKey('acme'))).to.equal(null);
    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    expect(textOf(find(el, '[part="notice"]'))).to.equal("You're signed out.");
    expect(maybeFind(el, 'portal-sign-in-form') !== undefined, 'no email form').to.equal(true);
    expect(deepActiveElement() === find(el, '#sign-in-heading'), 'focus is not on the heading').to.equal(true);
  });

  it('a session the server ended (401 on any call) returns to signing in, saying why', async () => {
    const el = await mountSignedIn();
    expect(heading(el)).to.equal('Appointments');
    api.sessions.clear(); // revoked on the server
    const signedOut = oneEvent(el, 'portal-signed-out') as Promise<PortalSignedOutEvent>;
    find<HTMLButtonElement>(el, '[role="tab"]:not([aria-selected="true"])').click();
    expect((await signedOut).detail).to.deep.equal({ reason: 'session-ended' });
    await settle(el, api);

    expect(heading(el)).to.equal('Sign in to Acme Plumbing');
    const notice = find(el, '[part="notice"]');
    expect(textOf(notice)).to.equal('Your session has ended. Please sign in again.');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(localStorage.getItem(sessionKey('acme'))).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish', async () => {
    api.business.features = { payments: true, messaging: true };
    const el = await mountSignedIn({ lang: 'es' });
    expect(navLabels(el)).to.deep.equal(['Citas', 'Facturas', 'Presupuestos', 'Métodos de pago']);
    expect(textOf(navItem(el, 'Facturas'))).to.include('(2 sin pagar)');
    expect(heading(el)).to.equal('Citas');
    expect(textOf(el)).to.include('Próximas').and.include('Sesión iniciada como Dana Rivera').and.include('Cerrar sesión').and.include('Enviar un mensaje');
    expect(find(el, '.base').getAttribute('lang')).to.equal('es');
    await expect(el).to.be.accessible();
  });

  it('every view is accessible', async () => {
    api.business.features = { payments: true, messaging: true };
    const el = await mountSignedIn();
    for (const label of ['Invoices', 'Estimates', 'Payment methods', 'Send a message', 'Appointments']) {
      navItem(el, label).click();
      await settle(el, api);
      expect(heading(el)).to.equal(label);
      await expect(el).to.be.accessible();
    }
  });

  it("renders the business's and the customer's data as text, never as markup (SECURITY E3)", async () => {
    api.business = { ...api.business, name: HOSTILE, phone: HOSTILE, email: HOSTILE, address: HOSTILE };
    api.customer = { ...api.customer, name: HOSTILE };
    api.appointments.upcoming = [{ ...api.appointments.upcoming[0]!, description: HOSTILE, address: HOSTILE, technicians: [HOSTILE] }];
    const el = await mountSignedIn();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(textOf(find(el, '[part="business-name"]'))).to.equal(HOSTILE);
    expect(textOf(el)).to.include(`Signed in as ${HOSTILE}`);
    expect(textOf(find(el, 'article'))).to.include(HOSTILE);
    expect(findAll(el, 'img')).to.have.length(0);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);

    find<HTMLButtonElement>(el, '[part="sign-out"]').click();
    await settle(el, api);
    expect(heading(el)).to.equal(`Sign in to ${HOSTILE}`);
    expect(findAll(el, 'img')).to.have.length(0);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });
});
