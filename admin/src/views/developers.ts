// For other systems: admin API keys and outgoing webhook endpoints. Secrets are shown once, right
// after creation; revoking and deleting ask for a second press. Keys are created and revoked by
// owners only (the server refuses anyone else); webhook endpoints can be paused and resumed, and
// what happens meanwhile waits for the resume.
import { html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { dateTime } from '../format';
import { Localize, type Say } from '../i18n/localize';
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

  private readonly i18n = new Localize(this);

  @state() private keys: ApiKey[] = [];
  @state() private created: (ApiKey & { key: string }) | null = null;
  @state() private confirming: string | null = null;
  @state() private status: Say | null = null;
  @state() private error: unknown = null;

  /** Whether the signed-in staff member is an owner, who alone creates and revokes keys. */
  @property({ type: Boolean }) owner = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.keys = (await api<{ data: ApiKey[] }>('GET', '/v1/admin/api-keys')).data;
    } catch (error) {
      this.error = error;
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = ((new FormData(form).get('name') as string | null) ?? '').trim();
    this.error = null;
    try {
      this.created = await api('POST', '/v1/admin/api-keys', name ? { name } : {});
      form.reset();
      this.status = (t) => t.keyCreated;
      await this.load();
    } catch (error) {
      this.error = error;
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
      this.status = (t) => t.keyRevoked(prefix);
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }

  override render() {
    const t = this.i18n.t;
    return html`
      <h2 tabindex="-1">${t.nav.apiKeys}</h2>
      <p>${t.apiKeysIntro} <code>Authorization: Bearer &lt;key&gt;</code></p>
      ${this.owner
        ? html`<form class="card row" @submit=${this.create}>
            <label class="inline" for="key-name">${t.keyName}</label>
            <input id="key-name" name="name" maxlength="100" placeholder=${t.keyNamePlaceholder} />
            <button type="submit">${t.createKey}</button>
          </form>`
        : html`<p class="hint">${t.keysReadOnly}</p>`}
      ${this.created
        ? html`<section class="card" aria-labelledby="new-key">
            <h3 id="new-key">${t.newKey(this.created.name)}</h3>
            <pre><code class="secret">${this.created.key}</code></pre>
            <button class="secondary" @click=${() => navigator.clipboard.writeText(this.created!.key).then(() => (this.status = (t) => t.keyCopied))}>${t.copyKey}</button>
            <button class="link" @click=${() => (this.created = null)}>${t.storedIt}</button>
          </section>`
        : ''}
      <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      ${this.keys.length === 0
        ? html`<p>${t.noKeys}</p>`
        : html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.nav.apiKeys}>
            <table>
              <thead>
                <tr>
                  <th scope="col">${t.keyColumn}</th>
                  <th scope="col">${t.keyName}</th>
                  <th scope="col">${t.createdColumn}</th>
                  <th scope="col">${t.lastUsedColumn}</th>
                  <th scope="col">${t.statusColumn}</th>
                  ${this.owner ? html`<th scope="col"><span class="sr-only">${t.actions}</span></th>` : ''}
                </tr>
              </thead>
              <tbody>
                ${this.keys.map(
                  (k) => html`<tr>
                    <td><code>${k.prefix}_…</code></td>
                    <td translate="no">${k.name ?? ''}</td>
                    <td>${dateTime(k.createdAt)}</td>
                    <td>${k.lastUsedAt ? dateTime(k.lastUsedAt) : t.never}</td>
                    <td>${k.revokedAt ? t.revokedOn(dateTime(k.revokedAt)) : t.active}</td>
                    ${this.owner
                      ? html`<td>
                          ${k.revokedAt
                            ? ''
                            : html`<button class=${this.confirming === k.prefix ? 'danger' : 'secondary'} @click=${() => this.revoke(k.prefix)}>
                                ${this.confirming === k.prefix ? t.confirmRevoke : t.revoke} ${k.prefix}
                              </button>`}
                        </td>`
                      : ''}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
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
  disabledAt: string | null;
}

interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const EVENT_TYPES = ['message.received', 'estimate.approved', 'estimate.declined', 'invoice.paid', 'payment_method.changed'];

export class DsWebhooks extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  @state() private endpoints: Endpoint[] = [];
  @state() private created: Endpoint | null = null;
  @state() private deliveries = new Map<string, Delivery[]>();
  @state() private confirming: string | null = null;
  @state() private status: Say | null = null;
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.endpoints = (await api<{ data: Endpoint[] }>('GET', '/v1/admin/webhooks')).data;
    } catch (error) {
      this.error = error;
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const events = data.getAll('events') as string[];
    const description = ((data.get('description') as string | null) ?? '').trim();
    this.error = null;
    try {
      this.created = await api('POST', '/v1/admin/webhooks', { url: (data.get('url') as string).trim(), events, ...(description ? { description } : {}) });
      form.reset();
      this.status = (t) => t.endpointRegistered;
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }

  private async showDeliveries(id: string) {
    try {
      const page = await api<{ data: Delivery[] }>('GET', `/v1/admin/webhooks/${encodeURIComponent(id)}/deliveries?limit=20`);
      this.deliveries = new Map(this.deliveries).set(id, page.data);
    } catch (error) {
      this.error = error;
    }
  }

  private async test(id: string) {
    this.error = null;
    try {
      await api('POST', `/v1/admin/webhooks/${encodeURIComponent(id)}/test`, {});
      this.status = (t) => t.testQueued;
      await this.showDeliveries(id);
    } catch (error) {
      this.error = error;
    }
  }

  /** Pauses or resumes deliveries to the endpoint; the list of its deliveries, if open, follows. */
  private async setPaused(endpoint: Endpoint, paused: boolean) {
    this.error = null;
    try {
      await api('POST', `/v1/admin/webhooks/${encodeURIComponent(endpoint.id)}/${paused ? 'pause' : 'resume'}`, {});
      this.status = paused ? (t) => t.endpointPaused(endpoint.url) : (t) => t.endpointResumed(endpoint.url);
      await this.load();
      if (this.deliveries.has(endpoint.id)) await this.showDeliveries(endpoint.id);
    } catch (error) {
      this.error = error;
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
      this.status = (t) => t.endpointDeleted;
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }

  private renderDeliveries(endpoint: Endpoint, deliveries: Delivery[]) {
    const t = this.i18n.t;
    if (deliveries.length === 0) return html`<p>${t.noDeliveries}</p>`;
    const statusOf = (d: Delivery) => (d.status === 'pending' && !endpoint.enabled ? t.waitingPaused : t.deliveryStatus[d.status] ?? d.status);
    return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.recentDeliveries}>
      <table class="deliveries">
        <thead>
          <tr>
            <th scope="col">${t.eventColumn}</th>
            <th scope="col">${t.queuedColumn}</th>
            <th scope="col">${t.statusColumn}</th>
            <th scope="col">${t.attemptsColumn}</th>
            <th scope="col">${t.lastAnswerColumn}</th>
          </tr>
        </thead>
        <tbody>
          ${deliveries.map(
            (d) =>
              html`<tr>
                <td><code>${d.eventType}</code></td>
                <td>${dateTime(d.createdAt)}</td>
                <td class="delivery-status">${statusOf(d)}</td>
                <td>${d.attempts}</td>
                <td>${d.lastStatusCode ?? d.lastError ?? '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const t = this.i18n.t;
    return html`
      <h2 tabindex="-1">${t.nav.webhooks}</h2>
      <form class="card" @submit=${this.create} aria-labelledby="new-endpoint">
        <h3 id="new-endpoint">${t.registerEndpoint}</h3>
        <div class="field"><label for="url">${t.url}</label><input id="url" name="url" type="url" required placeholder="https://example.com/doorstep" /></div>
        <div class="field"><label for="wh-description">${t.description}</label><input id="wh-description" name="description" maxlength="500" /></div>
        <fieldset>
          <legend>${t.eventsLegend}</legend>
          ${EVENT_TYPES.map((type) => html`<label class="inline"><input type="checkbox" name="events" value=${type} /> <code>${type}</code></label>`)}
        </fieldset>
        <p><button type="submit">${t.register}</button></p>
      </form>
      ${this.created
        ? html`<section class="card" aria-labelledby="secret">
            <h3 id="secret">${t.secretFor(this.created.url)}</h3>
            <pre><code class="secret">${this.created.secret}</code></pre>
            <button class="link" @click=${() => (this.created = null)}>${t.storedIt}</button>
          </section>`
        : ''}
      <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      ${this.endpoints.length === 0 ? html`<p>${t.noEndpoints}</p>` : ''}
      ${this.endpoints.map(
        (e) => html`<article class="card endpoint" aria-labelledby=${`e-${e.id}`}>
          <h3 id=${`e-${e.id}`}>${e.url}${e.enabled ? '' : html` <span class="badge">${t.paused}</span>`}</h3>
          ${e.description ? html`<p>${e.description}</p>` : ''}
          ${e.enabled ? '' : html`<p class="hint">${t.pausedNote}</p>`}
          <p class="hint">${t.endpointDetails(e.events.length ? e.events.join(', ') : t.allEvents, dateTime(e.createdAt), e.secret)}</p>
          <div class="row">
            <button class="secondary" @click=${() => this.showDeliveries(e.id)}>${t.recentDeliveries}</button>
            <button class="secondary" @click=${() => this.setPaused(e, e.enabled)}>${e.enabled ? t.pause : t.resume}</button>
            ${e.enabled ? html`<button class="secondary" @click=${() => this.test(e.id)}>${t.sendTest}</button>` : ''}
            <button class=${this.confirming === e.id ? 'danger' : 'secondary'} @click=${() => this.deleteEndpoint(e.id)}>
              ${this.confirming === e.id ? t.confirmDelete : t.deleteEndpoint}
            </button>
          </div>
          ${this.deliveries.has(e.id) ? this.renderDeliveries(e, this.deliveries.get(e.id)!) : ''}
        </article>`,
      )}
    `;
  }
}
