// Simple forms for businesses with no other system: schedule a job, create (and send) an invoice,
// create an estimate with options, cancel an estimate; each with the business's recent ones.
import { html, LitElement, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { act } from '../act';
import { api, ConsoleError, errorMessage, listAll } from '../api';
import { calendarDate, dateOnly, dateTime, list, localToIso, money, toMinor } from '../format';
import { Localize, text as consoleText, type ConsoleText, type Say } from '../i18n/localize';
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

const RECENT: Record<Kind, 'recentJobs' | 'recentInvoices' | 'recentEstimates'> = { jobs: 'recentJobs', invoices: 'recentInvoices', estimates: 'recentEstimates' };
const PATHS: Record<Kind, string> = { jobs: 'appointments', invoices: 'invoices', estimates: 'estimates' };

const firstOption = (): OptionRow => ({ name: consoleText().defaultOptionName, lines: [emptyLine()] });

export class DsWork extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  /** Which of the three this view handles. */
  @property() kind: Kind = 'jobs';

  @state() private customers: { id: string; name: string }[] = [];
  @state() private items: any[] = [];
  @state() private lines: LineRow[] = [emptyLine()];
  @state() private options: OptionRow[] = [firstOption()];
  // Set by act().
  @state() status: Say | null = null;
  @state() error: unknown = null;
  @state() busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The other kind's rows are not this kind's: never render jobs as invoices while loading.
    if (changed.has('kind') && changed.get('kind') !== undefined) {
      this.items = [];
      this.status = null;
      this.error = null;
      void this.load();
    }
  }

  private async load() {
    const kind = this.kind;
    try {
      const [customers, items] = await Promise.all([
        listAll<{ id: string; name: string }>('/v1/admin/customers', 500),
        api<{ data: any[] }>('GET', `/v1/admin/${PATHS[kind]}?limit=25`),
      ]);
      this.customers = customers;
      if (kind === this.kind) this.items = items.data;
    } catch (error) {
      this.error = error;
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
        if (Number.isNaN(unitAmount)) throw new ConsoleError((t) => t.priceInvalid(r.description.trim()));
        return { description: r.description.trim(), quantity: Number(r.quantity) || 1, unitAmount };
      });
  }

  private run(work: () => Promise<Say>) {
    return act(this, work, () => this.load());
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
        return (t) => t.jobScheduled(dateTime(job.startsAt));
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
        return send ? (t) => t.invoiceCreatedSent(invoice.number) : (t) => t.invoiceDraft(invoice.number);
      }
      const estimate = await api('POST', '/v1/admin/estimates', {
        customerId: text('customerId'),
        number: text('number'),
        currency: text('currency') || 'usd',
        options: this.options.map((o, i) => ({ name: o.name.trim() || this.i18n.t.option(i + 1), lineItems: this.lineItems(o.lines) })),
        ...(text('expiresAt') ? { expiresAt: new Date(`${text('expiresAt')}T23:59:59`).toISOString() } : {}),
      });
      this.options = [firstOption()];
      formElement.reset();
      return (t) => t.estimateCreated(estimate.number);
    });
  }

  private renderLines(rows: LineRow[], update: (rows: LineRow[]) => void, prefix: string): TemplateResult {
    const t = this.i18n.t;
    const set = (i: number, field: keyof LineRow, value: string) => update(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
    return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.lineItems}>
        <table>
          <thead><tr><th scope="col">${t.descriptionColumn}</th><th scope="col">${t.quantityColumn}</th><th scope="col">${t.unitPriceColumn}</th></tr></thead>
          <tbody>
            ${rows.map(
              (r, i) => html`<tr>
                <td><input aria-label=${t.lineDescription(i + 1)} id=${`${prefix}-d${i}`} .value=${r.description} @input=${(e: Event) => set(i, 'description', (e.target as HTMLInputElement).value)} /></td>
                <td><input aria-label=${t.lineQuantity(i + 1)} type="number" min="0.01" step="any" .value=${r.quantity} @input=${(e: Event) => set(i, 'quantity', (e.target as HTMLInputElement).value)} /></td>
                <td><input aria-label=${t.lineUnitPrice(i + 1)} inputmode="decimal" placeholder="0.00" .value=${r.price} @input=${(e: Event) => set(i, 'price', (e.target as HTMLInputElement).value)} /></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <button type="button" class="secondary" @click=${() => update([...rows, emptyLine()])}>${t.addLine}</button>`;
  }

  private renderForm(): TemplateResult {
    const t = this.i18n.t;
    const customer = html`<div class="field">
      <label for="customerId">${t.customer}</label>
      <select id="customerId" name="customerId" required>
        <option value="">${t.chooseCustomer}</option>
        ${this.customers.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
    </div>`;
    if (this.kind === 'jobs') {
      return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
        <h3 id="form-title">${t.scheduleJobTitle}</h3>
        ${customer}
        <div class="field"><label for="startsAt">${t.starts}</label><input id="startsAt" name="startsAt" type="datetime-local" required /></div>
        <div class="field"><label for="arrivalWindow">${t.arrivalWindow}</label><input id="arrivalWindow" name="arrivalWindow" type="number" min="0" max="1440" /></div>
        <div class="field"><label for="description">${t.description}</label><input id="description" name="description" required maxlength="2000" /></div>
        <div class="field">
          <label for="technicians">${t.technicians}</label><input id="technicians" name="technicians" aria-describedby="tech-hint" />
          <p class="hint" id="tech-hint">${t.commaSeparated}</p>
        </div>
        <div class="field">
          <label for="address">${t.address}</label><input id="address" name="address" aria-describedby="address-hint" />
          <p class="hint" id="address-hint">${t.addressHint}</p>
        </div>
        <p><button type="submit" ?disabled=${this.busy}>${t.scheduleJob}</button></p>
      </form>`;
    }
    if (this.kind === 'invoices') {
      return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
        <h3 id="form-title">${t.createInvoiceTitle}</h3>
        ${customer}
        <div class="field"><label for="number">${t.invoiceNumber}</label><input id="number" name="number" required maxlength="40" /></div>
        <div class="field"><label for="currency">${t.currency}</label><input id="currency" name="currency" value="usd" maxlength="3" /></div>
        <h4>${t.lineItems}</h4>
        ${this.renderLines(this.lines, (rows) => (this.lines = rows), 'inv')}
        <div class="field"><label for="tax">${t.tax}</label><input id="tax" name="tax" inputmode="decimal" placeholder="0.00" /></div>
        <div class="field"><label for="dueDate">${t.dueDate}</label><input id="dueDate" name="dueDate" type="date" /></div>
        <p class="row">
          <button type="submit" value="send" ?disabled=${this.busy}>${t.createAndSend}</button>
          <button type="submit" value="draft" class="secondary" ?disabled=${this.busy}>${t.saveDraft}</button>
        </p>
      </form>`;
    }
    return html`<form class="card" @submit=${this.submit} aria-labelledby="form-title">
      <h3 id="form-title">${t.createEstimateTitle}</h3>
      ${customer}
      <div class="field"><label for="number">${t.estimateNumber}</label><input id="number" name="number" required maxlength="40" /></div>
      <div class="field"><label for="currency">${t.currency}</label><input id="currency" name="currency" value="usd" maxlength="3" /></div>
      ${this.options.map(
        (o, i) => html`<fieldset class="card">
          <legend>${t.option(i + 1)}</legend>
          <div class="field">
            <label for=${`option-${i}`}>${t.optionName}</label>
            <input id=${`option-${i}`} .value=${o.name} @input=${(e: Event) => (this.options = this.options.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)))} />
          </div>
          ${this.renderLines(o.lines, (rows) => (this.options = this.options.map((x, j) => (j === i ? { ...x, lines: rows } : x))), `opt${i}`)}
        </fieldset>`,
      )}
      <p>
        <button type="button" class="secondary" @click=${() => (this.options = [...this.options, { name: t.option(this.options.length + 1), lines: [emptyLine()] }])}>${t.addOption}</button>
      </p>
      <div class="field"><label for="expiresAt">${t.expiresOnLabel}</label><input id="expiresAt" name="expiresAt" type="date" /></div>
      <p><button type="submit" ?disabled=${this.busy}>${t.createEstimate}</button></p>
    </form>`;
  }

  private renderList(): TemplateResult {
    const t = this.i18n.t;
    if (this.items.length === 0) return html`<p>${t.noneYet}</p>`;
    const actions = html`<th scope="col"><span class="sr-only">${t.actions}</span></th>`;
    if (this.kind === 'jobs') {
      return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.recentJobs}>
        <table>
          <thead><tr><th scope="col">${t.startsColumn}</th><th scope="col">${t.customerColumn}</th><th scope="col">${t.descriptionColumn}</th><th scope="col">${t.statusColumn}</th></tr></thead>
          <tbody>
            ${this.items.map(
              (a) =>
                html`<tr><td>${dateTime(a.startsAt)}</td><td>${this.nameOf(a.customerId)}</td><td>${a.description}</td><td>${t.appointmentStatus[a.status as keyof typeof t.appointmentStatus] ?? a.status}</td></tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    }
    if (this.kind === 'invoices') {
      return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.recentInvoices}>
        <table>
          <thead>
            <tr><th scope="col">${t.numberColumn}</th><th scope="col">${t.customerColumn}</th><th scope="col">${t.totalColumn}</th><th scope="col">${t.statusColumn}</th><th scope="col">${t.sentColumn}</th>${actions}</tr>
          </thead>
          <tbody>
            ${this.items.map(
              (i) => html`<tr>
                <td>${i.number}</td>
                <td>${this.nameOf(i.customerId)}</td>
                <td>${money(i.total, i.currency)}</td>
                <td>${t.invoiceStatus[i.status as keyof typeof t.invoiceStatus] ?? i.status}${i.dueDate ? html`<br /><span class="hint">${t.dueOn(calendarDate(i.dueDate))}</span>` : ''}</td>
                <td>${dateTime(i.sentAt)}</td>
                <td>
                  ${i.status === 'draft' || i.status === 'open'
                    ? html`<button class="secondary" @click=${() => this.run(async () => (await api('POST', `/v1/admin/invoices/${i.id}/send`), (t: ConsoleText) => t.invoiceEmailed(i.number)))}>
                        ${i.sentAt ? t.sendInvoiceAgain : t.sendInvoice} ${i.number}
                      </button>`
                    : ''}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    }
    return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t.recentEstimates}>
      <table>
        <thead>
          <tr><th scope="col">${t.numberColumn}</th><th scope="col">${t.customerColumn}</th><th scope="col">${t.optionsColumn}</th><th scope="col">${t.statusColumn}</th><th scope="col">${t.expiresColumn}</th>${actions}</tr>
        </thead>
        <tbody>
          ${this.items.map(
            (e) => html`<tr>
              <td>${e.number}</td>
              <td>${this.nameOf(e.customerId)}</td>
              <td>${list(e.options.map((o: any) => `${o.name} (${money(o.total, e.currency)})`))}</td>
              <td>${t.estimateStatus[e.status as keyof typeof t.estimateStatus] ?? e.status}</td>
              <td>${dateOnly(e.expiresAt)}</td>
              <td>
                ${e.status === 'open' || e.status === 'expired'
                  ? html`<button class="danger" @click=${() => this.run(async () => (await api('POST', `/v1/admin/estimates/${e.id}/cancel`), (t: ConsoleText) => t.estimateCanceled(e.number)))}>
                      ${t.cancelEstimate} ${e.number}
                    </button>`
                  : ''}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const t = this.i18n.t;
    return html`
      <h2 tabindex="-1">${t.nav[this.kind]}</h2>
      ${this.renderForm()}
      <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      <section><h3 id="recent">${t[RECENT[this.kind]]}</h3>${this.renderList()}</section>
    `;
  }
}
