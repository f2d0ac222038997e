// Staff sign-in: ask for a link by email; or, arriving from the email with #staff-token=… in the
// address, take the token out of the address bar at once and exchange it when Continue is pressed.
import { html, LitElement, css } from 'lit';
import { state } from 'lit/decorators.js';
import { api, ApiError, errorMessage } from '../api';
import type { Me } from '../app';
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
      main {
        max-width: 420px;
        margin: 10vh auto;
      }
      h1 {
        font-size: 1.4rem;
      }
    `,
  ];

  @state() private token: string | null = pendingToken;
  @state() private sentTo: string | null = null;
  @state() private error = '';
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
    this.error = '';
    try {
      await api('POST', '/admin/api/login-links', { email });
      this.sentTo = email;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private async continueSignIn() {
    this.busy = true;
    this.error = '';
    try {
      const me = await api<Me>('POST', '/admin/api/sessions', { token: this.token });
      this.dispatchEvent(new CustomEvent('ds-signed-in', { detail: me, bubbles: true, composed: true }));
    } catch (error) {
      this.token = null;
      this.error =
        error instanceof ApiError && (error.code === 'link_expired' || error.code === 'invalid_link')
          ? `${error.message}`
          : errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (this.token) {
      return html`<main class="card">
        <h1>Sign in to the Doorstep console</h1>
        <p>You opened a sign-in link. Press Continue to sign in on this device.</p>
        <button @click=${this.continueSignIn} ?disabled=${this.busy}>Continue</button>
        <p class="status error" role="alert">${this.error}</p>
      </main>`;
    }
    if (this.sentTo) {
      return html`<main class="card">
        <h1>Check your email</h1>
        <p role="status">If ${this.sentTo} belongs to staff of a business here, a sign-in link is on its way. It works for 15 minutes.</p>
        <button class="secondary" @click=${() => (this.sentTo = null)}>Use another email</button>
      </main>`;
    }
    return html`<main class="card">
      <h1>Sign in to the Doorstep console</h1>
      <p>Enter your staff email and we will send you a sign-in link.</p>
      <form @submit=${this.requestLink}>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required />
        </div>
        <p><button type="submit" ?disabled=${this.busy}>Email me a sign-in link</button></p>
      </form>
      <p class="status error" role="alert">${this.error}</p>
    </main>`;
  }
}
