/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import '../../index.js';
import type { PortalLogin } from './portal-login.js';

function button(el: PortalLogin): HTMLButtonElement {
  const found = el.shadowRoot?.querySelector('button');
  if (!found) throw new Error('portal-login rendered no button');
  return found;
}

async function loadScript(doc: Document, src: string): Promise<void> {
  const script = doc.createElement('script');
  script.src = src;
  const loaded = new Promise<void>((resolve, reject) => {
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`could not load ${src} (run npm run build first)`)));
  });
  doc.head.append(script);
  await loaded;
}

describe('<portal-login>', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang');
  });

  it('renders a native login button in English', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="en"></portal-login>`);
    expect(button(el).textContent?.trim()).to.equal('Login to Portal');
    expect(button(el).getAttribute('part')).to.equal('button');
    expect(button(el).type).to.equal('button');
  });

  it('speaks Spanish when its lang attribute says so', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="es-MX"></portal-login>`);
    expect(button(el).textContent?.trim()).to.equal('Iniciar sesión en el portal');
  });

  it("follows the page's <html lang> when it has none of its own", async () => {
    document.documentElement.lang = 'es';
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing"></portal-login>`);
    expect(button(el).textContent?.trim()).to.equal('Iniciar sesión en el portal');
  });

  it('falls back to English for languages it does not know', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="fr"></portal-login>`);
    expect(button(el).textContent?.trim()).to.equal('Login to Portal');
  });

  it('uses the label attribute instead of the translation, and follows later changes', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="es" label="My account"></portal-login>`);
    expect(button(el).textContent?.trim()).to.equal('My account');

    // Fails if decorators compile to class fields that shadow Lit's accessors.
    el.label = 'Your bookings';
    await el.updateComplete;
    expect(button(el).textContent?.trim()).to.equal('Your bookings');
  });

  it('talks to the API named by its api attribute, else to the origin portal.js came from', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing"></portal-login>`);
    expect(el.apiBase).to.equal(location.origin);
    el.setAttribute('api', 'https://portal.example.com/doorstep/');
    expect(el.apiBase).to.equal('https://portal.example.com/doorstep');
  });

  it('is accessible', async () => {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing"></portal-login>`);
    await expect(el).to.be.accessible();
  });

  it('survives the built dist/portal.js being loaded twice, and finds its API where it came from', async () => {
    // A fresh window, so the bundle registers its own classes rather than meeting this file's.
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      const win = frame.contentWindow as Window & typeof globalThis;
      const doc = frame.contentDocument!;
      const errors: unknown[] = [];
      const warnings: unknown[][] = [];
      win.addEventListener('error', (event) => errors.push(event.error ?? event.message));
      win.console.warn = (...args: unknown[]) => warnings.push(args);

      // Served under another host name, so the script's origin differs from the page's.
      const src = new URL('/dist/portal.js', location.href);
      src.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      await loadScript(doc, src.href);
      await loadScript(doc, src.href);

      expect(errors).to.deep.equal([]);
      expect(warnings).to.deep.equal([]);
      expect(win.customElements.get('portal-login')).to.be.a('function');

      const el = doc.createElement('portal-login');
      doc.body.append(el);
      await el.updateComplete;
      expect(el.shadowRoot?.querySelector('button')?.textContent?.trim()).to.equal('Login to Portal');
      expect(el.apiBase).to.equal(src.origin);
      el.label = 'My account';
      await el.updateComplete;
      expect(el.shadowRoot?.querySelector('button')?.textContent?.trim()).to.equal('My account');
    } finally {
      frame.remove();
    }
  });
});
