import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isApiError } from '../../api/client.js';
import type { Invoice } from '../../api/types.js';
import { PortalInvoicePaidEvent } from '../../events/portal-invoice-paid.js';
import { formatDate, formatMoney, formatTotals } from '../../i18n/format.js';
import { lineItems, totals } from '../../internal/line-items.js';
import { PortalView } from '../../internal/portal-view.js';
import { goToStripe, takeStripeReturn, waitForStripe, type StripeReturn } from '../../internal/stripe-return.js';
import { PagedList } from '../../internal/paged-list.js';
import { Task, TaskStatus } from '../../internal/task.js';
import { documentStyles } from '../../styles/documents.js';
import styles from './portal-invoices.styles.js';

type Shown = 'open' | 'overdue' | 'partial' | 'paid' | 'void' | 'draft';

const unpaid = (invoice: Invoice) => invoice.status === 'open' && invoice.amountDue > 0;

/** Today as `YYYY-MM-DD` where the customer is: due dates are calendar dates. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function shownStatus(invoice: Invoice): Shown {
  if (invoice.status !== 'open') return invoice.status;
  if (invoice.amountDue <= 0) return 'paid';
  if (invoice.dueDate && invoice.dueDate < today()) return 'overdue';
  return invoice.amountPaid > 0 ? 'partial' : 'open';
}

const TONE: Record<Shown, string> = { open: '', partial: '', overdue: 'bad', paid: 'good', void: 'quiet', draft: 'quiet' };

/**
 * @summary The Invoices view (SPEC §3.3): unpaid invoices first, then past ones; an invoice's
 * detail with its line items and totals, and **Pay**, which opens Stripe Checkout. Back from
 * Checkout (`#portal-checkout=success&invoice=…`) it waits for the server to confirm the payment.
 * @tag portal-invoices
 *
 * @event {PortalInvoicePaidEvent} portal-invoice-paid - The server confirmed the payment the customer just made.
 * @csspart invoice - Each invoice of the list.
 * @csspart invoice-detail - The open invoice.
 * @csspart line-items - The line items table.
 * @csspart totals - Subtotal, tax, total, amount paid and amount due.
 */
export class PortalInvoices extends PortalView {
  static override styles = [...PortalView.styles, documentStyles, styles];

  private readonly list = new PagedList<Invoice>(this, () => this.api, (api, cursor, signal) => api.invoices(cursor ? { cursor } : {}, signal));

  /** The open invoice: from the list when it is there, else from the server (a link about it). */
  private readonly detailTask = new Task(this, {
    args: () => [this.api, this.selected] as const,
    task: async ([api, id], { signal }) => {
      if (!id) return undefined;
      const listed = this.loaded().find((invoice) => invoice.id === id);
      if (listed) return listed;
      if (!api) return new Promise<never>(() => {});
      return api.invoice(id, signal);
    },
  });

  /** Pay: the server makes a Checkout Session for the amount due as stored; the browser goes there. */
  private readonly checkoutTask = new Task(this, {
    autoRun: false,
    task: async ([invoice]: readonly [Invoice], { signal }) => {
      try {
        const { url } = await this.api!.checkoutInvoice(invoice.id, signal);
        await goToStripe(url);
      } catch (error) {
        // Paid meanwhile (another tab, the office): show it as it is now.
        if (isApiError(error) && (error.code === 'invoice_paid' || error.code === 'nothing_due')) {
          this.remember(await this.api!.invoice(invoice.id, signal).catch(() => invoice));
        }
        throw error;
      }
    },
  });

  /** Back from Checkout: asks for the invoice until the server has Stripe's word that it is paid. */
  private readonly confirmTask = new Task(this, {
    args: () => [this.api, this.confirming] as const,
    task: async ([api, id], { signal }) => {
      if (!api || !id) return undefined;
      const paid = await waitForStripe(async () => {
        const invoice = await api.invoice(id, signal);
        return unpaid(invoice) ? undefined : invoice;
      }, signal);
      if (!paid) return null;
      this.remember(paid);
      const { number, amountPaid: amount, currency } = paid;
      this.dispatchEvent(new PortalInvoicePaidEvent({ invoiceId: id, number, amount, currency }));
      this.shell?.refreshSummary();
      return paid;
    },
  });

  /** The invoice shown in detail. */
  @state() private selected?: string | undefined;
  /** Newer copies of invoices than the list's (paid since). */
  @state() private fresh: Record<string, Invoice> = {};
  /** What Stripe Checkout said when it sent the customer back here. */
  @state() private returned: StripeReturn | null = null;
  /** The invoice whose payment is being confirmed. */
  @state() private confirming?: string;
  /** The invoice Pay was last pressed for (its error shows only on it). */
  @state() private paying?: string;

