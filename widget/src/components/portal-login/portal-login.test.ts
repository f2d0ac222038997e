/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../index.js';
import type { PortalLoginLinkSentEvent } from '../../events/portal-login-link-sent.js';
import { API, deferred, FakeApi, find, maybeFind, replies, textOf, deepActiveElement, type Answer } from '../../internal/test-fixtures.js';
import type { PortalLogin } from './portal-login.js';

function button(el: PortalLogin): HTMLButtonElement {
  const found = el.shadowRoot?.querySelector<HTMLButtonElement>('button[part="button"]');
  if (!found) throw new Error('portal-login rendered no button');
  return found;
}

const dialog = (el: PortalLogin) => find<HTMLDialogElement>(el, 'dialog');
const input = (el: PortalLogin) => find<HTMLInputElement>(el, 'input[type="email"]');
const submit = (el: PortalLogin) => find<HTMLButtonElement>(el, 'button[type="submit"]');
const status = (el: PortalLogin) => textOf(find(el, '[role="status"]'));
const alert = (el: PortalLogin) => maybeFind(el, '[role="alert"]');

/** Types into the email field and submits the form, as a person pressing Enter would; resolves once the answer shows. */
async function submitEmail(el: PortalLogin, email: string): Promise<void> {
  input(el).value = email;
  find<HTMLFormElement>(el, 'form').requestSubmit();
  await settle(el);
  await waitUntil(() => status(el) === '', 'still sending');
  await settle(el);
}

