// A customer's profile: contact, emails, addresses, their jobs, invoices and estimates, the Invite
// button (the address pre-filled from their emails and editable) and every invitation sent.
import { html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { NavigateEvent } from '../app';
import { calendarDate, dateOnly, dateTime, money } from '../format';
import { Localize, type Say } from '../i18n/localize';
import { shared } from '../styles';

interface Address {
  label?: string;
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface CustomerDetail {
  id: string;
  name: string;
  email: string | null;
  emails: { address: string; primary: boolean }[];
  phone: string | null;
  addresses: Address[];
  externalId: string | null;
  disabled: boolean;
}

interface Invitation {
  id: string;
  email: string;
  source: 'single' | 'bulk' | 'auto';
  createdAt: string;
  expiresAt: string | null;
  usedAt: string | null;
}

export const formatAddress = (a: Address) => [a.line1, a.line2, a.city, [a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');

export class DsCustomer extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  /** The customer shown. */
  @property() customerId = '';

  @state() private customer: CustomerDetail | null = null;
  @state() private invitations: Invitation[] = [];
  @state() private work: { appointments: any[]; invoices: any[]; estimates: any[] } = { appointments: [], invoices: [], estimates: [] };
  @state() private inviteEmail = '';
  @state() private status: Say | null = null;
  @state() private error: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const id = encodeURIComponent(this.customerId);
      const [customer, invitations, appointments, invoices, estimates] = await Promise.all([
        api<CustomerDetail>('GET', `/v1/admin/customers/${id}`),
        api<{ data: Invitation[] }>('GET', `/v1/admin/customers/${id}/invitations`),
        api<{ data: any[] }>('GET', `/v1/admin/appointments?customerId=${id}&limit=50`),
        api<{ data: any[] }>('GET', `/v1/admin/invoices?customerId=${id}&limit=50`),
        api<{ data: any[] }>('GET', `/v1/admin/estimates?customerId=${id}&limit=50`),
      ]);
      this.customer = customer;
      this.invitations = invitations.data;
      this.work = { appointments: appointments.data, invoices: invoices.data, estimates: estimates.data };
      if (!this.inviteEmail) this.inviteEmail = customer.email ?? '';
    } catch (error) {
      this.error = error;
    }
  }

  private async invite(event: SubmitEvent) {
    event.preventDefault();
    const email = this.inviteEmail.trim();
    this.busy = true;
    this.error = null;
    this.status = null;
    try {
      const sent = await api<Invitation>('POST', `/v1/admin/customers/${encodeURIComponent(this.customerId)}/invitations`, email ? { email } : {});
      this.status = (t) => t.invitationSent(sent.email, dateTime(sent.createdAt));
      await this.load();
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.i18n.t;
    const c = this.customer;
    const error = this.error ? errorMessage(this.error) : '';
    if (!c) return html`<h2 tabindex="-1">${t.customer}</h2><p class="error" role="alert">${error}</p>${error ? '' : html`<p role="status">${t.loading}</p>`}`;
    return html`
      <p><button class="link" @click=${() => this.dispatchEvent(new NavigateEvent('customers'))}>${t.allCustomers}</button></p>
      <h2 tabindex="-1">${c.name}${c.disabled ? html` <span class="badge">${t.disabled}</span>` : ''}</h2>
      <section class="card" aria-labelledby="contact">
        <h3 id="contact">${t.contact}</h3>
        <dl>
          <dt>${t.emails}</dt>
          <dd>${c.emails.length ? c.emails.map((e) => html`<div>${e.address}${e.primary ? ` ${t.primary}` : ''}</div>`) : t.none}</dd>
          <dt>${t.phone}</dt>
          <dd>${c.phone ?? '—'}</dd>
          <dt>${t.addresses}</dt>
          <dd>${c.addresses.length ? c.addresses.map((a) => html`<div>${a.label ? `${a.label}: ` : ''}${formatAddress(a)}</div>`) : t.none}</dd>
          ${c.externalId ? html`<dt>${t.externalId}</dt><dd>${c.externalId}</dd>` : ''}
        </dl>
        <button class="secondary" @click=${() => this.dispatchEvent(new NavigateEvent('customer-form', c.id))}>${t.editCustomer}</button>
      </section>

      <section class="card" aria-labelledby="invite">
        <h3 id="invite">${t.inviteTitle}</h3>
        <form @submit=${this.invite}>
          <div class="field">
            <label for="invite-email">${t.sendInvitationTo}</label>
            <input id="invite-email" name="email" type="email" list="customer-emails" required aria-describedby="invite-hint" .value=${this.inviteEmail} @input=${(e: Event) => (this.inviteEmail = (e.target as HTMLInputElement).value)} />
            <datalist id="customer-emails">${c.emails.map((e) => html`<option value=${e.address}></option>`)}</datalist>
            <p class="hint" id="invite-hint">${t.inviteHint}</p>
          </div>
          <p><button type="submit" ?disabled=${this.busy}>${t.invite}</button></p>
        </form>
        <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
        <p class="status error" role="alert">${error}</p>
        <h3 id="history">${t.invitationsSent}</h3>
        ${this.invitations.length
          ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="history">
              <table aria-labelledby="history">
                <thead>
                  <tr><th scope="col">${t.sentColumn}</th><th scope="col">${t.toColumn}</th><th scope="col">${t.howColumn}</th><th scope="col">${t.usedColumn}</th><th scope="col">${t.expiresColumn}</th></tr>
                </thead>
                <tbody>
                  ${this.invitations.map(
                    (i) => html`<tr class="invitation">
                      <td><time datetime=${i.createdAt}>${dateTime(i.createdAt)}</time></td>
                      <td>${i.email}</td>
                      <td>${t.invitationSources[i.source] ?? i.source}</td>
                      <td>${i.usedAt ? dateTime(i.usedAt) : t.notYet}</td>
                      <td>${dateTime(i.expiresAt)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p>${t.noInvitation}</p>`}
      </section>

      <section class="card" aria-labelledby="jobs">
        <h3 id="jobs">${t.nav.jobs}</h3>
        ${this.work.appointments.length
          ? html`<ul>
              ${this.work.appointments.map(
                (a) => html`<li>${dateTime(a.startsAt)} — ${a.description} (${t.appointmentStatus[a.status as keyof typeof t.appointmentStatus] ?? a.status})</li>`,
              )}
            </ul>`
          : html`<p>${t.noJobs}</p>`}
        <h3 id="invoices">${t.nav.invoices}</h3>
        ${this.work.invoices.length
          ? html`<ul>
              ${this.work.invoices.map(
                (i) =>
                  html`<li>
                    ${i.number}: ${money(i.total, i.currency)} — ${t.invoiceStatus[i.status as keyof typeof t.invoiceStatus] ?? i.status}${i.dueDate ? `, ${t.dueOn(calendarDate(i.dueDate))}` : ''}
                  </li>`,
              )}
            </ul>`
          : html`<p>${t.noInvoices}</p>`}
        <h3 id="estimates">${t.nav.estimates}</h3>
        ${this.work.estimates.length
          ? html`<ul>
              ${this.work.estimates.map(
                (e) =>
                  html`<li>${e.number} — ${t.estimateStatus[e.status as keyof typeof t.estimateStatus] ?? e.status}${e.expiresAt ? `, ${t.expiresOn(dateOnly(e.expiresAt))}` : ''}</li>`,
              )}
            </ul>`
          : html`<p>${t.noEstimates}</p>`}
      </section>
    `;
  }
}

/** Create or edit a customer. */
export class DsCustomerForm extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  /** The customer edited; null creates one. */
  @property() customerId: string | null = null;

  @state() private customer: CustomerDetail | null = null;
  @state() private error: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.customerId) {
      api<CustomerDetail>('GET', `/v1/admin/customers/${encodeURIComponent(this.customerId)}`).then(
        (c) => (this.customer = c),
        (error: unknown) => (this.error = error),
      );
    }
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const get = (name: string) => ((form.get(name) as string | null) ?? '').trim();
    const primary = get('email');
    const others = get('otherEmails')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .filter((e) => e.toLowerCase() !== primary.toLowerCase());
    const emails = [...(primary ? [{ address: primary, primary: true }] : []), ...others.map((address) => ({ address }))];
    const line1 = get('line1');
    const body: Record<string, unknown> = {
      name: get('name'),
      emails,
      phone: get('phone') || null,
      addresses: line1 ? [{ line1, ...(get('city') ? { city: get('city') } : {}), ...(get('region') ? { region: get('region') } : {}), ...(get('postalCode') ? { postalCode: get('postalCode') } : {}) }] : [],
    };
    this.busy = true;
    this.error = null;
    try {
      const saved = this.customerId
        ? await api<CustomerDetail>('PATCH', `/v1/admin/customers/${encodeURIComponent(this.customerId)}`, body)
        : await api<CustomerDetail>('POST', '/v1/admin/customers', body);
      this.dispatchEvent(new NavigateEvent('customer', saved.id));
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.i18n.t;
    const c = this.customer;
    const error = this.error ? errorMessage(this.error) : '';
    if (this.customerId && !c) return html`<h2 tabindex="-1">${t.editCustomer}</h2><p role=${error ? 'alert' : 'status'}>${error || t.loading}</p>`;
    const address = c?.addresses[0];
    return html`
      <h2 tabindex="-1">${c ? t.editTitle(c.name) : t.newCustomer}</h2>
      <form class="card" @submit=${this.save}>
        <div class="field"><label for="name">${t.name}</label><input id="name" name="name" required maxlength="200" .value=${c?.name ?? ''} /></div>
        <div class="field"><label for="email">${t.primaryEmail}</label><input id="email" name="email" type="email" .value=${c?.email ?? ''} /></div>
        <div class="field">
          <label for="otherEmails">${t.otherEmails}</label>
          <input id="otherEmails" name="otherEmails" .value=${c?.emails.filter((e) => !e.primary).map((e) => e.address).join(', ') ?? ''} aria-describedby="other-hint" />
          <p class="hint" id="other-hint">${t.commaSeparated}</p>
        </div>
        <div class="field"><label for="phone">${t.phone}</label><input id="phone" name="phone" type="tel" .value=${c?.phone ?? ''} /></div>
        <div class="field"><label for="line1">${t.street}</label><input id="line1" name="line1" .value=${address?.line1 ?? ''} /></div>
        <div class="field"><label for="city">${t.city}</label><input id="city" name="city" .value=${address?.city ?? ''} /></div>
        <div class="field"><label for="region">${t.region}</label><input id="region" name="region" .value=${address?.region ?? ''} /></div>
        <div class="field"><label for="postalCode">${t.postalCode}</label><input id="postalCode" name="postalCode" .value=${address?.postalCode ?? ''} /></div>
        <p class="row">
          <button type="submit" ?disabled=${this.busy}>${t.saveCustomer}</button>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(c ? new NavigateEvent('customer', c.id) : new NavigateEvent('customers'))}>${t.cancel}</button>
        </p>
        <p class="status error" role="alert">${error}</p>
      </form>
    `;
  }
}
