// Settings > Customer Portal: branding, portal address and origins, notifications, language, link
// lifetimes and the toggles; then "Portal login access": the copy-ready snippets and a live
// <portal-login> loaded from this server's /portal.js, exactly as a business's website would.
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { shared } from '../styles';

interface Settings {
  name: string;
  logoUrl: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  brandColor: string;
  portalUrl: string | null;
  allowedOrigins: string[];
  notificationEmail: string | null;
  language: 'en' | 'es';
  inviteLinkTtlDays: number;
  loginLinkTtlMinutes: number;
  autoInvite: boolean;
  messagingEnabled: boolean;
  paymentsEnabled: boolean;
  paymentsConfigured: boolean;
}

interface Snippet {
  loginButton: string;
  portalPage: string;
  portalUrl: string;
  hostedPortalUrl: string;
}

let portalScript: Promise<void> | undefined;

/** Loads /portal.js once into this page (same origin: allowed by the console's script-src 'self'). */
function loadPortalScript(): Promise<void> {
  portalScript ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/portal.js';
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('portal.js could not be loaded'));
    document.head.append(script);
  });
  return portalScript;
}

export class DsSettings extends LitElement {
  static override styles = shared;

  /** The signed-in business, for the live preview. */
  @property() businessId = '';

  @state() private settings: Settings | null = null;
  @state() private snippet: Snippet | null = null;
  @state() private status = '';
  @state() private error = '';
  @state() private copyStatus = '';
  @state() private previewError = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    Promise.all([api<Settings>('GET', '/v1/admin/settings'), api<Snippet>('GET', '/v1/admin/snippet')]).then(
      ([settings, snippet]) => {
        this.settings = settings;
        this.snippet = snippet;
      },
      (error) => (this.error = errorMessage(error)),
    );
    loadPortalScript().catch((error) => (this.previewError = errorMessage(error)));
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => ((form.get(name) as string | null) ?? '').trim();
    const orNull = (name: string) => text(name) || null;
    const patch: Partial<Settings> = {
      name: text('name'),
      logoUrl: orNull('logoUrl'),
      phone: orNull('phone'),
      email: orNull('email'),
      address: orNull('address'),
      brandColor: text('brandColor'),
      portalUrl: orNull('portalUrl'),
      allowedOrigins: text('allowedOrigins').split(/\s+/).filter(Boolean),
      notificationEmail: orNull('notificationEmail'),
      language: text('language') as 'en' | 'es',
      inviteLinkTtlDays: Number(text('inviteLinkTtlDays')),
      loginLinkTtlMinutes: Number(text('loginLinkTtlMinutes')),
      autoInvite: form.has('autoInvite'),
      messagingEnabled: form.has('messagingEnabled'),
      ...(this.settings?.paymentsConfigured ? { paymentsEnabled: form.has('paymentsEnabled') } : {}),
    };
    this.busy = true;
    this.status = '';
    this.error = '';
    try {
      this.settings = await api<Settings>('PATCH', '/v1/admin/settings', patch);
      this.snippet = await api<Snippet>('GET', '/v1/admin/snippet');
      this.status = 'Settings saved.';
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private async copy(label: string, text: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.copyStatus = `${label} copied to the clipboard.`;
    } catch {
      this.copyStatus = `Copying was not allowed by the browser: select the ${label.toLowerCase()} and copy it yourself.`;
    }
  }

  private renderSnippets(s: Snippet) {
    return html`<section class="card" aria-labelledby="access">
      <h3 id="access">Portal login access</h3>
      <p>Paste this on every page of your website that should show the "Login to Portal" button:</p>
      <pre id="login-snippet"><code>${s.loginButton}</code></pre>
      <button @click=${() => this.copy('Login button snippet', s.loginButton)}>Copy login button snippet</button>
      <p>And this on the page where the portal lives (${s.portalUrl}):</p>
      <pre id="portal-snippet"><code>${s.portalPage}</code></pre>
      <button @click=${() => this.copy('Portal page snippet', s.portalPage)}>Copy portal page snippet</button>
      <p class="status ok" role="status">${this.copyStatus}</p>
      <p>No website? Send customers to the hosted portal: <a href=${s.hostedPortalUrl}>${s.hostedPortalUrl}</a></p>
      <h3 id="preview">Live preview</h3>
      <div class="card" aria-labelledby="preview">
        ${this.previewError ? html`<p class="error">${this.previewError}</p>` : html`<portal-login business=${this.businessId}></portal-login>`}
      </div>
    </section>`;
  }

