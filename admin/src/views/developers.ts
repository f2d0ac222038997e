// For other systems: admin API keys and outgoing webhook endpoints. Secrets are shown once, right
// after creation; revoking and deleting ask for a second press.
import { html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { dateTime } from '../format';
import { shared } from '../styles';

interface ApiKey {
  prefix: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export class DsApiKeys extends LitElement {
  static override styles = shared;

  @state() private keys: ApiKey[] = [];
  @state() private created: (ApiKey & { key: string }) | null = null;
  @state() private confirming: string | null = null;
  @state() private status = '';
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.keys = (await api<{ data: ApiKey[] }>('GET', '/v1/admin/api-keys')).data;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = ((new FormData(form).get('name') as string | null) ?? '').trim();
    this.error = '';
    try {
      this.created = await api('POST', '/v1/admin/api-keys', name ? { name } : {});
      form.reset();
      this.status = 'Key created. Copy it now: it will not be shown again.';
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async revoke(prefix: string) {
    if (this.confirming !== prefix) {
      this.confirming = prefix;
      return;
    }
    this.confirming = null;
    try {
      await api('DELETE', `/v1/admin/api-keys/${encodeURIComponent(prefix)}`);
      this.status = `Key ${prefix} revoked: it stops working at once.`;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  override render() {
    return html`
      <h2 tabindex="-1">API keys</h2>
      <p>Other systems (your field-service software, Zapier…) use a key as <code>Authorization: Bearer &lt;key&gt;</code> on the admin API.</p>
      <form class="card row" @submit=${this.create}>
        <label class="inline" for="key-name">Name</label>
        <input id="key-name" name="name" maxlength="100" placeholder="e.g. CRM sync" />
        <button type="submit">Create API key</button>
      </form>
      ${this.created
        ? html`<section class="card" aria-labelledby="new-key">
            <h3 id="new-key">New key ${this.created.name ? `“${this.created.name}”` : ''}</h3>
            <pre><code class="secret">${this.created.key}</code></pre>
            <button class="secondary" @click=${() => navigator.clipboard.writeText(this.created!.key).then(() => (this.status = 'Key copied to the clipboard.'))}>Copy key</button>
            <button class="link" @click=${() => (this.created = null)}>I have stored it</button>
          </section>`
        : ''}
      <p class="status ok" role="status">${this.status}</p>
      <p class="status error" role="alert">${this.error}</p>
      <table>
        <thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${this.keys.map(
            (k) => html`<tr>
              <td><code>${k.prefix}_…</code></td>
              <td>${k.name ?? ''}</td>
              <td>${dateTime(k.createdAt)}</td>
              <td>${k.lastUsedAt ? dateTime(k.lastUsedAt) : 'Never'}</td>
              <td>${k.revokedAt ? `Revoked ${dateTime(k.revokedAt)}` : 'Active'}</td>
              <td>${k.revokedAt
                ? ''
                : html`<button class=${this.confirming === k.prefix ? 'danger' : 'secondary'} @click=${() => this.revoke(k.prefix)}>
                    ${this.confirming === k.prefix ? `Confirm: revoke ${k.prefix}` : `Revoke ${k.prefix}`}
                  </button>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  secret: string;
  createdAt: string;
}

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const EVENT_TYPES = ['message.received', 'estimate.approved', 'estimate.declined', 'invoice.paid', 'payment_method.changed'];

export class DsWebhooks extends LitElement {
  static override styles = shared;

  @state() private endpoints: Endpoint[] = [];
  @state() private created: Endpoint | null = null;
  @state() private deliveries = new Map<string, Delivery[]>();
  @state() private confirming: string | null = null;
  @state() private status = '';
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.endpoints = (await api<{ data: Endpoint[] }>('GET', '/v1/admin/webhooks')).data;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const events = data.getAll('events') as string[];
    const description = ((data.get('description') as string | null) ?? '').trim();
    this.error = '';
    try {
      this.created = await api('POST', '/v1/admin/webhooks', { url: (data.get('url') as string).trim(), events, ...(description ? { description } : {}) });
      form.reset();
      this.status = 'Endpoint registered. Copy its signing secret now: it will not be shown again.';
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async showDeliveries(id: string) {
    try {
      const page = await api<{ data: Delivery[] }>('GET', `/v1/admin/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`);
      this.deliveries = new Map(this.deliveries).set(id, page.data);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async test(id: string) {
    try {
      await api('POST', `/v1/admin/webhooks/${encodeURIComponent(id)}/test`, {});
      this.status = 'Test event queued.';
      await this.showDeliveries(id);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async deleteEndpoint(id: string) {
    if (this.confirming !== id) {
      this.confirming = id;
      return;
    }
    this.confirming = null;
    try {
      await api('DELETE', `/v1/admin/webhooks/${encodeURIComponent(id)}`);
      this.status = 'Endpoint deleted.';
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  override render() {
    return html`
      <h2 tabindex="-1">Webhooks</h2>
      <form class="card" @submit=${this.create} aria-labelledby="new-endpoint">
        <h3 id="new-endpoint">Register an endpoint</h3>
        <div class="field"><label for="url">URL</label><input id="url" name="url" type="url" required placeholder="https://example.com/doorstep" /></div>
        <div class="field"><label for="wh-description">Description</label><input id="wh-description" name="description" maxlength="500" /></div>
        <fieldset>
          <legend>Events (none checked: all)</legend>
          ${EVENT_TYPES.map((t) => html`<label class="inline"><input type="checkbox" name="events" value=${t} /> ${t}</label>`)}
        </fieldset>
        <p><button type="submit">Register endpoint</button></p>
      </form>
      ${this.created
        ? html`<section class="card" aria-labelledby="secret">
            <h3 id="secret">Signing secret for ${this.created.url}</h3>
            <pre><code class="secret">${this.created.secret}</code></pre>
            <button class="link" @click=${() => (this.created = null)}>I have stored it</button>
          </section>`
        : ''}
      <p class="status ok" role="status">${this.status}</p>
      <p class="status error" role="alert">${this.error}</p>
      ${this.endpoints.length === 0 ? html`<p>No endpoints yet.</p>` : ''}
      ${this.endpoints.map(
        (e) => html`<article class="card" aria-labelledby=${`e-${e.id}`}>
          <h3 id=${`e-${e.id}`}>${e.url}</h3>
          <p>${e.description ?? ''} ${e.enabled ? '' : html`<span class="badge">disabled</span>`}</p>
          <p class="hint">Events: ${e.events.length ? e.events.join(', ') : 'all'} · created ${dateTime(e.createdAt)} · secret ${e.secret}</p>
          <div class="row">
            <button class="secondary" @click=${() => this.showDeliveries(e.id)}>Recent deliveries</button>
            <button class="secondary" @click=${() => this.test(e.id)}>Send a test event</button>
            <button class=${this.confirming === e.id ? 'danger' : 'secondary'} @click=${() => this.deleteEndpoint(e.id)}>${this.confirming === e.id ? 'Confirm: delete endpoint' : 'Delete endpoint'}</button>
          </div>
          ${this.deliveries.has(e.id)
            ? this.deliveries.get(e.id)!.length
              ? html`<table>
                  <thead><tr><th scope="col">Event</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th></tr></thead>
                  <tbody>
                    ${this.deliveries.get(e.id)!.map(
                      (d) => html`<tr><td>${d.eventType}</td><td>${dateTime(d.createdAt)}</td><td>${d.status}</td><td>${d.attempts}</td><td>${d.lastStatusCode ?? d.lastError ?? '—'}</td></tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p>No deliveries yet.</p>`
            : ''}
        </article>`,
      )}
    `;
  }
}
