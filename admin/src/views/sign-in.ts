// Staff sign-in: ask for a link by email; or, arriving from the email with #staff-token=… in the
// address, take the token out of the address bar at once and exchange it when Continue is pressed.
import { html, LitElement, css } from 'lit';
import { state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import type { Me } from '../app';
import { Localize } from '../i18n/localize';
import { shared } from '../styles';

/** Reads and removes the token before anything else can see the address (no request carries it). */
function takeTokenFromFragment(): string | null {
  const match = /^#staff-token=([\w-]{20,200})$/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1]!;
}

const pendingToken = takeTokenFromFragment();

export class DsSignIn extends LitElement {
  static override styles = [
    shared,
    css`
      header {
        display: flex;
        justify-content: flex-end;
        padding: 12px 16px 0;
      }
      main {
        max-width: 420px;
        margin: 8vh auto;
      }
      @media (max-width: 480px) {
        main {
          margin: 16px 12px;
        }
      }
      h1 {
        font-size: 1.4rem;
      }
    `,
  ];

  private readonly i18n = new Localize(this);

  @state() private token: string | null = pendingToken;
  @state() private sentTo: string | null = null;
  @state() private error: unknown = null;
  @state() private busy = false;

  /** A link pasted into a tab that already shows the console changes only the fragment. */
  private readonly onHashChange = () => {
    const token = takeTokenFromFragment();
    if (token) this.token = token;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    super.disconnectedCallback();
  }

  private async requestLink(event: SubmitEvent) {
    event.preventDefault();
    const email = (new FormData(event.target as HTMLFormElement).get('email') as string).trim();
    this.busy = true;
    this.error = null;
    try {
      await api('POST', '/admin/api/login-links', { email });
      this.sentTo = email;
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async continueSignIn() {
    this.busy = true;
    this.error = null;
    try {
      const me = await api<Me>('POST', '/admin/api/sessions', { token: this.token });
      this.dispatchEvent(new CustomEvent('ds-signed-in', { detail: me, bubbles: true, composed: true }));
    } catch (error) {
      this.token = null;
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<header><ds-language-switch></ds-language-switch></header>${this.renderStep()}`;
  }

  private renderStep() {
    const t = this.i18n.t;
    if (this.token) {
      return html`<main class="card">
        <h1>${t.signInTitle}</h1>
        <p>${t.openedLink}</p>
        <button @click=${this.continueSignIn} ?disabled=${this.busy}>${t.continue}</button>
        <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      </main>`;
    }
    if (this.sentTo) {
      return html`<main class="card">
        <h1>${t.checkEmail}</h1>
        <p role="status">${t.linkSent(this.sentTo)}</p>
        <button class="secondary" @click=${() => (this.sentTo = null)}>${t.useAnotherEmail}</button>
      </main>`;
    }
    return html`<main class="card">
      <h1>${t.signInTitle}</h1>
      <p>${t.signInIntro}</p>
      <form @submit=${this.requestLink}>
        <div class="field">
          <label for="email">${t.email}</label>
          <input id="email" name="email" type="email" autocomplete="email" required />
        </div>
        <p><button type="submit" ?disabled=${this.busy}>${t.sendLink}</button></p>
      </form>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
    </main>`;
  }
}
