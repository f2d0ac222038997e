/// <reference types="mocha" />
// The built bundles (run `npm run build` first) as a business's site meets them: dist/portal.js
// pasted twice, served from another origin (127.0.0.1 vs localhost), on a page whose CSS attacks
// everything and whose CSP is SECURITY E2's: scripts only from the server, no inline styles, and
// Trusted Types with only Lit's policy allowed.
import { expect, waitUntil } from '@open-wc/testing';
import { FakeApi, find, findAll, textOf } from './internal/test-fixtures.js';

const HOSTILE_CSS = `
  * { all: unset; }
  html { font-size: 72px; }
  body { font: 900 48px/3 Impact, serif; letter-spacing: 0.5em; text-transform: uppercase; color: red; text-align: center; }
  button, input, dialog, form, h2, p, div, nav, ul, li, span { display: none !important; }
  portal-login, customer-portal { font-size: 80px; letter-spacing: 1em; line-height: 5; }
`;

interface Page {
  win: Window & typeof globalThis;
  doc: Document;
  origin: string;
  errors: string[];
  violations: string[];
  warnings: unknown[][];
  api: FakeApi;
  frame: HTMLIFrameElement;
}

/** An iframe whose document is written from `body`, with the hostile CSS and the CSP. */
async function hostilePage(body: string, hash = ''): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 1024px; height: 900px; border: 0';
  document.body.append(frame);
  const win = frame.contentWindow as Window & typeof globalThis;
  const doc = frame.contentDocument!;

  // The script's origin is another host name for the same test server.
  const src = new URL('/dist/portal.js', location.href);
  src.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const csp = `default-src 'none'; script-src ${src.origin}; style-src 'none'; require-trusted-types-for 'script'; trusted-types lit-html`;

  const api = new FakeApi();
  const page: Page = { win, doc, origin: src.origin, errors: [], violations: [], warnings: [], api, frame };
  doc.open();
  // The API is the fake (the test server has none); everything else is real.
  win.fetch = api.fetch;
  win.addEventListener('error', (event) => page.errors.push(String(event.error ?? event.message)));
  win.addEventListener('unhandledrejection', (event) => page.errors.push(String(event.reason)));
  doc.addEventListener('securitypolicyviolation', (event) => page.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  win.console.warn = (...args: unknown[]) => page.warnings.push(args);
  if (hash) win.history.replaceState(null, '', `#${hash}`);
  // The page's own CSS comes first (a CSP from <meta> applies to what follows it).
  doc.write(`<!doctype html><html lang="en"><head><style>${HOSTILE_CSS}</style>
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <script src="${src.href}"></script>
    <script src="${src.href}" async></script>
    </head><body><h1>Springfield's best plumbers</h1>${body}</body></html>`);
  doc.close();
  await waitUntil(() => doc.readyState === 'complete', 'the page did not load', { timeout: 5000 });
  return page;
}

function visible(element: Element): DOMRect {
  const style = getComputedStyle(element);
  expect(style.display, `${element.localName} display`).to.not.equal('none');
  expect(style.visibility, `${element.localName} visibility`).to.equal('visible');
  const rect = element.getBoundingClientRect();
  expect(rect.width, `${element.localName} width`).to.be.greaterThan(20);
  expect(rect.height, `${element.localName} height`).to.be.greaterThan(20);
  return rect;
}

/** The element a click at the middle of `element` would land on (through the shadow root). */
function hitTest(element: Element): Element | null {
  element.scrollIntoView({ block: 'center' });
  const rect = element.getBoundingClientRect();
  return (element.getRootNode() as ShadowRoot).elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
}

