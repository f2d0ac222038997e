// A customer's profile: contact, emails, addresses, their jobs, invoices and estimates, the Invite
// button (the address pre-filled from their emails and editable) and every invitation sent.
import { html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { NavigateEvent } from '../app';
import { dateOnly, dateTime, money } from '../format';
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
  source: string;
  createdAt: string;
  expiresAt: string | null;
  usedAt: string | null;
}

export const formatAddress = (a: Address) => [a.line1, a.line2, a.city, [a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');

export class DsCustomer extends LitElement {
  static override styles = shared;

  /** The customer shown. */
  @property() customerId = '';

  @state() private customer: CustomerDetail | null = null;
  @state() private invitations: Invitation[] = [];
  @state() private work: { appointments: any[]; invoices: any[]; estimates: any[] } = { appointments: [], invoices: [], estimates: [] };
  @state() private inviteEmail = '';
  @state() private status = '';
  @state() private error = '';
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
      this.error = errorMessage(error);
    }
  }

  private async invite(event: SubmitEvent) {
    event.preventDefault();
    const email = this.inviteEmail.trim();
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      const sent = await api<Invitation>('POST', `/v1/admin/customers/${encodeURIComponent(this.customerId)}/invitations`, email ? { email } : {});
      this.status = `Invitation sent to ${sent.email} on ${dateTime(sent.createdAt)}.`;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const c = this.customer;
    if (!c) return html`<h2 tabindex="-1">Customer</h2><p class="error" role="alert">${this.error}</p>${this.error ? '' : html`<p role="status">Loading…</p>`}`;
    return html`
      <p><button class="link" @click=${() => this.dispatchEvent(new NavigateEvent('customers'))}>← All customers</button></p>
      <h2 tabindex="-1">${c.name}${c.disabled ? html` <span class="badge">disabled</span>` : ''}</h2>
      <section class="card" aria-labelledby="contact">
        <h3 id="contact">Contact</h3>
        <dl>
          <dt>Emails</dt>
          <dd>${c.emails.length ? c.emails.map((e) => html`<div>${e.address}${e.primary ? ' (primary)' : ''}</div>`) : 'None'}</dd>
          <dt>Phone</dt>
          <dd>${c.phone ?? '—'}</dd>
          <dt>Addresses</dt>
          <dd>${c.addresses.length ? c.addresses.map((a) => html`<div>${a.label ? `${a.label}: ` : ''}${formatAddress(a)}</div>`) : 'None'}</dd>
          ${c.externalId ? html`<dt>External id</dt><dd>${c.externalId}</dd>` : ''}
        </dl>
        <button class="secondary" @click=${() => this.dispatchEvent(new NavigateEvent('customer-form', c.id))}>Edit customer</button>
      </section>

      <section class="card" aria-labelledby="invite">
        <h3 id="invite">Invite to the portal</h3>
        <form @submit=${this.invite}>
          <div class="field">
            <label for="invite-email">Send the invitation to</label>
            <input id="invite-email" name="email" type="email" list="customer-emails" required .value=${this.inviteEmail} @input=${(e: Event) => (this.inviteEmail = (e.target as HTMLInputElement).value)} />
            <datalist id="customer-emails">${c.emails.map((e) => html`<option value=${e.address}></option>`)}</datalist>
            <p class="hint">One of their emails, or type a new address (it is added to the customer).</p>
          </div>
          <p><button type="submit" ?disabled=${this.busy}>Invite</button></p>
        </form>
        <p class="status ok" role="status">${this.status}</p>
        <p class="status error" role="alert">${this.error}</p>
        <h3 id="history">Invitations sent</h3>
        ${this.invitations.length
          ? html`<table aria-labelledby="history">
              <thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">How</th><th scope="col">Used</th><th scope="col">Expires</th></tr></thead>
              <tbody>
                ${this.invitations.map(
                  (i) => html`<tr class="invitation">
                    <td><time datetime=${i.createdAt}>${dateTime(i.createdAt)}</time></td>
                    <td>${i.email}</td>
                    <td>${i.source}</td>
                    <td>${i.usedAt ? dateTime(i.usedAt) : 'Not yet'}</td>
                    <td>${dateTime(i.expiresAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>No invitation sent yet.</p>`}
      </section>

      <section class="card" aria-labelledby="jobs">
        <h3 id="jobs">Jobs</h3>
        ${this.work.appointments.length
          ? html`<ul>${this.work.appointments.map((a) => html`<li>${dateTime(a.startsAt)} — ${a.description} (${a.status})</li>`)}</ul>`
          : html`<p>No jobs.</p>`}
        <h3 id="invoices">Invoices</h3>
        ${this.work.invoices.length
          ? html`<ul>${this.work.invoices.map((i) => html`<li>${i.number}: ${money(i.total, i.currency)} — ${i.status}${i.dueDate ? `, due ${i.dueDate}` : ''}</li>`)}</ul>`
          : html`<p>No invoices.</p>`}
        <h3 id="estimates">Estimates</h3>
        ${this.work.estimates.length
          ? html`<ul>${this.work.estimates.map((e) => html`<li>${e.number} — ${e.status}${e.expiresAt ? `, expires ${dateOnly(e.expiresAt)}` : ''}</li>`)}</ul>`
          : html`<p>No estimates.</p>`}
      </section>
    `;
  }
}

/** Create or edit a customer. */
export class DsCustomerForm extends LitElement {
  static override styles = shared;

  /** The customer edited; null creates one. */
  @property() customerId: string | null = null;

  @state() private customer: CustomerDetail | null = null;
  @state() private error = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.customerId) {
      api<CustomerDetail>('GET', `/v1/admin/customers/${encodeURIComponent(this.customerId)}`).then(
        (c) => (this.customer = c),
        (error) => (this.error = errorMessage(error)),
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
    this.error = '';
    try {
      const saved = this.customerId
        ? await api<CustomerDetail>('PATCH', `/v1/admin/customers/${encodeURIComponent(this.customerId)}`, body)
        : await api<CustomerDetail>('POST', '/v1/admin/customers', body);
      this.dispatchEvent(new NavigateEvent('customer', saved.id));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const c = this.customer;
    if (this.customerId && !c) return html`<h2 tabindex="-1">Edit customer</h2><p role="status">${this.error || 'Loading…'}</p>`;
    const address = c?.addresses[0];
    return html`
      <h2 tabindex="-1">${c ? `Edit ${c.name}` : 'New customer'}</h2>
      <form class="card" @submit=${this.save}>
        <div class="field"><label for="name">Name</label><input id="name" name="name" required maxlength="200" .value=${c?.name ?? ''} /></div>
        <div class="field"><label for="email">Primary email</label><input id="email" name="email" type="email" .value=${c?.email ?? ''} /></div>
        <div class="field">
          <label for="otherEmails">Other emails</label>
          <input id="otherEmails" name="otherEmails" .value=${c?.emails.filter((e) => !e.primary).map((e) => e.address).join(', ') ?? ''} aria-describedby="other-hint" />
          <p class="hint" id="other-hint">Separated by commas.</p>
        </div>
        <div class="field"><label for="phone">Phone</label><input id="phone" name="phone" type="tel" .value=${c?.phone ?? ''} /></div>
        <div class="field"><label for="line1">Street address</label><input id="line1" name="line1" .value=${address?.line1 ?? ''} /></div>
        <div class="field"><label for="city">City</label><input id="city" name="city" .value=${address?.city ?? ''} /></div>
        <div class="field"><label for="region">State / region</label><input id="region" name="region" .value=${address?.region ?? ''} /></div>
        <div class="field"><label for="postalCode">Postal code</label><input id="postalCode" name="postalCode" .value=${address?.postalCode ?? ''} /></div>
        <p class="row">
          <button type="submit" ?disabled=${this.busy}>Save customer</button>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(c ? new NavigateEvent('customer', c.id) : new NavigateEvent('customers'))}>Cancel</button>
        </p>
        <p class="status error" role="alert">${this.error}</p>
      </form>
    `;
  }
}
