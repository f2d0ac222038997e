// Simple forms for businesses with no other system: schedule a job, create (and send) an invoice,
// create an estimate with options, cancel an estimate; each with the business's recent ones.
import { html, LitElement, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { api, errorMessage, listAll } from '../api';
import { dateOnly, dateTime, localToIso, money, toMinor } from '../format';
import { shared } from '../styles';

type Kind = 'jobs' | 'invoices' | 'estimates';

interface LineRow {
  description: string;
  quantity: string;
  price: string;
}

interface OptionRow {
  name: string;
  lines: LineRow[];
}

const emptyLine = (): LineRow => ({ description: '', quantity: '1', price: '' });

const TITLES: Record<Kind, string> = { jobs: 'Jobs', invoices: 'Invoices', estimates: 'Estimates' };
const PATHS: Record<Kind, string> = { jobs: 'appointments', invoices: 'invoices', estimates: 'estimates' };

export class DsWork extends LitElement {
  static override styles = shared;

  /** Which of the three this view handles. */
  @property() kind: Kind = 'jobs';

  @state() private customers: { id: string; name: string }[] = [];
  @state() private items: any[] = [];
  @state() private lines: LineRow[] = [emptyLine()];
  @state() private options: OptionRow[] = [{ name: 'Standard', lines: [emptyLine()] }];
  @state() private status = '';
  @state() private error = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('kind') && changed.get('kind') !== undefined) {
      this.status = '';
      this.error = '';
      void this.load();
    }
  }

  private async load() {
    try {
      const [customers, items] = await Promise.all([
        listAll<{ id: string; name: string }>('/v1/admin/customers', 500),
        api<{ data: any[] }>('GET', `/v1/admin/${PATHS[this.kind]}?limit=25`),
      ]);
      this.customers = customers;
      this.items = items.data;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private nameOf(customerId: string) {
    return this.customers.find((c) => c.id === customerId)?.name ?? customerId;
  }

  private lineItems(rows: LineRow[]) {
    return rows
      .filter((r) => r.description.trim())
      .map((r) => {
        const unitAmount = toMinor(r.price);
        if (Number.isNaN(unitAmount)) throw new Error(`"${r.description}": the price must be an amount such as 125.00.`);
        return { description: r.description.trim(), quantity: Number(r.quantity) || 1, unitAmount };
      });
  }

  private async run(work: () => Promise<string>) {
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      this.status = await work();
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => ((form.get(name) as string | null) ?? '').trim();
    const send = (event.submitter as HTMLButtonElement | null)?.value === 'send';
    void this.run(async () => {
      if (this.kind === 'jobs') {
        const job = await api('POST', '/v1/admin/appointments', {
          customerId: text('customerId'),
          startsAt: localToIso(text('startsAt')),
          description: text('description'),
          ...(text('arrivalWindow') ? { arrivalWindowMinutes: Number(text('arrivalWindow')) } : {}),
          ...(text('technicians') ? { technicians: text('technicians').split(',').map((t) => t.trim()).filter(Boolean) } : {}),
          ...(text('address') ? { address: text('address') } : {}),
        });
        formElement.reset();
        return `Job scheduled for ${dateTime(job.startsAt)}.`;
      }
      if (this.kind === 'invoices') {
        const invoice = await api('POST', '/v1/admin/invoices', {
          customerId: text('customerId'),
          number: text('number'),
          currency: text('currency') || 'usd',
          lineItems: this.lineItems(this.lines),
          ...(text('tax') ? { taxAmount: toMinor(text('tax')) } : {}),
          ...(text('dueDate') ? { dueDate: text('dueDate') } : {}),
        });
        if (send) await api('POST', `/v1/admin/invoices/${invoice.id}/send`);
        this.lines = [emptyLine()];
        formElement.reset();
        return send ? `Invoice ${invoice.number} created and emailed to the customer.` : `Invoice ${invoice.number} saved as a draft.`;
      }
      const estimate = await api('POST', '/v1/admin/estimates', {
        customerId: text('customerId'),
        number: text('number'),
        currency: text('currency') || 'usd',
        options: this.options.map((o) => ({ name: o.name.trim() || 'Option', lineItems: this.lineItems(o.lines) })),
        ...(text('expiresAt') ? { expiresAt: new Date(`${text('expiresAt')}T23:59:59`).toISOString() } : {}),
      });
      this.options = [{ name: 'Standard', lines: [emptyLine()] }];
      formElement.reset();
      return `Estimate ${estimate.number} created; the customer sees it in the portal.`;
    });
  }

  private renderLines(rows: LineRow[], update: (rows: LineRow[]) => void, prefix: string): TemplateResult {
    const set = (i: number, field: keyof LineRow, value: string) => update(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
    return html`<table>
      <thead><tr><th scope="col">Description</th><th scope="col">Quantity</th><th scope="col">Unit price</th></tr></thead>
      <tbody>
        ${rows.map(
          (r, i) => html`<tr>
            <td><input aria-label="Line ${i + 1} description" id=${`${prefix}-d${i}`} .value=${r.description} @input=${(e: Event) => set(i, 'description', (e.target as HTMLInputElement).value)} /></td>
            <td><input aria-label="Line ${i + 1} quantity" type="number" min="0.01" step="any" .value=${r.quantity} @input=${(e: Event) => set(i, 'quantity', (e.target as HTMLInputElement).value)} /></td>
            <td><input aria-label="Line ${i + 1} unit price" inputmode="decimal" placeholder="0.00" .value=${r.price} @input=${(e: Event) => set(i, 'price', (e.target as HTMLInputElement).value)} /></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <button type="button" class="secondary" @click=${() => update([...rows, emptyLine()])}>Add a line</button>`;
  }

  private renderForm(): TemplateResult {
    const customer = html`<div class="field">
      <label for="customerId">Customer</label>
      <select id="customerId" name="customerId" required>
        <option value="">Choose a customer…</option>
        ${this.customers.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
    </div>`;
    if (this.kind === 'jobs') {
      return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
        <h3 id="form-title">Schedule a job</h3>
        ${customer}
        <div class="field"><label for="startsAt">Starts</label><input id="startsAt" name="startsAt" type="datetime-local" required /></div>
        <div class="field"><label for="arrivalWindow">Arrival window (minutes)</label><input id="arrivalWindow" name="arrivalWindow" type="number" min="0" max="1440" /></div>
        <div class="field"><label for="description">Description</label><input id="description" name="description" required maxlength="2000" /></div>
        <div class="field"><label for="technicians">Technicians</label><input id="technicians" name="technicians" aria-describedby="tech-hint" /><p class="hint" id="tech-hint">Separated by commas.</p></div>
        <div class="field"><label for="address">Address</label><input id="address" name="address" aria-describedby="address-hint" /><p class="hint" id="address-hint">Empty: the customer's first address.</p></div>
        <p><button type="submit" ?disabled=${this.busy}>Schedule job</button></p>
      </form>`;
    }
    if (this.kind === 'invoices') {
      return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
        <h3 id="form-title">Create an invoice</h3>
        ${customer}
        <div class="field"><label for="number">Invoice number</label><input id="number" name="number" required maxlength="40" /></div>
        <div class="field"><label for="currency">Currency</label><input id="currency" name="currency" value="usd" maxlength="3" /></div>
        <h4>Line items</h4>
        ${this.renderLines(this.lines, (rows) => (this.lines = rows), 'inv')}
        <div class="field"><label for="tax">Tax</label><input id="tax" name="tax" inputmode="decimal" placeholder="0.00" /></div>
        <div class="field"><label for="dueDate">Due date</label><input id="dueDate" name="dueDate" type="date" /></div>
        <p class="row">
          <button type="submit" value="send" ?disabled=${this.busy}>Create and send</button>
          <button type="submit" value="draft" class="secondary" ?disabled=${this.busy}>Save as draft</button>
        </p>
      </form>`;
    }
    return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
      <h3 id="form-title">Create an estimate</h3>
      ${customer}
      <div class="field"><label for="number">Estimate number</label><input id="number" name="number" required maxlength="40" /></div>
      <div class="field"><label for="currency">Currency</label><input id="currency" name="currency" value="usd" maxlength="3" /></div>
      ${this.options.map(
        (o, i) => html`<fieldset class="card">
          <legend>Option ${i + 1}</legend>
          <div class="field">
            <label for=${`option-${i}`}>Option name</label>
            <input id=${`option-${i}`} .value=${o.name} @input=${(e: Event) => (this.options = this.options.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)))} />
          </div>
          ${this.renderLines(o.lines, (rows) => (this.options = this.options.map((x, j) => (j === i ? { ...x, lines: rows } : x))), `opt${i}`)}
        </fieldset>`,
      )}
      <p><button type="button" class="secondary" @click=${() => (this.options = [...this.options, { name: `Option ${this.options.length + 1}`, lines: [emptyLine()] }])}>Add an option</button></p>
      <div class="field"><label for="expiresAt">Expires on</label><input id="expiresAt" name="expiresAt" type="date" /></div>
      <p><button type="submit" ?disabled=${this.busy}>Create estimate</button></p>
    </form>`;
  }

  private renderList(): TemplateResult {
    if (this.items.length === 0) return html`<p>None yet.</p>`;
    if (this.kind === 'jobs') {
      return html`<table>
        <thead><tr><th scope="col">Starts</th><th scope="col">Customer</th><th scope="col">Description</th><th scope="col">Status</th></tr></thead>
        <tbody>${this.items.map((a) => html`<tr><td>${dateTime(a.startsAt)}</td><td>${this.nameOf(a.customerId)}</td><td>${a.description}</td><td>${a.status}</td></tr>`)}</tbody>
      </table>`;
    }
    if (this.kind === 'invoices') {
      return html`<table>
        <thead><tr><th scope="col">Number</th><th scope="col">Customer</th><th scope="col">Total</th><th scope="col">Status</th><th scope="col">Sent</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${this.items.map(
            (i) => html`<tr>
              <td>${i.number}</td><td>${this.nameOf(i.customerId)}</td><td>${money(i.total, i.currency)}</td><td>${i.status}</td><td>${dateTime(i.sentAt)}</td>
              <td>${i.status === 'draft' || i.status === 'open'
                ? html`<button class="secondary" @click=${() => this.run(async () => (await api('POST', `/v1/admin/invoices/${i.id}/send`), `Invoice ${i.number} emailed.`))}>${i.sentAt ? 'Send again' : 'Send'} ${i.number}</button>`
                : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
    }
    return html`<table>
      <thead><tr><th scope="col">Number</th><th scope="col">Customer</th><th scope="col">Options</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        ${this.items.map(
          (e) => html`<tr>
            <td>${e.number}</td><td>${this.nameOf(e.customerId)}</td><td>${e.options.map((o: any) => `${o.name} (${money(o.total, e.currency)})`).join(', ')}</td><td>${e.status}</td><td>${dateOnly(e.expiresAt)}</td>
            <td>${e.status === 'open' || e.status === 'expired'
              ? html`<button class="danger" @click=${() => this.run(async () => (await api('POST', `/v1/admin/estimates/${e.id}/cancel`), `Estimate ${e.number} canceled; the customer no longer sees it.`))}>Cancel ${e.number}</button>`
              : ''}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    return html`
      <h2 tabindex="-1">${TITLES[this.kind]}</h2>
      ${this.renderForm()}
      <p class="status ok" role="status">${this.status}</p>
      <p class="status error" role="alert">${this.error}</p>
      <section aria-labelledby="recent"><h3 id="recent">Recent ${TITLES[this.kind].toLowerCase()}</h3>${this.renderList()}</section>
    `;
  }
}
