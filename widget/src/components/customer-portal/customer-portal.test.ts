/// <reference types="mocha" />
// The loader in portal.js: what it does before and while the portal chunk arrives. The chunk itself
// is imported here directly (as portal.js would import dist/portal-app.js); the flows are in
// portal-app.test.ts, the built bundles in ../../embedding.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import '../../index.js';
import '../../portal-app.js';
import { API, FakeApi, find, settle, textOf } from '../../internal/test-fixtures.js';
import type { PortalApp } from '../portal-app/portal-app.js';
import type { CustomerPortal } from './customer-portal.js';

describe('<customer-portal> (the loader in portal.js)', () => {
  let api: FakeApi;
  let restore: () => void;
  const startUrl = `${location.pathname}${location.search}`;

  beforeEach(() => {
    api = new FakeApi();
    restore = api.install();
  });

  afterEach(() => {
    restore();
    history.replaceState(history.state, '', startUrl);
  });

  it('renders the portal with its business, its API resolved, and its language', async () => {
    const el = await fixture<CustomerPortal>(html`<customer-portal business="acme" api="${API}/" lang="es"></customer-portal>`);
    await settle(el, api);
    const app = el.shadowRoot!.querySelector('portal-app') as PortalApp;
    expect(app.business).to.equal('acme');
    expect(app.api).to.equal(API);
    expect(app.lang).to.equal('es');
    expect(api.requests[0]!.url).to.equal(`${API}/v1/b/acme`);
  });

  it('exports the portal’s parts so the page can style them with ::part()', async () => {
    const el = await fixture<CustomerPortal>(html`<customer-portal business="acme" api=${API}></customer-portal>`);
    await settle(el, api);
    const app = el.shadowRoot!.querySelector('portal-app')!;
    for (const part of ['base', 'header', 'nav', 'nav-item', 'badge', 'content', 'sign-in', 'notice', 'button']) {
      expect(app.getAttribute('exportparts')).to.include(part);
    }
    const style = document.createElement('style');
    style.textContent = 'customer-portal::part(sign-in) { border-color: rgb(255, 0, 0); }';
    document.head.append(style);
    try {
      expect(getComputedStyle(find(el, '[part="sign-in"]')).borderTopColor).to.equal('rgb(255, 0, 0)');
    } finally {
      style.remove();
    }
  });

  it('takes a sign-in token from the address bar as it connects, before anything is requested', async () => {
    history.replaceState(history.state, '', `${startUrl}#portal-token=good-token`);
    const el = document.createElement('customer-portal');
    el.setAttribute('business', 'acme');
    el.setAttribute('api', API);
    document.body.append(el);
    try {
      // Synchronously, as it connects.
      expect(location.hash).to.equal('');
      expect(api.requests).to.have.length(0);
      await settle(el, api);
      expect((el.shadowRoot!.querySelector('portal-app') as PortalApp).token).to.equal('good-token');
    } finally {
      el.remove();
    }
  });

  it('takes a token that arrives later, when a link is opened in a tab already showing the portal', async () => {
    const el = await fixture<CustomerPortal>(html`<customer-portal business="acme" api=${API}></customer-portal>`);
    await settle(el, api);
    expect(textOf(find(el, '#sign-in-heading'))).to.equal('Sign in to Acme Plumbing');
    location.hash = 'portal-token=good-token';
    await new Promise((resolve) => addEventListener('hashchange', resolve, { once: true }));
    await settle(el, api);
    expect(location.hash).to.equal('');
    expect(find(el, 'button.continue')).to.exist;
  });

  it('is accessible while loading and when loaded', async () => {
    const el = await fixture<CustomerPortal>(html`<customer-portal business="acme" api=${API}></customer-portal>`);
    await expect(el).to.be.accessible();
    await settle(el, api);
    await expect(el).to.be.accessible();
  });
});
