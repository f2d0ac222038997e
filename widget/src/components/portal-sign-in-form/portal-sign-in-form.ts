import { html, nothing } from 'lit/html.js';
import { isApiError, type ApiClient } from '../../api/client.js';
import { PortalLoginLinkSentEvent } from '../../events/portal-login-link-sent.js';
import * as en from '../../i18n/en.js';
import * as es from '../../i18n/es.js';
import { formatRetryAfter } from '../../i18n/format.js';
import { Localize } from '../../i18n/localize.js';
import { LiteElement } from '../../internal/lite-element.js';
import { buttons, reset } from '../../styles/tokens.js';
import styles from './portal-sign-in-form.styles.js';

type Status = 'idle' | 'sending' | 'sent' | 'missing' | 'invalid' | 'rate-limited' | 'network' | 'failed';

/**
 * @summary The email form that asks for a sign-in link (SPEC §3.1): in `<portal-login>`'s dialog
 * and on `<customer-portal>`'s sign-in screen. The answer never says whether the address belongs
 * to a customer.
 * @tag portal-sign-in-form
 *
 * @event {PortalLoginLinkSentEvent} portal-login-link-sent - A sign-in link was requested; `detail.email` is the address typed.
 *
 * @csspart base - The wrapper of the form or of the "Check your email" message.
 * @csspart form - The `<form>`.
 * @csspart label - The email field's label.
 * @csspart input - The email field.
 * @csspart error - The message under the field when the address is missing or invalid.
 * @csspart submit - The submit button.
 * @csspart sent - The "Check your email" message that replaces the form.
 */
export class PortalSignInForm extends LiteElement {
  static override styles = [reset, buttons, styles];
  static override shadowRootOptions: ShadowRootInit = { mode: 'open', delegatesFocus: true };

  private readonly localize = new Localize(this, { en: en.signIn, es: es.signIn });
  private status: Status = 'idle';
  private email = '';
  /** Seconds the server asked to wait before another request. */
  private retryAfter = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;

  /** The client that sends the request, with the business and API origin in it. */
  client?: ApiClient;

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  override disconnectedCallback(): void {
    clearTimeout(this.retryTimer);
    if (this.status === 'rate-limited') this.status = 'idle';
  }

  /** Shows `status`; resolves once it is on screen. */
  private show(status: Status): Promise<void> {
    this.status = status;
    this.requestUpdate();
    return this.updateComplete;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.status === 'sending' || this.status === 'rate-limited' || !this.input) return;
    this.email = this.input.value.trim();
    if (this.email && this.input.checkValidity()) await this.send();
    else await this.fieldProblem(this.email ? 'invalid' : 'missing');
  }

  private async send(): Promise<void> {
    if (!this.client) return;
    void this.show('sending');
    try {
      await this.client.requestLoginLink(this.email);
      await this.show('sent');
      this.dispatchEvent(new PortalLoginLinkSentEvent({ email: this.email }));
      this.renderRoot.querySelector<HTMLElement>('.sent')?.focus();
    } catch (error) {
      if (!isApiError(error) || error.status !== 429) {
        if (isApiError(error) && error.status === 400) await this.fieldProblem('invalid');
        else void this.show(isApiError(error) && error.code === 'network_error' ? 'network' : 'failed');
        return;
      }
      this.retryAfter = error.retryAfter ?? 60;
      void this.show('rate-limited');
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.show('idle'), this.retryAfter * 1000);
    }
  }

  private async fieldProblem(status: 'missing' | 'invalid'): Promise<void> {
    await this.show(status);
    this.input?.focus();
  }

  private async useDifferentEmail(): Promise<void> {
    this.reset();
    await this.updateComplete;
    this.input?.focus();
  }

  /** Moves focus to the email field. */
  focusField(): void {
    this.input?.focus();
  }

  /** Back to the form (the typed address stays); a rate limit stays until it has passed. */
  reset(): void {
    if (this.status !== 'rate-limited') void this.show('idle');
  }

  override render() {
    const { t, locale } = this.localize;
    const status = this.status;
    const sending = status === 'sending';
    const fieldError = status === 'missing' ? t.emailMissing : status === 'invalid' ? t.emailInvalid : '';
    const problem =
      status === 'rate-limited'
        ? t.rateLimited(formatRetryAfter(this.retryAfter, locale))
        : status === 'network'
          ? t.networkError
          : status === 'failed'
            ? t.serverError
            : '';

    return html`<div class="base" part="base" lang=${locale}>
      ${status === 'sent'
        ? html`<div class="sent" part="sent" tabindex="-1" role="group" aria-labelledby="sent-title" aria-describedby="sent-body">
            <p id="sent-title" class="title">${t.sentTitle}</p>
            <p id="sent-body">${t.sentBody(this.email)}</p>
            <p class="hint">${t.sentHint}</p>
            <button type="button" class="link-button" @click=${this.useDifferentEmail}>${t.differentEmail}</button>
          </div>`
        : html`<form part="form" novalidate aria-busy=${sending} @submit=${this.submit}>
            <label for="email" part="label">${t.emailLabel}</label>
            <input
              id="email"
              part="input"
              type="email"
              autocomplete="email"
              required
              .value=${this.email}
              ?readonly=${sending}
              aria-invalid=${!!fieldError}
              aria-describedby=${fieldError ? 'email-error' : nothing}
            />
            ${fieldError ? html`<p id="email-error" class="error" part="error">${fieldError}</p>` : nothing}
            ${problem
              ? html`<div class="notice danger" role="alert">
                  <p>${problem}</p>
                  ${status === 'network' || status === 'failed' ? html`<button type="button" class="link-button" @click=${this.send}>${t.retry}</button>` : nothing}
                </div>`
              : nothing}
            <button class="button" part="submit" type="submit" aria-disabled=${sending || status === 'rate-limited'}>
              ${sending ? t.sending : t.submit}
            </button>
          </form>`}
      <p class="sr-only" role="status">${sending ? t.sending : ''}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-sign-in-form': PortalSignInForm;
  }
}
