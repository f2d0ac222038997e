// Settings > Customer Portal: branding, portal address and origins, notifications, language, link
// lifetimes and the toggles; then "Portal login access": the copy-ready snippets and a live
// <portal-login> loaded from this server's /portal.js, exactly as a business's website would.
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, ConsoleError, errorMessage } from '../api';
import { Localize, LANGUAGE_NAMES, type Say } from '../i18n/localize';
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
    script.onerror = () => reject(new ConsoleError((t) => t.previewFailed));
    document.head.append(script);
  });
  return portalScript;
}

export class DsSettings extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  /** The signed-in business, for the live preview. */
  @property() businessId = '';

  @state() private settings: Settings | null = null;
  @state() private snippet: Snippet | null = null;
  @state() private status: Say | null = null;
  @state() private error: unknown = null;
  @state() private copyStatus: Say | null = null;
  @state() private previewError: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    Promise.all([api<Settings>('GET', '/v1/admin/settings'), api<Snippet>('GET', '/v1/admin/snippet')]).then(
      ([settings, snippet]) => {
        this.settings = settings;
        this.snippet = snippet;
      },
      (error: unknown) => (this.error = error),
    );
    loadPortalScript().catch((error: unknown) => (this.previewError = error));
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
    this.status = null;
    this.error = null;
    try {
      this.settings = await api<Settings>('PATCH', '/v1/admin/settings', patch);
      this.snippet = await api<Snippet>('GET', '/v1/admin/snippet');
      this.status = (t) => t.settingsSaved;
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async copy(snippet: string, copied: Say) {
    try {
      await navigator.clipboard.writeText(snippet);
      this.copyStatus = copied;
    } catch {
      this.copyStatus = (t) => t.copyRefused;
    }
  }

  private renderSnippets(s: Snippet, language: Settings['language']) {
    const t = this.i18n.t;
    return html`<section class="card" aria-labelledby="access">
      <h3 id="access">${t.portalAccess}</h3>
      <p>${t.loginSnippetIntro}</p>
      <pre id="login-snippet"><code>${s.loginButton}</code></pre>
      <button @click=${() => this.copy(s.loginButton, (t) => t.loginSnippetCopied)}>${t.copyLoginSnippet}</button>
      <p>${t.portalSnippetIntro(s.portalUrl)}</p>
      <pre id="portal-snippet"><code>${s.portalPage}</code></pre>
      <button @click=${() => this.copy(s.portalPage, (t) => t.portalSnippetCopied)}>${t.copyPortalSnippet}</button>
      <p class="status ok" role="status">${this.copyStatus?.(t) ?? ''}</p>
      <p>${t.noWebsite} <a href=${s.hostedPortalUrl}>${s.hostedPortalUrl}</a></p>
      <h3 id="preview">${t.livePreview}</h3>
      <div class="card" aria-labelledby="preview">
        ${this.previewError
          ? html`<p class="error">${errorMessage(this.previewError)}</p>`
          : // In the language the business's customers see it in, whatever the console's.
            html`<portal-login business=${this.businessId} lang=${language}></portal-login>`}
      </div>
    </section>`;
  }

  override render() {
    const t = this.i18n.t;
    const s = this.settings;
    const error = this.error ? errorMessage(this.error) : '';
    if (!s) return html`<h2 tabindex="-1">${t.settingsTitle}</h2><p role=${error ? 'alert' : 'status'}>${error || t.loading}</p>`;
    const field = (id: keyof Settings, label: string, value: string | null, type = 'text', hint = '') =>
      html`<div class="field">
        <label for=${id}>${label}</label>
        <input id=${id} name=${id} type=${type} .value=${value ?? ''} aria-describedby=${hint ? `${id}-hint` : nothing} />
        ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : ''}
      </div>`;
    return html`
      <h2 tabindex="-1">${t.settingsTitle}</h2>
      <form @submit=${this.save}>
        <fieldset class="card">
          <legend>${t.branding}</legend>
          ${field('name', t.businessName, s.name)} ${field('logoUrl', t.logoUrl, s.logoUrl, 'url')} ${field('phone', t.phone, s.phone, 'tel')}
          ${field('email', t.email, s.email, 'email')} ${field('address', t.address, s.address)}
          <div class="field"><label for="brandColor">${t.brandColor}</label><input id="brandColor" name="brandColor" type="color" .value=${s.brandColor} /></div>
        </fieldset>
        <fieldset class="card">
          <legend>${t.portal}</legend>
          ${field('portalUrl', t.portalUrl, s.portalUrl, 'url', t.portalUrlHint)}
          <div class="field">
            <label for="allowedOrigins">${t.allowedOrigins}</label>
            <textarea id="allowedOrigins" name="allowedOrigins" rows="3" aria-describedby="origins-hint" .value=${s.allowedOrigins.join('\n')}></textarea>
            <p class="hint" id="origins-hint">${t.originsHint}</p>
          </div>
          ${field('notificationEmail', t.notificationEmail, s.notificationEmail, 'email', t.notificationHint)}
          <div class="field">
            <label for="language">${t.portalLanguage}</label>
            <select id="language" name="language" .value=${s.language}>
              <option value="en" lang="en" ?selected=${s.language === 'en'}>${LANGUAGE_NAMES.en}</option>
              <option value="es" lang="es" ?selected=${s.language === 'es'}>${LANGUAGE_NAMES.es}</option>
            </select>
          </div>
          <div class="field">
            <label for="inviteLinkTtlDays">${t.inviteTtl}</label>
            <input id="inviteLinkTtlDays" name="inviteLinkTtlDays" type="number" min="1" max="7" required .value=${String(s.inviteLinkTtlDays)} />
          </div>
          <div class="field">
            <label for="loginLinkTtlMinutes">${t.loginTtl}</label>
            <input id="loginLinkTtlMinutes" name="loginLinkTtlMinutes" type="number" min="15" max="60" required .value=${String(s.loginLinkTtlMinutes)} />
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>${t.features}</legend>
          <label class="inline"><input type="checkbox" name="autoInvite" .checked=${s.autoInvite} /> ${t.autoInvite}</label>
          <label class="inline"><input type="checkbox" name="messagingEnabled" .checked=${s.messagingEnabled} /> ${t.messaging}</label>
          <label class="inline"><input type="checkbox" name="paymentsEnabled" .checked=${s.paymentsEnabled} ?disabled=${!s.paymentsConfigured} aria-describedby="stripe-hint" /> ${t.payments}</label>
          <p class="hint" id="stripe-hint">${s.paymentsConfigured ? t.stripeConfigured : t.stripeNotConfigured}</p>
        </fieldset>
        <p><button type="submit" ?disabled=${this.busy}>${t.saveSettings}</button></p>
        <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
        <p class="status error" role="alert">${error}</p>
      </form>
      ${this.snippet ? this.renderSnippets(this.snippet, s.language) : ''}
    `;
  }
}