  override render() {
    const s = this.settings;
    if (!s) return html`<h2 tabindex="-1">Settings · Customer Portal</h2><p role=${this.error ? 'alert' : 'status'}>${this.error || 'Loading…'}</p>`;
    const field = (id: keyof Settings, label: string, value: string | null, type = 'text', hint = '') =>
      html`<div class="field">
        <label for=${id}>${label}</label>
        <input id=${id} name=${id} type=${type} .value=${value ?? ''} aria-describedby=${hint ? `${id}-hint` : nothing} />
        ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : ''}
      </div>`;
    return html`
      <h2 tabindex="-1">Settings · Customer Portal</h2>
      <form @submit=${this.save}>
        <fieldset class="card">
          <legend>Branding</legend>
          ${field('name', 'Business name', s.name)} ${field('logoUrl', 'Logo URL', s.logoUrl, 'url')} ${field('phone', 'Phone', s.phone, 'tel')}
          ${field('email', 'Email', s.email, 'email')} ${field('address', 'Address', s.address)}
          <div class="field"><label for="brandColor">Brand colour</label><input id="brandColor" name="brandColor" type="color" .value=${s.brandColor} /></div>
        </fieldset>
        <fieldset class="card">
          <legend>Portal</legend>
          ${field('portalUrl', 'Portal URL', s.portalUrl, 'url', 'The page of your website where the portal lives. Empty: the hosted portal page.')}
          <div class="field">
            <label for="allowedOrigins">Allowed website origins</label>
            <textarea id="allowedOrigins" name="allowedOrigins" rows="3" aria-describedby="origins-hint" .value=${s.allowedOrigins.join('\n')}></textarea>
            <p class="hint" id="origins-hint">One per line, exactly like https://www.example.com (no path).</p>
          </div>
          ${field('notificationEmail', 'Notification email', s.notificationEmail, 'email', 'Where messages, approvals and payments are announced.')}
          <div class="field">
            <label for="language">Language</label>
            <select id="language" name="language" .value=${s.language}>
              <option value="en" ?selected=${s.language === 'en'}>English</option>
              <option value="es" ?selected=${s.language === 'es'}>Español</option>
            </select>
          </div>
          <div class="field"><label for="inviteLinkTtlDays">Invitation links last (days, 1–7)</label><input id="inviteLinkTtlDays" name="inviteLinkTtlDays" type="number" min="1" max="7" required .value=${String(s.inviteLinkTtlDays)} /></div>
          <div class="field"><label for="loginLinkTtlMinutes">Login links last (minutes, 15–60)</label><input id="loginLinkTtlMinutes" name="loginLinkTtlMinutes" type="number" min="15" max="60" required .value=${String(s.loginLinkTtlMinutes)} /></div>
        </fieldset>
        <fieldset class="card">
          <legend>Features</legend>
          <label class="inline"><input type="checkbox" name="autoInvite" .checked=${s.autoInvite} /> Invite customers automatically when a job is scheduled</label>
          <label class="inline"><input type="checkbox" name="messagingEnabled" .checked=${s.messagingEnabled} /> Customers can send messages</label>
          <label class="inline"><input type="checkbox" name="paymentsEnabled" .checked=${s.paymentsEnabled} ?disabled=${!s.paymentsConfigured} aria-describedby="stripe-hint" /> Online payments</label>
          <p class="hint" id="stripe-hint">${s.paymentsConfigured ? 'Stripe is configured on this server.' : 'Stripe is not configured on this server (STRIPE_SECRET_KEY), so online payments stay off.'}</p>
        </fieldset>
        <p><button type="submit" ?disabled=${this.busy}>Save settings</button></p>
        <p class="status ok" role="status">${this.status}</p>
        <p class="status error" role="alert">${this.error}</p>
      </form>
      ${this.snippet ? this.renderSnippets(this.snippet) : ''}
    `;
  }
}
