// Customers: search, pages, selection across pages, and the bulk "Invite to Portal" with its
// preview (who has no email and will be skipped) before anything is sent. Large selections are sent
// in the background by the server; the progress is polled here.
import { html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { api, ConsoleError, errorMessage, listAll } from '../api';
import { NavigateEvent } from '../app';
import { list } from '../format';
import { Localize, type Say } from '../i18n/localize';
import { shared } from '../styles';

interface Customer {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  disabled: boolean;
}

interface Named {
  id: string;
  name: string;
}

interface Preview {
  invited: (Named & { email: string })[];
  skippedNoEmail: Named[];
  skippedDisabled: Named[];
  notFound: string[];
}

interface Job {
  jobId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  invited: number;
  skippedNoEmail: Named[];
  skippedDisabled: Named[];
}

const PAGE = 25;

export class DsCustomers extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  @state() private rows: Customer[] = [];
  @state() private q = '';
  /** Cursors of the pages before the current one, and the current one's. */
  @state() private cursors: (string | null)[] = [null];
  @state() private next: string | null = null;
  @state() private selected = new Map<string, string>();
  @state() private action = '';
  @state() private preview: Preview | null = null;
  @state() private job: Job | null = null;
  @state() private status: Say | null = null;
  @state() private error: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = null;
    try {
      const cursor = this.cursors.at(-1);
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (this.q) params.set('q', this.q);
      if (cursor) params.set('cursor', cursor);
      const page = await api<{ data: Customer[]; nextCursor: string | null }>('GET', `/v1/admin/customers?${params}`);
      this.rows = page.data;
      this.next = page.nextCursor;
    } catch (error) {
      this.error = error;
    }
  }

  private search(event: SubmitEvent) {
    event.preventDefault();
    this.q = (new FormData(event.target as HTMLFormElement).get('q') as string).trim();
    this.cursors = [null];
    void this.load();
  }

  private toggle(customer: Customer, on: boolean) {
    const selected = new Map(this.selected);
    if (on) selected.set(customer.id, customer.name);
    else selected.delete(customer.id);
    this.selected = selected;
  }

  private togglePage(on: boolean) {
    const selected = new Map(this.selected);
    for (const c of this.rows) on ? selected.set(c.id, c.name) : selected.delete(c.id);
    this.selected = selected;
  }

  private async selectAllMatching() {
    this.busy = true;
    try {
      const all = await listAll<Customer>(`/v1/admin/customers${this.q ? `?q=${encodeURIComponent(this.q)}` : ''}`);
      this.selected = new Map(all.map((c) => [c.id, c.name]));
      const count = this.selected.size;
      this.status = (t) => t.customersSelected(count);
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async apply() {
    if (this.action !== 'invite' || this.selected.size === 0) {
      this.status = this.selected.size === 0 ? (t) => t.selectFirst : (t) => t.chooseActionFirst;
      return;
    }
    this.busy = true;
    this.error = null;
    this.job = null;
    try {
      this.preview = await api<Preview>('POST', '/v1/admin/invitations/bulk', { customerIds: [...this.selected.keys()], dryRun: true });
      this.status = null;
      await this.updateComplete;
      (this.renderRoot.querySelector('#preview-title') as HTMLElement | null)?.focus();
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async send() {
    this.busy = true;
    this.error = null;
    try {
      const ids = [...this.selected.keys()];
      const res = await api<Preview & { jobId?: string }>('POST', '/v1/admin/invitations/bulk', { customerIds: ids });
      this.preview = null;
      if (res.jobId) {
        this.job = res as unknown as Job;
        await this.poll(res.jobId);
      } else {
        this.report(res.invited.length, res.skippedNoEmail, res.skippedDisabled);
      }
      this.selected = new Map();
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async poll(jobId: string) {
    for (;;) {
      const job = await api<Job>('GET', `/v1/admin/invitations/bulk/${jobId}`);
      this.job = job;
      this.status = (t) => t.sendingProgress(job.processed, job.total);
      if (job.status === 'done' || job.status === 'failed') {
        if (job.status === 'failed') this.error = new ConsoleError((t) => t.sendingStopped);
        this.report(job.invited, job.skippedNoEmail, job.skippedDisabled);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private report(invited: number, noEmail: Named[], disabled: Named[]) {
    this.status = (t) =>
      [
        t.sentInvitations(invited),
        ...(noEmail.length ? [t.skippedNoEmail(list(noEmail.map((c) => c.name)))] : []),
        ...(disabled.length ? [t.skippedDisabled(list(disabled.map((c) => c.name)))] : []),
      ].join(' ');
  }

  private renderPreview(p: Preview) {
    const t = this.i18n.t;
    return html`<section class="card" aria-labelledby="preview-title">
      <h3 id="preview-title" tabindex="-1">${t.previewTitle(p.invited.length)}</h3>
      <p>${t.previewPrimary}</p>
      ${p.skippedNoEmail.length
        ? html`<p><strong>${t.previewNoEmail}</strong></p>
            <ul class="skipped-no-email">
              ${p.skippedNoEmail.map((c) => html`<li>${c.name}</li>`)}
            </ul>`
        : html`<p>${t.previewAllHaveEmail}</p>`}
      ${p.skippedDisabled.length ? html`<p>${t.previewDisabled(list(p.skippedDisabled.map((c) => c.name)))}</p>` : ''}
      <div class="row">
        <button @click=${this.send} ?disabled=${this.busy || p.invited.length === 0}>${t.sendInvitations}</button>
        <button class="secondary" @click=${() => (this.preview = null)}>${t.cancel}</button>
      </div>
    </section>`;
  }

  override render() {
    const t = this.i18n.t;
    const pageAllSelected = this.rows.length > 0 && this.rows.every((c) => this.selected.has(c.id));
    return html`
      <h2 tabindex="-1">${t.nav.customers}</h2>
      <div class="row">
        <form class="row" role="search" @submit=${this.search}>
          <label class="sr-only" for="q">${t.searchCustomers}</label>
          <input id="q" name="q" type="search" placeholder=${t.searchPlaceholder} .value=${this.q} />
          <button type="submit">${t.search}</button>
        </form>
        <button class="secondary" @click=${() => this.dispatchEvent(new NavigateEvent('customer-form'))}>${t.newCustomer}</button>
      </div>
      <div class="row">
        <label class="inline" for="bulk">${t.bulkActions}</label>
        <select id="bulk" .value=${this.action} @change=${(e: Event) => (this.action = (e.target as HTMLSelectElement).value)}>
          <option value="">${t.chooseAction}</option>
          <option value="invite">${t.inviteToPortal}</option>
        </select>
        <button @click=${this.apply} ?disabled=${this.busy}>${t.applyTo(this.selected.size)}</button>
        <button class="link" @click=${this.selectAllMatching} ?disabled=${this.busy}>${t.selectEvery(Boolean(this.q))}</button>
        ${this.selected.size ? html`<button class="link" @click=${() => (this.selected = new Map())}>${t.clearSelection}</button>` : ''}
      </div>
      <p class="status" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      ${this.job && this.job.status !== 'done'
        ? html`<p><label for="progress">${t.invitationsProgress}</label><progress id="progress" max=${this.job.total} .value=${this.job.processed}></progress></p>`
        : ''}
      ${this.preview ? this.renderPreview(this.preview) : ''}
      <div class="table-wrap" role="region" tabindex="0" aria-label=${t.nav.customers}>
        <table>
          <thead>
            <tr>
              <th scope="col"><input type="checkbox" aria-label=${t.selectPage} .checked=${pageAllSelected} @change=${(e: Event) => this.togglePage((e.target as HTMLInputElement).checked)} /></th>
              <th scope="col">${t.nameColumn}</th>
              <th scope="col">${t.primaryEmailColumn}</th>
              <th scope="col">${t.phoneColumn}</th>
            </tr>
          </thead>
          <tbody>
            ${this.rows.map(
              (c) => html`<tr>
                <td><input type="checkbox" aria-label=${t.selectCustomer(c.name)} .checked=${this.selected.has(c.id)} @change=${(e: Event) => this.toggle(c, (e.target as HTMLInputElement).checked)} /></td>
                <td><button class="link" @click=${() => this.dispatchEvent(new NavigateEvent('customer', c.id))}>${c.name}</button>${c.disabled ? html` <span class="badge">${t.disabled}</span>` : ''}</td>
                <td>${c.email ?? html`<span class="hint">${t.noEmail}</span>`}</td>
                <td>${c.phone ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.rows.length === 0 ? html`<p>${this.q ? t.noMatch : t.noCustomers}</p>` : ''}
      <nav class="row" aria-label=${t.customerPages}>
        <button class="secondary" ?disabled=${this.cursors.length < 2} @click=${() => ((this.cursors = this.cursors.slice(0, -1)), void this.load())}>${t.previousPage}</button>
        <button class="secondary" ?disabled=${!this.next} @click=${() => ((this.cursors = [...this.cursors, this.next]), void this.load())}>${t.nextPage}</button>
      </nav>
    `;
  }
}