describe('the built portal.js on a hostile page, loaded twice from another origin', function () {
  // Real network (for the scripts) and a whole sign-in.
  this.timeout(20_000);
  let page: Page | undefined;
  afterEach(() => page?.frame.remove());

  it('<portal-login> renders a visible, clickable button and its dialog works', async () => {
    page = await hostilePage('<portal-login business="acme"></portal-login>');
    const { win, doc, api } = page;
    const login = doc.querySelector('portal-login')!;
    await waitUntil(() => api.calls('GET ').length === 1 && login.shadowRoot?.querySelector('button'), 'portal-login did not render');
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Loaded twice: one definition, one lit-html, no warning, no error.
    expect(win.customElements.get('portal-login')).to.be.a('function');
    expect((win as unknown as { litHtmlVersions: string[] }).litHtmlVersions).to.have.length(1);

    const button = login.shadowRoot!.querySelector<HTMLButtonElement>('button[part="button"]')!;
    visible(button);
    expect(hitTest(button) === button, 'a click would not reach the button').to.equal(true);
    expect(button.textContent?.trim()).to.equal('Login to Portal');
    // The page's fonts do not reach inside.
    expect(parseFloat(getComputedStyle(button).fontSize)).to.be.lessThan(20);
    expect(getComputedStyle(button).letterSpacing).to.equal('normal');
    expect(getComputedStyle(button).textTransform).to.equal('none');
    // The business's brand colour, set through the CSSOM under style-src 'none'.
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(15, 118, 110)');
    // Its API is where the script came from.
    expect(api.requests[0]!.url).to.equal(`${page.origin}/v1/b/acme`);

    button.click();
    const dialog = login.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    await waitUntil(() => findAll(login, 'input').length === 1);
    const input = find<HTMLInputElement>(login, 'input');
    visible(input);
    visible(find(login, 'button[type="submit"]'));
    input.value = 'dana@example.com';
    find<HTMLFormElement>(login, 'form').requestSubmit();
    await waitUntil(() => findAll(login, '.sent').length === 1, 'the link was not requested');
    expect(textOf(find(login, '.sent'))).to.include('Check your email');

    expect(page.errors).to.deep.equal([]);
    expect(page.violations).to.deep.equal([]);
    expect(page.warnings).to.deep.equal([]);
  });

  it('<customer-portal> loads its chunk from the same origin and signs in from a link, under the strict CSP', async () => {
    page = await hostilePage('<customer-portal business="acme"></customer-portal>', 'portal-token=good-token');
    const { win, doc, api } = page;
    // Out of the address bar before anything was requested.
    expect(win.location.hash).to.equal('');
    const portal = doc.querySelector('customer-portal')!;
    await win.customElements.whenDefined('portal-app');
    await waitUntil(() => findAll(portal, 'button.continue').length === 1, 'the sign-in screen did not render', { timeout: 5000 });

    const chunk = win.performance.getEntriesByType('resource').find((entry) => entry.name.includes('portal-app.js'));
    expect(chunk?.name.startsWith(`${page.origin}/dist/portal-app.js?v=`), chunk?.name).to.equal(true);
    for (const entry of win.performance.getEntriesByType('resource')) expect(entry.name).to.not.include('good-token');
    for (const request of api.requests) {
      expect(request.url.startsWith(`${page.origin}/v1/b/acme`), request.url).to.equal(true);
      expect(request.url).to.not.include('good-token');
    }

    expect(textOf(find(portal, '#sign-in-heading'))).to.equal('Sign in to Acme Plumbing');
    const continueButton = find<HTMLButtonElement>(portal, 'button.continue');
    visible(continueButton);
    expect(hitTest(continueButton) === continueButton, 'a click would not reach Continue').to.equal(true);
    expect(parseFloat(getComputedStyle(continueButton).fontSize)).to.be.lessThan(20);

    continueButton.click();
    await waitUntil(() => findAll(portal, 'article').length === 2, 'did not sign in', { timeout: 5000 });
    expect(api.calls('POST /sessions')[0]!.body).to.deep.equal({ token: 'good-token' });
    expect(JSON.parse(win.localStorage.getItem('doorstep:acme:session')!).token).to.equal('session-token');
    visible(find(portal, '[part="nav"]'));
    expect(textOf(find(portal, '[data-heading]'))).to.equal('Appointments');

    expect(page.errors).to.deep.equal([]);
    expect(page.violations).to.deep.equal([]);
    expect(page.warnings).to.deep.equal([]);
    win.localStorage.removeItem('doorstep:acme:session');
  });
});