  /** The invoice to open, e.g. the one an emailed link was about. */
  @property({ attribute: false }) invoiceId?: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const back = takeStripeReturn('invoices');
    if (back) {
      this.returned = back;
      this.selected = back.invoiceId;
      if (back.outcome === 'success') this.confirming = back.invoiceId;
    }
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('invoiceId') && this.invoiceId) this.selected = this.invoiceId;
  }

  /** The shell focuses the view after navigating: the invoice when one is open, else the heading. */
  override focusHeading(): void {
    const detail = this.renderRoot.querySelector<HTMLElement>('#detail-heading');
    if (detail) detail.focus();
    else super.focusHeading();
  }

  private loaded(): Invoice[] {
    return this.list.items.map((invoice) => this.fresh[invoice.id] ?? invoice);
  }

  private remember(invoice: Invoice): void {
    this.fresh = { ...this.fresh, [invoice.id]: invoice };
  }

  /** Opens an invoice (or, without `id`, goes back to the list) and moves focus there. */
  private async show(id?: string): Promise<void> {
    const from = this.selected;
    this.selected = id;
    this.paying = undefined;
    await this.updateComplete;
    await this.detailTask.taskComplete;
    await this.updateComplete;
    const find = (selector: string) => this.renderRoot.querySelector<HTMLElement>(selector);
    const element = id ? (find('#detail-heading') ?? find('.back')) : find(`#view-${CSS.escape(from ?? '')}`);
    if (element) element.focus();
    else super.focusHeading();
  }

  private pay(invoice: Invoice): void {
    if (this.checkoutTask.status === TaskStatus.PENDING) return;
    this.paying = invoice.id;
    void this.checkoutTask.run([invoice]);
  }

  override render() {
    const { t } = this.localize;
    return this.frame(
      t.invoices,
      html`${this.renderReturn()} ${this.selected ? this.renderDetail() : this.renderListing()}`,
    );
  }

  /** After Checkout: confirming, received, still processing, or canceled. */
  private renderReturn(): unknown {
    const back = this.returned;
    if (!back) return nothing;
    const { t } = this.localize;
    let text: string;
    let tone = '';
    let again = false;
    if (back.outcome !== 'success') text = t.paymentCanceled;
    else if (this.confirmTask.status === TaskStatus.COMPLETE && this.confirmTask.value) {
      text = t.paymentReceived(this.confirmTask.value.number);
      tone = 'success';
    } else if (this.confirmTask.status === TaskStatus.PENDING || this.confirmTask.status === TaskStatus.INITIAL) text = t.paymentConfirming;
    else {
      text = t.paymentProcessing;
      again = true;
    }
    return html`<div class="live" role="status"><p class="notice ${tone}" part="payment-notice">${text}</p></div>
      ${again
        ? html`<button class="button secondary again" type="button" @click=${() => this.confirmTask.run()}>${t.checkAgain}</button>`
        : nothing}`;
  }

  private renderListing(): unknown {
    const { t } = this.localize;
    return this.list.render({
      pending: () => this.loading(t.loadingInvoices),
      error: () => this.failed(t.invoicesError, () => this.list.reload()),
      complete: () => this.renderList(this.loaded()),
    });
  }

  private renderList(invoices: Invoice[]): TemplateResult {
    const { t, locale } = this.localize;
    if (!invoices.length) return html`<div class="state"><p>${t.noInvoices}</p></div>`;
    const due = invoices.filter(unpaid);
    const past = invoices.filter((invoice) => !unpaid(invoice));
    const summary = this.shell?.summary?.unpaidInvoices;
    return html`<section class="section" aria-labelledby="unpaid-heading">
        <h3 id="unpaid-heading" class="section-heading">${t.unpaidInvoices}</h3>
        ${!due.length
          ? html`<p class="muted">${t.unpaidSummary(0, '')}</p>`
          : summary?.count
            ? html`<p class="muted">${t.unpaidSummary(summary.count, formatTotals(summary.totals, locale))}</p>`
            : nothing}
        ${due.length ? html`<ol class="cards">${due.map((invoice) => this.renderCard(invoice))}</ol>` : nothing}
      </section>
      ${past.length
        ? html`<section class="section" aria-labelledby="past-heading">
            <h3 id="past-heading" class="section-heading">${t.pastInvoices}</h3>
            <ol class="cards">${past.map((invoice) => this.renderCard(invoice))}</ol>
          </section>`
        : nothing}
      ${this.list.moreButton({ showMore: t.showMore, loading: t.loading, failed: t.invoicesError }, this.api)}`;
  }

  private renderStatus(invoice: Invoice): TemplateResult {
    const { t } = this.localize;
    const shown = shownStatus(invoice);
    return html`<span class="status ${TONE[shown]}" part="status"><span class="sr-only">${t.statusLabel}: </span>${t.invoiceStatus[shown]}</span>`;
  }

  /** Issue date, due date, and more: the facts both the list and the detail give. */
  private renderFacts(invoice: Invoice, more: [string, string][] = []): TemplateResult {
    const { t, locale } = this.localize;
    const facts: [string, string][] = [[t.issuedLabel, formatDate(invoice.sentAt ?? invoice.createdAt, locale, { dateStyle: 'medium' })]];
    // A calendar date: read in UTC so it is the same day everywhere.
    if (invoice.dueDate) facts.push([t.dueLabel, formatDate(`${invoice.dueDate}T00:00:00Z`, locale, { dateStyle: 'medium', timeZone: 'UTC' })]);
    return html`<dl class="facts">${[...facts, ...more].map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
  }

  private renderCard(invoice: Invoice): TemplateResult {
    const { t, locale } = this.localize;
    const money = (amount: number) => formatMoney(amount, invoice.currency, locale);
    return html`<li>
      <article class="card" part="invoice" aria-labelledby="invoice-${invoice.id}">
        <div class="head">
          <h4 id="invoice-${invoice.id}">${t.invoiceNumber(invoice.number)}</h4>
          ${this.renderStatus(invoice)}
        </div>
        ${this.renderFacts(invoice, [
          [t.totalLabel, money(invoice.total)],
          [t.amountDueLabel, money(invoice.amountDue)],
        ])}
        <div class="actions">
          <button id="view-${invoice.id}" class="button ${unpaid(invoice) ? '' : 'secondary'}" type="button" @click=${() => this.show(invoice.id)}>
            ${t.viewInvoice}<span class="sr-only"> ${invoice.number}</span>
          </button>
        </div>
      </article>
    </li>`;
  }

  private renderDetail(): TemplateResult {
    const { t } = this.localize;
    return html`<button class="link-button back" type="button" @click=${() => this.show()}>
        <span aria-hidden="true">${'\u2190 '}</span>${t.allInvoices}
      </button>
      ${this.detailTask.render({
        pending: () => this.loading(t.loadingInvoice, 1),
        error: (error) =>
          isApiError(error) && error.status === 404
            ? html`<div class="state" role="alert"><p>${t.invoiceNotFound}</p></div>`
            : this.failed(t.invoiceError, () => void this.detailTask.run()),
        complete: (invoice) => (invoice ? this.renderInvoice(this.fresh[invoice.id] ?? invoice) : nothing),
      })}`;
  }

  private renderInvoice(invoice: Invoice): TemplateResult {
    const { t, locale } = this.localize;
    const { currency } = invoice;
    const canPay = !!this.business?.features.payments && unpaid(invoice);
    const pending = this.checkoutTask.status === TaskStatus.PENDING && this.paying === invoice.id;
    const failed = this.checkoutTask.status === TaskStatus.ERROR && this.paying === invoice.id;
    const paidOn: [string, string][] = invoice.paidAt ? [[t.paidOnLabel, formatDate(invoice.paidAt, locale, { dateStyle: 'medium' })]] : [];
    return html`<article class="card detail" part="invoice-detail" aria-labelledby="detail-heading">
      <div class="head">
        <h3 id="detail-heading" tabindex="-1">${t.invoiceNumber(invoice.number)}</h3>
        ${this.renderStatus(invoice)}
      </div>
      ${this.renderFacts(invoice, paidOn)}
      ${lineItems(invoice.lineItems, currency, locale, t, t.lineItemsOf(t.invoiceNumber(invoice.number)))}
      ${totals(
        [
          [t.subtotalLabel, invoice.subtotal],
          [t.taxLabel, invoice.taxAmount],
          [t.totalLabel, invoice.total, true],
          [t.amountPaidLabel, invoice.amountPaid],
          [t.amountDueLabel, invoice.amountDue, true],
        ],
        currency,
        locale,
      )}
      ${canPay
        ? html`<div class="actions pay-row">
            <button class="button pay" part="pay-button" type="button" aria-disabled=${pending ? 'true' : 'false'} @click=${() => this.pay(invoice)}>
              ${pending ? t.openingCheckout : t.payAmount(formatMoney(invoice.amountDue, currency, locale))}
            </button>
            <p class="muted hint">${t.payHint}</p>
          </div>`
        : nothing}
      <div class="live" role="status">${pending ? html`<p class="sr-only">${t.openingCheckout}</p>` : nothing}</div>
      ${failed ? html`<p class="notice danger" role="alert">${this.checkoutError(this.checkoutTask.error)}</p>` : nothing}
    </article>`;
  }

  private checkoutError(error: unknown): string {
    const { t } = this.localize;
    if (!isApiError(error)) return t.serverError;
    switch (error.code) {
      case 'invoice_paid':
        return t.invoiceAlreadyPaid;
      case 'nothing_due':
      case 'invoice_not_payable':
        return t.nothingDue;
      case 'payments_disabled':
        return t.paymentsDisabled(this.business?.name ?? '');
      case 'network_error':
        return t.networkError;
      default:
        return t.serverError;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-invoices': PortalInvoices;
  }
}
