import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { isApiError } from '../../api/client.js';
import type { Estimate, EstimateOption } from '../../api/types.js';
import { PortalEstimateApprovedEvent } from '../../events/portal-estimate-approved.js';
import { PortalEstimateDeclinedEvent } from '../../events/portal-estimate-declined.js';
import { formatDate, formatMoney } from '../../i18n/format.js';
import { showDialog } from '../../internal/dialog.js';
import { lineItems, totals } from '../../internal/line-items.js';
import { PortalView } from '../../internal/portal-view.js';
import { PagedList } from '../../internal/paged-list.js';
import { Task, TaskStatus } from '../../internal/task.js';
import { dialogStyles } from '../../styles/dialog.js';
import { documentStyles } from '../../styles/documents.js';
import styles from './portal-estimates.styles.js';

type Action = 'approve' | 'decline';

interface Decision {
  estimate: Estimate;
  action: Action;
}

const TONE = { open: '', approved: 'good', declined: 'quiet', expired: 'warn' } as const;

/**
 * @summary The Estimates view (SPEC §3.3): open estimates first, each with its options and line
 * items, to **Approve** (choosing an option when there are several) or **Decline** (with an
 * optional reason), each confirmed in a dialog; then past ones: approved (with the option chosen),
 * declined (with the reason) and expired.
 * @tag portal-estimates
 *
 * @event {PortalEstimateApprovedEvent} portal-estimate-approved - The customer approved an estimate.
 * @event {PortalEstimateDeclinedEvent} portal-estimate-declined - The customer declined an estimate.
 * @csspart estimate - Each estimate.
 * @csspart option - Each option of an estimate.
 * @csspart line-items - The line items tables.
 * @csspart totals - Subtotal, tax and total of an option.
 * @csspart dialog - The approve and decline dialog.
 */
export class PortalEstimates extends PortalView {
  static override styles = [...PortalView.styles, documentStyles, dialogStyles, styles];

  private readonly list = new PagedList<Estimate>(this, () => this.api, (api, cursor, signal) => api.estimates(cursor ? { cursor } : {}, signal));

  /** The estimate an emailed link was about: from the list when it is there, else from the server. */
  private readonly detailTask = new Task(this, {
    args: () => [this.api, this.selected] as const,
    task: async ([api, id], { signal }) => {
      if (!id) return undefined;
      const listed = this.loaded().find((estimate) => estimate.id === id);
      if (listed) return listed;
      if (!api) return new Promise<never>(() => {});
      return api.estimate(id, signal);
    },
  });

  /** Sends the decision confirmed in the dialog. */
  private readonly decideTask = new Task(this, {
    autoRun: false,
    task: async ([{ estimate, action }, optionId, reason]: readonly [Decision, string | undefined, string], { signal }) => {
      const { t } = this.localize;
      const api = this.api!;
      let decided: Estimate;
      try {
        decided = action === 'approve' ? await api.approveEstimate(estimate.id, optionId, signal) : await api.declineEstimate(estimate.id, reason || undefined, signal);
      } catch (error) {
        this.dialogError = this.decisionError(error);
        // Expired or answered meanwhile: show it as it is now.
        if (isApiError(error) && error.status === 409) this.remember(await api.estimate(estimate.id, signal).catch(() => estimate));
        throw error;
      }
      this.remember(decided);
      this.dialog?.close();
      const { id: estimateId, number } = decided;
      if (action === 'approve') {
        const option = decided.options.find((o) => o.id === decided.approvedOptionId) ?? estimate.options.find((o) => o.id === optionId);
        this.notice = t.approvedNotice(number, option?.name ?? '', this.business?.name ?? '');
        this.dispatchEvent(new PortalEstimateApprovedEvent({ estimateId, number, optionId: option?.id ?? '' }));
      } else {
        this.notice = t.declinedNotice(number, this.business?.name ?? '');
        this.dispatchEvent(new PortalEstimateDeclinedEvent({ estimateId, number, reason: decided.declineReason ?? (reason || null) }));
      }
      this.shell?.refreshSummary();
    },
  });

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('#reason') private reasonField?: HTMLTextAreaElement;

