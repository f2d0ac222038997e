import { html, nothing } from 'lit/html.js';
import { apiBase, chunkUrl } from '../../config.js';
import * as en from '../../i18n/en.js';
import * as es from '../../i18n/es.js';
import { Localize } from '../../i18n/localize.js';
import { LiteElement } from '../../internal/lite-element.js';
import { claimPortalToken } from '../../session/portal-token.js';
import { buttons, reset } from '../../styles/tokens.js';
import styles from './customer-portal.styles.js';

type Status = 'loading' | 'ready' | 'failed';

let failures = 0;

/**
 * import(), not a <script>: under `require-trusted-types-for 'script'` assigning script.src throws,
 * while import() of a URL is allowed (the chunk is an ES module, so it is fetched with CORS). The
 * browser imports a URL once per page; after a failure the retry asks for another URL.
 */
async function loadPortalApp(): Promise<void> {
  if (!customElements.get('portal-app')) {
    try {
      await import(failures ? `${chunkUrl}&retry=${failures}` : chunkUrl);
    } catch (error) {
      failures++;
      throw error;
    }
  }
  await customElements.whenDefined('portal-app');
}

/**
 * @summary The customer portal (SPEC §3.2–3.3): signing in from an emailed link, then the
 * customer's appointments, invoices, estimates, messages and cards. portal.js defines this element
 * but loads the portal itself (portal-app.js, beside portal.js) only when one is on the page.
 * @tag customer-portal
 *
 * @event {PortalSignedInEvent} portal-signed-in - The customer signed in; `detail.customer` is `{ id, name, email }`.
 * @event {PortalSignedOutEvent} portal-signed-out - The session ended; `detail.reason` is `user` (Sign out) or `session-ended` (expired or revoked).
 * @event {PortalLoginLinkSentEvent} portal-login-link-sent - A sign-in link was requested from the sign-in screen; `detail.email`.
 * @event {PortalInvoicePaidEvent} portal-invoice-paid - The server confirmed an invoice payment; `detail` has `invoiceId, number, amount, currency`.
 * @event {PortalEstimateApprovedEvent} portal-estimate-approved - The customer approved an estimate; `detail` has `estimateId, number, optionId`.
 * @event {PortalEstimateDeclinedEvent} portal-estimate-declined - The customer declined an estimate; `detail` has `estimateId, number, reason`.
 * @event {PortalMessageSentEvent} portal-message-sent - The customer sent the business a message; `detail` has `messageId, kind`.
 *
 * @csspart base - The portal's outermost wrapper.
 * @csspart header - The business's header: logo, name, phone, email, address.
 * @csspart logo - The business's logo.
 * @csspart business-name - The business's name in the header.
 * @csspart contact - The phone, email and address list in the header.
 * @csspart menu-button - The Menu button that opens the navigation on narrow screens.
 * @csspart nav - The navigation.
 * @csspart nav-item - Each navigation button (the current one has `aria-current="page"`).
 * @csspart badge - The counts on Invoices (unpaid) and Estimates (open).
 * @csspart sign-out - The Sign out button.
 * @csspart content - The area where the current view shows.
 * @csspart sign-in - The sign-in screen.
 * @csspart notice - Messages such as "That link has expired".
 * @csspart button - Primary buttons (Continue, Send a message).
 *
 * @cssproperty --portal-color-primary - Accent: buttons, links, focus rings, the current navigation item, badges. Default: the business's brand colour.
 * @cssproperty --portal-color-on-primary - Text on the accent colour. Default: white or black, whichever contrasts more with the brand colour.
 * @cssproperty --portal-color-surface - Background of the dialog, cards and menus. Default: `#ffffff`.
 * @cssproperty --portal-color-text - Text. Default: `#1f2937`.
 * @cssproperty --portal-color-muted - Secondary text and field borders. Default: `#4b5563`.
 * @cssproperty --portal-color-danger - Errors. Default: `#b91c1c`.
 * @cssproperty --portal-color-border - Borders and dividers. Default: `#d1d5db`.
 * @cssproperty --portal-color-focus - The focus ring. Default: the accent colour.
 * @cssproperty --portal-font-family - Font. Default: the system UI font.
 * @cssproperty --portal-font-size - Base font size; everything scales from it. Default: the browser's default size (`medium`), not the page's.
 * @cssproperty --portal-radius - Corner radius. Default: `0.5em`.
 * @cssproperty --portal-space - Spacing unit between blocks. Default: `1em`.
 */
export class CustomerPortal extends LiteElement {
  static override styles = [reset, buttons, styles];
  static override attributes = ['lang', 'business', 'api'];

  private readonly localize = new Localize(this, { en: en.signIn, es: es.signIn });
  /** A sign-in link's token, taken out of the address bar when this element first connects. */
  private token: string | null = null;
  private tokenClaimed = false;

  private status: Status = 'loading';

  /** The business's public id (its slug), as in the snippet. */
  declare business: string;

  /** Base URL of the Doorstep server; defaults to the origin portal.js was loaded from. */
  declare api: string;

  override connectedCallback(): void {
    if (!this.tokenClaimed) {
      this.tokenClaimed = true;
      this.token = claimPortalToken();
    }
    // A link opened in a tab that already shows the portal changes only the fragment: no reload.
    addEventListener('hashchange', this.onHashChange);
    if (this.status !== 'ready') void this.load();
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.onHashChange);
  }

  private readonly onHashChange = (): void => {
    const token = claimPortalToken();
    if (token) {
      this.token = token;
      this.requestUpdate();
    }
  };

  private async load(): Promise<void> {
    this.show('loading');
    try {
      await loadPortalApp();
      this.show('ready');
    } catch (error) {
      console.error('Doorstep: could not load', chunkUrl, error);
      this.show('failed');
    }
  }

  private show(status: Status): void {
    this.status = status;
    this.requestUpdate();
  }

  override render() {
    const { t, locale } = this.localize;
    if (this.status === 'ready') {
      // The API base is resolved here: only portal.js knows where it was loaded from.
      return html`<portal-app
        .business=${this.business}
        .api=${apiBase(this.api)}
        .lang=${this.lang}
        .token=${this.token}
      ></portal-app>`;
    }
    const failed = this.status === 'failed';
    return html`<div class="base" part="base" lang=${locale} aria-busy=${failed ? 'false' : 'true'}>
      <p class=${failed ? 'notice danger' : ''} role=${failed ? 'alert' : 'status'}>${failed ? t.loadFailed : t.loading}</p>
      ${failed ? html`<button class="button" part="button" type="button" @click=${this.load}>${t.retry}</button>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'customer-portal': CustomerPortal;
  }
}
