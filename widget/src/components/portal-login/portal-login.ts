import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { PortalElement } from '../../internal/portal-element.js';
import { apiBase } from '../../config.js';
import styles from './portal-login.styles.js';

const labels = {
  en: 'Login to Portal',
  es: 'Iniciar sesión en el portal',
};

/**
 * @summary The customer's way into a business's portal. For now a single button; it will grow
 * into the email sign-in form.
 * @tag portal-login
 *
 * @csspart button - The native login button.
 *
 * @cssproperty --portal-color-primary - Button background and focus ring (global token).
 * @cssproperty --portal-color-on-primary - Button text colour (global token).
 * @cssproperty --portal-font-family - Font of the button (global token).
 * @cssproperty --portal-radius - Corner radius of the button (global token).
 */
export class PortalLogin extends PortalElement {
  static override styles = styles;

  /** Slug of the business whose portal to open. */
  @property() business = '';

  /** Base URL of the Doorstep API; defaults to the origin portal.js was loaded from. */
  @property() api = '';

  /** Replaces the translated button text. */
  @property() label = '';

  /** The API base URL this element talks to. */
  get apiBase(): string {
    return apiBase(this.api);
  }

  override render() {
    const language = this.language.split('-')[0] as keyof typeof labels;
    const text = this.label || (Object.hasOwn(labels, language) ? labels[language] : labels.en);
    return html`<button class="button" part="button" type="button">${text}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-login': PortalLogin;
  }
}
