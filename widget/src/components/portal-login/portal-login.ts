import { html } from 'lit/html.js';
import { ApiClient } from '../../api/client.js';
import type { PublicBusiness } from '../../api/types.js';
import { apiBase } from '../../config.js';
import * as en from '../../i18n/en.js';
import * as es from '../../i18n/es.js';
import { Localize } from '../../i18n/localize.js';
import { LiteElement } from '../../internal/lite-element.js';
import { applyBrand } from '../../styles/brand.js';
import { buttons, reset } from '../../styles/tokens.js';
import type { PortalSignInForm } from '../portal-sign-in-form/portal-sign-in-form.js';
import styles from './portal-login.styles.js';

type Branding = Pick<PublicBusiness, 'name' | 'brandColor' | 'language'>;

/** One profile request per business and API per page, however many buttons it has. */
const brandings = new Map<string, Promise<Branding>>();

/**
 * @summary The "Login to Portal" button for every page of the business's site. It opens a dialog
 * where the customer types their email address and gets a sign-in link (SPEC §3.1).
 * @tag portal-login
 *
 * @event {PortalLoginLinkSentEvent} portal-login-link-sent - A sign-in link was requested; `detail.email` is the address typed.
 *
 * @csspart base - The wrapper of the button and the dialog.
 * @csspart button - The login button.
 * @csspart dialog - The `<dialog>` holding the email form.
 * @csspart title - The dialog's heading ("Sign in to {business}").
 * @csspart close-button - The dialog's close button.
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
export class PortalLogin extends LiteElement {
  static override styles = [reset, buttons, styles];
  static override attributes = ['lang', 'business', 'api', 'label'];

  private readonly localize = new Localize(this, { en: en.signIn, es: es.signIn }, () => this.branding?.language);
  private client?: ApiClient;
  private brandingKey?: string;
  private branding?: Branding;

  /** The business's public id (its slug), as in the snippet. */
  declare business: string;

  /** Base URL of the Doorstep server; defaults to the origin portal.js was loaded from. */
  declare api: string;

  /** Replaces the translated button text ("Login to Portal"). */
  declare label: string;

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  private get form(): PortalSignInForm | null {
    return this.renderRoot.querySelector('portal-sign-in-form');
  }

  /** The API base URL this element talks to. */
  get apiBase(): string {
    return apiBase(this.api);
  }

  override willUpdate(): void {
    const key = `${this.apiBase} ${this.business}`;
    if (this.business && this.brandingKey !== key) {
      this.brandingKey = key;
      this.client = new ApiClient({ base: this.apiBase, business: this.business });
      if (!brandings.has(key)) brandings.set(key, this.client.business());
      // Without its profile the button still works, in the default colours.
      brandings.get(key)!.then(
        (branding) => {
          if (this.brandingKey !== key) return;
          this.branding = branding;
          this.requestUpdate();
        },
        () => brandings.delete(key),
      );
    }
  }

  override updated(): void {
    applyBrand(this.renderRoot.querySelector('.base'), this.branding?.brandColor);
  }

  private onDialogClick(event: MouseEvent): void {
    // A click on the backdrop lands on the <dialog> itself: its content fills it.
    if (event.target === this.dialog) this.close();
  }

  private onDialogClose(): void {
    this.renderRoot.querySelector('button')?.focus();
  }

  /** Opens the dialog with the email form (afresh, after an earlier "Check your email"). */
  async show(): Promise<void> {
    if (!this.dialog || this.dialog.open) return;
    this.form?.reset();
    this.dialog.showModal();
    await this.form?.updateComplete;
    this.form?.focusField();
  }

  /** Closes the dialog; focus returns to the button. */
  close(): void {
    this.dialog?.close();
  }

  override render() {
    const { t, locale } = this.localize;
    const title = this.branding?.name ? t.signInTo(this.branding.name) : t.signInGeneric;
    return html`<div class="base" part="base" lang=${locale}>
      <button class="button" part="button" type="button" aria-haspopup="dialog" @click=${this.show}>${this.label || t.loginButton}</button>
      <dialog part="dialog" aria-labelledby="title" @click=${this.onDialogClick} @close=${this.onDialogClose}>
        <div class="panel">
          <h2 id="title" part="title">${title}</h2>
          <p class="intro">${t.intro}</p>
          <portal-sign-in-form .client=${this.client}></portal-sign-in-form>
        </div>
        <button class="close" part="close-button" type="button" aria-label=${t.close} @click=${this.close}>&times;</button>
      </dialog>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-login': PortalLogin;
  }
}