  /** The estimate shown on its own. */
  @state() private selected?: string | undefined;
  /** Estimates as the server answered after a decision. */
  @state() private decided: Record<string, Estimate> = {};
  /** What the dialog is about. */
  @state() private decision?: Decision;
  @state() private optionId?: string | undefined;
  @state() private optionMissing = false;
  @state() private dialogError = '';
  /** The last decision's outcome, announced. */
  @state() private notice = '';

  /** The estimate to open, e.g. the one an emailed link was about. */
  @property({ attribute: false }) estimateId?: string | undefined;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('estimateId') && this.estimateId) this.selected = this.estimateId;
  }

  /** The shell focuses the view after navigating: the estimate when one is open on its own, else the heading. */
  override focusHeading(): void {
    const estimate = this.selected && this.renderRoot.querySelector<HTMLElement>(`#estimate-${CSS.escape(this.selected)}`);
    if (estimate) estimate.focus();
    else super.focusHeading();
  }

  private loaded(): Estimate[] {
    return this.list.items.map((estimate) => this.decided[estimate.id] ?? estimate);
  }

  private remember(estimate: Estimate): void {
    this.decided = { ...this.decided, [estimate.id]: estimate };
  }

  private async showAll(): Promise<void> {
    const from = this.selected;
    this.selected = undefined;
    await this.updateComplete;
    const card = this.renderRoot.querySelector<HTMLElement>(`#estimate-${CSS.escape(from ?? '')}`);
    if (card) card.focus();
    else super.focusHeading();
  }

  private async ask(estimate: Estimate, action: Action): Promise<void> {
    if (this.decideTask.status === TaskStatus.PENDING) return;
    this.decision = { estimate, action };
    this.optionId = estimate.options.length === 1 ? estimate.options[0]!.id : undefined;
    this.optionMissing = false;
    this.dialogError = '';
    this.notice = '';
    await this.updateComplete;
    if (this.reasonField) this.reasonField.value = '';
    // Once decided, its buttons are gone: focus goes to the estimate itself, now in Past estimates.
    showDialog(this.dialog, () => {
      const now = this.decided[estimate.id];
      return now && now.status !== 'open' ? this.renderRoot.querySelector<HTMLElement>(`#estimate-${CSS.escape(estimate.id)}`) : null;
    });
  }

  private confirm(event: SubmitEvent): void {
    event.preventDefault();
    const decision = this.decision;
    if (!decision || this.decideTask.status === TaskStatus.PENDING) return;
    if (decision.action === 'approve' && !this.optionId) {
      this.optionMissing = true;
      this.renderRoot.querySelector<HTMLInputElement>('input[name="option"]')?.focus();
      return;
    }
    this.dialogError = '';
    void this.decideTask.run([decision, this.optionId, this.reasonField?.value.trim() ?? '']);
  }

  private decisionError(error: unknown): string {
    const { t } = this.localize;
    if (!isApiError(error)) return t.serverError;
    switch (error.code) {
      case 'estimate_expired':
        return t.estimateExpired(this.business?.name ?? '');
      case 'estimate_not_open':
        return t.estimateNotOpen;
      case 'network_error':
        return t.networkError;
      default:
        return t.serverError;
    }
  }

  override render() {
    const { t } = this.localize;
    return this.frame(
      t.estimates,
      html`<div class="live" role="status">${this.notice ? html`<p class="notice success">${this.notice}</p>` : nothing}</div>
        ${this.selected ? this.renderSelected() : this.renderListing()} ${this.renderDialog()}`,
    );
  }

  private renderListing(): unknown {
    const { t } = this.localize;
    return this.list.render({
      pending: () => this.loading(t.loadingEstimates),
      error: () => this.failed(t.estimatesError, () => this.list.reload()),
      complete: () => this.renderList(this.loaded()),
    });
  }

  private renderList(estimates: Estimate[]): TemplateResult {
    const { t } = this.localize;
    if (!estimates.length) return html`<div class="state"><p>${t.noEstimates}</p></div>`;
    const open = estimates.filter((e) => e.status === 'open');
    const past = estimates.filter((e) => e.status !== 'open');
    return html`<section class="section" aria-labelledby="open-heading">
        <h3 id="open-heading" class="section-heading">${t.openEstimates}</h3>
        ${open.length
          ? html`<ol class="cards">${open.map((estimate) => html`<li>${this.renderEstimate(estimate)}</li>`)}</ol>`
          : html`<p class="muted">${t.openEstimatesSummary(0)}</p>`}
      </section>
      ${past.length
        ? html`<section class="section" aria-labelledby="past-heading">
            <h3 id="past-heading" class="section-heading">${t.pastEstimates}</h3>
            <ol class="cards">${past.map((estimate) => html`<li>${this.renderEstimate(estimate)}</li>`)}</ol>
          </section>`
        : nothing}
      ${this.list.moreButton({ showMore: t.showMore, loading: t.loading, failed: t.estimatesError }, this.api)}`;
  }

  private renderSelected(): TemplateResult {
    const { t } = this.localize;
    return html`<button class="link-button back" type="button" @click=${this.showAll}>
        <span aria-hidden="true">${'\u2190 '}</span>${t.allEstimates}
      </button>
      ${this.detailTask.render({
        pending: () => this.loading(t.loadingEstimates, 1),
        error: (error) =>
          isApiError(error) && error.status === 404
            ? html`<div class="state" role="alert"><p>${t.estimateNotFound}</p></div>`
            : this.failed(t.estimatesError, () => void this.detailTask.run()),
        complete: (estimate) => (estimate ? this.renderEstimate(this.decided[estimate.id] ?? estimate) : nothing),
      })}`;
  }

  private renderEstimate(estimate: Estimate): TemplateResult {
    const { t, locale } = this.localize;
    const { id, number, status, options } = estimate;
    const date = (iso: string | null) => (iso ? formatDate(iso, locale, { dateStyle: 'medium' }) : '');
    // Approved by the business for the customer, it may name no option: one option is the one.
    const chosen = options.find((o) => o.id === estimate.approvedOptionId) ?? (status === 'approved' && options.length === 1 ? options[0] : undefined);
    const optionList = html`<div class="options">${options.map((option, index) => this.renderOption(estimate, option, index))}</div>`;
    let outcome: unknown = nothing;
    if (status === 'open' && estimate.expiresAt) outcome = html`<p class="muted">${t.validUntil(date(estimate.expiresAt))}</p>`;
    if (status === 'approved') {
      outcome = html`<p>${t.approvedOn(date(estimate.decidedAt))}</p>
        ${chosen ? html`<p><strong>${t.chosenOption(chosen.name, formatMoney(chosen.total, estimate.currency, locale))}</strong></p>` : nothing}`;
    }
    if (status === 'declined') {
      outcome = html`<p>${t.declinedOn(date(estimate.decidedAt))}</p>
        ${estimate.declineReason ? html`<dl class="facts"><div><dt>${t.yourReason}</dt><dd class="text">${estimate.declineReason}</dd></div></dl>` : nothing}`;
    }
    if (status === 'expired') outcome = html`<p>${estimate.expiresAt ? t.expiredOn(date(estimate.expiresAt)) : t.estimateStatus.expired}</p>`;
    return html`<article class="card estimate" part="estimate" aria-labelledby="estimate-${id}">
      <div class="head">
        <h4 id="estimate-${id}" tabindex="-1">${t.estimateNumber(number)}</h4>
        <span class="status ${TONE[status]}" part="status"><span class="sr-only">${t.statusLabel}: </span>${t.estimateStatus[status]}</span>
      </div>
      ${outcome}
      ${status === 'open'
        ? html`${optionList}
            <div class="actions">
              <button class="button approve" type="button" @click=${() => this.ask(estimate, 'approve')}>
                ${t.approve}<span class="sr-only"> ${t.estimateNumber(number)}</span>
              </button>
              <button class="button secondary decline" type="button" @click=${() => this.ask(estimate, 'decline')}>
                ${t.decline}<span class="sr-only"> ${t.estimateNumber(number)}</span>
              </button>
            </div>`
        : html`<details>
            <summary>${t.showDetails}<span class="sr-only"> ${t.estimateNumber(number)}</span></summary>
            ${optionList}
          </details>`}
    </article>`;
  }

  private renderOption(estimate: Estimate, option: EstimateOption, index: number): TemplateResult {
    const { t, locale } = this.localize;
    const several = estimate.options.length > 1;
    const name = several ? t.optionNumbered(index + 1, option.name) : option.name;
    const chosen = option.id === estimate.approvedOptionId;
    return html`<section class="option ${chosen ? 'chosen' : ''}" part="option" aria-labelledby="option-${estimate.id}-${index}">
      <div class="head">
        <h5 id="option-${estimate.id}-${index}">${name}</h5>
        ${chosen ? html`<span class="status good">${t.estimateStatus.approved}</span>` : nothing}
      </div>
      ${option.description ? html`<p class="muted text">${option.description}</p>` : nothing}
      ${lineItems(option.lineItems, estimate.currency, locale, t, t.lineItemsOf(name))}
      ${totals(
        [
          [t.subtotalLabel, option.subtotal],
          [t.taxLabel, option.taxAmount],
          [t.totalLabel, option.total, true],
        ],
        estimate.currency,
        locale,
      )}
    </section>`;
  }

  private renderDialog(): TemplateResult {
    const { t, locale } = this.localize;
    const decision = this.decision;
    const pending = this.decideTask.status === TaskStatus.PENDING;
    // Answered or expired meanwhile (409): nothing left to confirm.
    const current = decision && (this.decided[decision.estimate.id] ?? decision.estimate);
    const closed = !!current && current.status !== 'open';
    let body: unknown = nothing;
    if (decision?.action === 'approve') {
      const { options, currency } = decision.estimate;
      const money = (amount: number) => formatMoney(amount, currency, locale);
      body =
        options.length > 1
          ? html`<fieldset aria-describedby=${this.optionMissing ? 'option-error' : nothing}>
                <legend>${t.chooseOption}</legend>
                ${options.map(
                  (option, index) => html`<label class="choice">
                    <input
                      type="radio"
                      name="option"
                      .value=${option.id}
                      .checked=${this.optionId === option.id}
                      aria-invalid=${this.optionMissing ? 'true' : 'false'}
                      @change=${() => ((this.optionId = option.id), (this.optionMissing = false))}
                    />
                    <span>${t.optionNumbered(index + 1, option.name)}<span class="hint">${money(option.total)}</span></span>
                  </label>`,
                )}
              </fieldset>
              ${this.optionMissing ? html`<p id="option-error" class="error" role="alert">${t.chooseOptionError}</p>` : nothing}`
          : html`<p>${t.approveOne(options[0]?.name ?? '', money(options[0]?.total ?? 0))}</p>`;
      body = html`${body}<p class="muted">${t.approveHint(this.business?.name ?? '')}</p>`;
    } else if (decision) {
      body = html`<div class="field">
        <label for="reason">${t.declineReason} <span class="hint">${t.optional}</span></label>
        <textarea id="reason" rows="3" maxlength="1000"></textarea>
      </div>`;
    }
    const approve = decision?.action === 'approve';
    return html`<dialog part="dialog" aria-labelledby=${decision ? 'dialog-heading' : nothing} @close=${() => this.dialog?.open || (this.decision = undefined)}>
      ${decision
        ? html`<form class="dialog-body" novalidate @submit=${this.confirm}>
            <h3 id="dialog-heading">${(approve ? t.approveTitle : t.declineTitle)(decision.estimate.number)}</h3>
            ${body}
            ${this.dialogError ? html`<p class="notice danger" role="alert">${this.dialogError}</p>` : nothing}
            <div class="actions">
              ${closed
                ? nothing
                : html`<button class="button ${approve ? '' : 'danger'}" type="submit" aria-disabled=${pending ? 'true' : 'false'}>
                    ${pending ? (approve ? t.approving : t.declining) : approve ? t.approveConfirm : t.declineConfirm}
                  </button>`}
              <button class="button secondary" type="button" @click=${() => this.dialog?.close()}>${closed ? t.close : t.cancel}</button>
            </div>
            <div class="live" role="status">${pending ? html`<p class="sr-only">${approve ? t.approving : t.declining}</p>` : nothing}</div>
          </form>`
        : nothing}
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-estimates': PortalEstimates;
  }
}