/** Lets the element and its form finish rendering. */
async function settle(el: PortalLogin): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await el.updateComplete;
    await find<HTMLElement & { updateComplete: Promise<void> }>(el, 'portal-sign-in-form').updateComplete;
  }
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
  let api: FakeApi;
  let restore: () => void;

  beforeEach(() => {
    api = new FakeApi();
    restore = api.install();
  });

  afterEach(() => {
    restore();
    document.documentElement.removeAttribute('lang');
    for (const open of document.querySelectorAll('portal-login')) open.shadowRoot?.querySelector('dialog')?.close();
  });

  // The profile is asked for once per page and API, so each test gets an API of its own.
  let apis = 0;
  const freshApi = () => `${API}/${++apis}`;

  async function login(lang = 'en'): Promise<PortalLogin> {
    const el = await fixture<PortalLogin>(html`<portal-login business="acme" api=${freshApi()} lang=${lang}></portal-login>`);
    await waitUntil(() => api.calls('GET ').length === 1, 'the profile was not requested');
    await aTimeout(10);
    await settle(el);
    return el;
  }

  async function open(el: PortalLogin): Promise<void> {
    button(el).click();
    await settle(el);
    await waitUntil(() => deepActiveElement() === input(el), 'focus did not move to the email field');
  }

  describe('the button', () => {
    it('renders a native login button in English', async () => {
      const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="en"></portal-login>`);
      expect(button(el).textContent?.trim()).to.equal('Login to Portal');
      expect(button(el).getAttribute('part')).to.equal('button');
      expect(button(el).type).to.equal('button');
      expect(button(el).getAttribute('aria-haspopup')).to.equal('dialog');
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

    it('follows the closest lang around it, and changes when it changes', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div lang="es"><portal-login business="acme"></portal-login></div>`);
      const el = wrapper.querySelector('portal-login')!;
      await el.updateComplete;
      expect(button(el).textContent?.trim()).to.equal('Iniciar sesión en el portal');
      el.lang = 'en';
      await el.updateComplete;
      expect(button(el).textContent?.trim()).to.equal('Login to Portal');
    });

    it('falls back to English for languages it does not know', async () => {
      const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="fr"></portal-login>`);
      expect(button(el).textContent?.trim()).to.equal('Login to Portal');
    });

    it("uses the business's default language when the page says none", async () => {
      api.business.language = 'es';
      document.documentElement.removeAttribute('lang');
      const el = await fixture<PortalLogin>(html`<portal-login business="acme" api=${freshApi()}></portal-login>`);
      await waitUntil(() => button(el).textContent?.trim() === 'Iniciar sesión en el portal', 'did not switch to Spanish');
    });

    it('uses the label attribute instead of the translation, and follows later changes', async () => {
      const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing" lang="es" label="My account"></portal-login>`);
      expect(button(el).textContent?.trim()).to.equal('My account');

      el.label = 'Your bookings';
      await el.updateComplete;
      expect(button(el).textContent?.trim()).to.equal('Your bookings');
      expect(el.getAttribute('label')).to.equal('Your bookings');
    });

    it('talks to the API named by its api attribute, else to the origin portal.js came from', async () => {
      const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing"></portal-login>`);
      expect(el.apiBase).to.equal(location.origin);
      el.setAttribute('api', 'https://portal.example.com/doorstep/');
      expect(el.apiBase).to.equal('https://portal.example.com/doorstep');
    });

    it("takes the business's brand colour as its accent, with readable text on it", async () => {
      api.business.brandColor = '#0f766e';
      const el = await login();
      await waitUntil(() => getComputedStyle(button(el)).backgroundColor === 'rgb(15, 118, 110)', 'brand colour not applied');
      expect(getComputedStyle(button(el)).color).to.equal('rgb(255, 255, 255)');

      api.business.brandColor = '#fde047'; // a light yellow: dark text
      const light = await fixture<PortalLogin>(html`<portal-login business="acme" api=${freshApi()}></portal-login>`);
      await waitUntil(() => getComputedStyle(button(light)).backgroundColor === 'rgb(253, 224, 71)', 'light brand colour not applied');
      expect(getComputedStyle(button(light)).color).to.equal('rgb(0, 0, 0)');
    });

    it('lets the page override the accent with --portal-color-primary', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="--portal-color-primary: rgb(200, 0, 100); --portal-color-on-primary: rgb(0, 0, 0)"><portal-login business="acme" api=${freshApi()}></portal-login></div>`,
      );
      const el = wrapper.querySelector('portal-login')!;
      await waitUntil(() => api.calls('GET ').length === 1);
      await settle(el);
      expect(getComputedStyle(button(el)).backgroundColor).to.equal('rgb(200, 0, 100)');
      expect(getComputedStyle(button(el)).color).to.equal('rgb(0, 0, 0)');
    });

    it('asks for the profile once however many buttons the page has', async () => {
      const base = freshApi();
      await fixture(html`<div><portal-login business="acme" api=${base}></portal-login><portal-login business="acme" api=${base}></portal-login></div>`);
      await waitUntil(() => api.calls('GET ').length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(api.calls('GET ')).to.have.length(1);
    });

    it('still works when the profile cannot be loaded', async () => {
      api.on('GET ', 'network-error');
      const el = await login();
      await open(el);
      expect(textOf(find(el, 'h2'))).to.equal('Sign in to your portal');
      await submitEmail(el, 'dana@example.com');
      expect(textOf(find(el, '.sent'))).to.include('Check your email');
    });

    it('is accessible', async () => {
      const el = await fixture<PortalLogin>(html`<portal-login business="acme-plumbing"></portal-login>`);
      await expect(el).to.be.accessible();
    });
  });

  describe('the dialog', () => {
    it('opens a modal dialog titled with the business name, with focus in the email field', async () => {
      const el = await login();
      expect(dialog(el).open).to.equal(false);
      await open(el);
      expect(dialog(el).open).to.equal(true);
      expect(dialog(el).matches(':modal')).to.equal(true);
      expect(textOf(find(el, '#title'))).to.equal('Sign in to Acme Plumbing');
      expect(dialog(el).getAttribute('aria-labelledby')).to.equal('title');
      expect(find(el, 'label').textContent?.trim()).to.equal('Email address');
      expect(input(el).labels?.[0]?.textContent?.trim()).to.equal('Email address');
      await expect(el).to.be.accessible();
    });

    it('closes with its close button, Escape, or a click on the backdrop, and gives focus back to the button', async () => {
      const el = await login();
      await open(el);
      find<HTMLButtonElement>(el, '.close').click();
      expect(dialog(el).open).to.equal(false);
      await waitUntil(() => deepActiveElement() === button(el), 'focus did not return to the button');

      await open(el);
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialog(el).open, 'Escape did not close the dialog');
      await waitUntil(() => deepActiveElement() === button(el));

      await open(el);
      dialog(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      expect(dialog(el).open).to.equal(false);
    });

    it('can be used with the keyboard alone', async () => {
      const el = await login();
      button(el).focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => deepActiveElement() === input(el), 'Enter did not open the dialog with focus in the field');
      await sendKeys({ type: 'dana@example.com' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => maybeFind(el, '.sent'), 'Enter did not submit');
      expect(deepActiveElement() === find(el, '.sent'), 'focus is elsewhere').to.equal(true);
      await sendKeys({ press: 'Tab' });
      expect(deepActiveElement()?.textContent?.trim()).to.equal('Use a different email');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => deepActiveElement() === input(el), 'focus did not return to the field');
      expect(input(el).value).to.equal('dana@example.com');
    });
  });

  describe('requesting a link', () => {
    it('sends: the button is busy and the wait is announced, then "Check your email" with the address', async () => {
      const held = deferred<Answer>();
      api.on('POST /login-links', () => held.promise);
      const el = await login();
      await open(el);
      input(el).value = 'dana@example.com';
      find<HTMLFormElement>(el, 'form').requestSubmit();
      await settle(el);

      expect(submit(el).getAttribute('aria-disabled')).to.equal('true');
      expect(find(el, 'form').getAttribute('aria-busy')).to.equal('true');
      expect(submit(el).textContent?.trim()).to.equal('Sending…');
      expect(status(el)).to.equal('Sending…');
      expect(input(el).readOnly).to.equal(true);
      // A second press while sending sends nothing more.
      find<HTMLFormElement>(el, 'form').requestSubmit();
      expect(api.calls('POST /login-links')).to.have.length(1);
      await expect(el).to.be.accessible();

      const sent = oneEvent(el, 'portal-login-link-sent') as Promise<PortalLoginLinkSentEvent>;
      held.resolve(replies.json(202, { status: 'accepted' }));
      const event = await sent;
      await settle(el);

      expect(event.detail).to.deep.equal({ email: 'dana@example.com' });
      expect(event.bubbles && event.composed).to.equal(true);
      expect(api.calls('POST /login-links')[0]!.body).to.deep.equal({ email: 'dana@example.com' });
      const message = find(el, '.sent');
      expect(textOf(message)).to.include('Check your email').and.include('dana@example.com');
      expect(deepActiveElement() === message, 'focus is elsewhere').to.equal(true);
      expect(status(el)).to.equal('');
      await expect(el).to.be.accessible();
    });

    it('sends no cookies and no Referer, and the address trimmed', async () => {
      const el = await login();
      await open(el);
      await submitEmail(el, '  dana@example.com ');
      const [request] = api.calls('POST /login-links');
      expect(request!.body).to.deep.equal({ email: 'dana@example.com' });
      expect(request!.init.credentials).to.equal('omit');
      expect(request!.init.referrerPolicy).to.equal('no-referrer');
      expect(request!.headers.get('Content-Type')).to.equal('application/json');
      expect(request!.url).to.match(new RegExp(`^${API}/\\d+/v1/b/acme/login-links$`));
    });

    it('an invalid address: an inline error tied to the field, focus on the field, nothing sent', async () => {
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@');

      const error = find(el, '#email-error');
      expect(textOf(error)).to.equal('Enter an email like name@example.com.');
      expect(input(el).getAttribute('aria-invalid')).to.equal('true');
      expect(input(el).getAttribute('aria-describedby')).to.equal('email-error');
      expect(deepActiveElement() === input(el), 'focus is elsewhere').to.equal(true);
      expect(api.calls('POST /login-links')).to.have.length(0);
      await expect(el).to.be.accessible();

      await submitEmail(el, '');
      expect(textOf(find(el, '#email-error'))).to.equal('Enter your email address.');

      // The server has the last word on what an address is.
      api.on('POST /login-links', replies.apiError(400, 'invalid_body', 'email: Invalid email address'));
      await submitEmail(el, 'dana@localhost');
      expect(textOf(find(el, '#email-error'))).to.equal('Enter an email like name@example.com.');

      api.on('POST /login-links', replies.json(202, { status: 'accepted' }));
      await submitEmail(el, 'dana@example.com');
      expect(maybeFind(el, '#email-error') === undefined, 'the error stayed').to.equal(true);
      expect(maybeFind(el, '.sent') !== undefined, 'not sent').to.equal(true);
    });

    it('too many requests: says when to try again (from Retry-After) and waits until then', async () => {
      api.on('POST /login-links', replies.apiError(429, 'rate_limited', 'Too many attempts.', { retryAfter: 45 }, { 'Retry-After': '45' }));
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@example.com');

      expect(textOf(alert(el)!)).to.equal('Too many attempts. You can try again in 45 seconds.');
      expect(submit(el).getAttribute('aria-disabled')).to.equal('true');
      find<HTMLFormElement>(el, 'form').requestSubmit();
      expect(api.calls('POST /login-links')).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('too many requests, in minutes and in Spanish', async () => {
      api.on('POST /login-links', replies.apiError(429, 'rate_limited', 'Too many attempts.', {}, { 'Retry-After': '150' }));
      const el = await login('es');
      await open(el);
      await submitEmail(el, 'dana@example.com');
      expect(textOf(alert(el)!)).to.equal('Demasiados intentos. Puedes volver a intentarlo dentro de 3 minutos.');
    });

    it('the rate limit lifts by itself once the time has passed', async () => {
      api.on('POST /login-links', replies.apiError(429, 'rate_limited', 'Too many attempts.', {}, { 'Retry-After': '1' }));
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@example.com');
      expect(alert(el) !== undefined, 'missing').to.equal(true);
      await waitUntil(() => !alert(el), 'the rate limit message stayed', { timeout: 3000 });
      expect(submit(el).getAttribute('aria-disabled')).to.equal('false');
    });

    it('a network failure: says so, and the retry button sends again', async () => {
      api.on('POST /login-links', 'network-error');
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@example.com');

      expect(textOf(alert(el)!)).to.include("We couldn't reach the server.");
      await expect(el).to.be.accessible();

      api.on('POST /login-links', replies.json(202, { status: 'accepted' }));
      const retry = find<HTMLButtonElement>(alert(el)!, 'button');
      expect(retry.textContent?.trim()).to.equal('Try again');
      retry.click();
      await waitUntil(() => maybeFind(el, '.sent'), 'retrying did not send');
      expect(api.calls('POST /login-links')).to.have.length(2);
      expect(api.calls('POST /login-links')[1]!.body).to.deep.equal({ email: 'dana@example.com' });
    });

    it('a server failure: a plain apology and a retry', async () => {
      api.on('POST /login-links', replies.apiError(500, 'internal_error', 'Something went wrong on our side.'));
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@example.com');
      expect(textOf(alert(el)!)).to.equal('Something went wrong. Please try again. Try again');
    });

    it('closing after "Check your email" brings the form back next time', async () => {
      const el = await login();
      await open(el);
      await submitEmail(el, 'dana@example.com');
      find<HTMLButtonElement>(el, '.close').click();
      await open(el);
      expect(maybeFind(el, '.sent') === undefined, 'should not be there').to.equal(true);
      expect(input(el).value).to.equal('dana@example.com');
    });

    it('in Spanish from start to end', async () => {
      api.business.name = 'Fontanería Acme';
      const el = await login('es');
      await open(el);
      expect(textOf(find(el, '#title'))).to.equal('Inicia sesión en Fontanería Acme');
      expect(find(el, 'label').textContent?.trim()).to.equal('Correo electrónico');
      expect(submit(el).textContent?.trim()).to.equal('Enviarme un enlace de acceso');
      expect(find(el, '.close').getAttribute('aria-label')).to.equal('Cerrar');
      await submitEmail(el, 'x');
      expect(textOf(find(el, '#email-error'))).to.equal('Escribe un correo como nombre@ejemplo.com.');
      await submitEmail(el, 'dana@example.com');
      expect(textOf(find(el, '.sent'))).to.include('Revisa tu correo').and.include('dana@example.com');
      expect(find(el, '.base').getAttribute('lang')).to.equal('es');
      await expect(el).to.be.accessible();
    });

    it("renders the business's name as text, never as markup (E3)", async () => {
      api.business.name = '<img src=x onerror=window.__pwned=1>';
      const el = await login();
      await open(el);
      expect(textOf(find(el, '#title'))).to.equal('Sign in to <img src=x onerror=window.__pwned=1>');
      expect(maybeFind(el, 'img') === undefined, 'should not be there').to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    });
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
