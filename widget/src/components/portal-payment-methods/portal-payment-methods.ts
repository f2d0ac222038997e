import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { isApiError } from '../../api/client.js';
import type { PaymentMethod } from '../../api/types.js';
import { showDialog } from '../../internal/dialog.js';
import { PortalView } from '../../internal/portal-view.js';
import { goToStripe, takeStripeReturn, waitForStripe, type StripeReturn } from '../../internal/stripe-return.js';
import { Task, TaskStatus } from '../../internal/task.js';
import { dialogStyles } from '../../styles/dialog.js';
import { documentStyles } from '../../styles/documents.js';
import styles from './portal-payment-methods.styles.js';

/** Stripe's brand codes as printed on cards. */
const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

/** The cards known before leaving for Stripe, to tell which one is new on return (`sessionStorage`). */
const knownKey = (business: string) => `doorstep:${business}:cards-before-setup`;

function expired({ expMonth, expYear }: PaymentMethod): boolean {
  const now = new Date();
  return !!expYear && !!expMonth && (expYear < now.getFullYear() || (expYear === now.getFullYear() && expMonth < now.getMonth() + 1));
}

/**
 * @summary The Payment methods view (SPEC §3.3): the customer's cards on file (brand, last 4,
 * expiry, which is the default); **Add a card** opens Stripe Checkout in setup mode (no card field
 * ever renders here, SECURITY E4); make one the default; remove one after confirming in a dialog.
 * @tag portal-payment-methods
 *
 * @csspart card - Each card on file.
 * @csspart add-button - The Add a card button.
 * @csspart dialog - The remove confirmation.
 */
export class PortalPaymentMethods extends PortalView {
  static override styles = [...PortalView.styles, documentStyles, dialogStyles, styles];

  private readonly listTask = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      if (!api) return new Promise<never>(() => {});
      this.cards = undefined;
      return (await api.paymentMethods(signal)).data;
    },
  });

  /** Add a card: Stripe Checkout in setup mode; the browser goes there. */
  private readonly setupTask = new Task(this, {
    autoRun: false,
    task: async (_args: readonly [], { signal }) => {
      const { url } = await this.api!.setupPaymentMethod(signal).catch(this.fail);
      try {
        sessionStorage.setItem(knownKey(this.business?.id ?? ''), JSON.stringify(this.shown()?.map((card) => card.id) ?? []));
      } catch {
        // Storage refused: on return any card counts as the new one.
      }
      await goToStripe(url);
    },
  });

  /** Back from Checkout with a card added: asks for the cards until the new one is there. */
  private readonly addedTask = new Task(this, {
    args: () => [this.api, this.returned?.outcome === 'added'] as const,
    task: async ([api, added], { signal }) => {
      if (!api || !added) return undefined;
      const business = this.business?.id ?? '';
      let known: string[] = [];
      try {
        known = JSON.parse(sessionStorage.getItem(knownKey(business)) ?? '[]');
        sessionStorage.removeItem(knownKey(business));
      } catch {
        // Nothing known: any card will do.
      }
      const found = await waitForStripe(async () => {
        const cards = (await api.paymentMethods(signal)).data;
        const card = cards.find((c) => !known.includes(c.id));
        return card && { card, cards };
      }, signal);
      if (!found) return null;
      this.cards = found.cards;
      return found.card;
    },
  });

  private readonly defaultTask = new Task(this, {
    autoRun: false,
    task: async ([card]: readonly [PaymentMethod], { signal }) => {
      this.cards = (await this.api!.makeDefaultPaymentMethod(card.id, signal).catch(this.fail)).data;
      this.notice = this.localize.t.defaultChanged(this.cardName(card));
      // Its Make default button is gone: focus goes to the card.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#card-${CSS.escape(card.id)}`)?.focus();
    },
  });

  private readonly removeTask = new Task(this, {
    autoRun: false,
    task: async ([card]: readonly [PaymentMethod], { signal }) => {
      try {
        await this.api!.removePaymentMethod(card.id, signal);
      } catch (error) {
        // Gone already (removed in another tab): as good as removed.
        if (!(isApiError(error) && error.status === 404)) this.fail(error);
      }
      this.cards = (this.shown() ?? []).filter((c) => c.id !== card.id);
      this.dialog?.close();
      this.notice = this.localize.t.cardRemoved(this.cardName(card));
    },
  });

  @query('dialog') private dialog?: HTMLDialogElement;

  /** The cards as last changed here (made default, removed, added); until then the list's. */
  @state() private cards?: PaymentMethod[] | undefined;
  /** The card the remove dialog asks about. */
  @state() private removing?: PaymentMethod;
  /** The card Make default was last pressed for. */
  @state() private defaulting?: string;
  /** What Stripe Checkout said when it sent the customer back here. */
  @state() private returned: StripeReturn | null = null;
  /** The last change, announced. */
  @state() private notice = '';
  /** Why the last action (add, make default, remove) failed. */
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.returned = takeStripeReturn('payment-methods');
  }

  private shown(): PaymentMethod[] | undefined {
    return this.cards ?? (this.listTask.status === TaskStatus.COMPLETE ? this.listTask.value : undefined);
  }

  private cardName(card: PaymentMethod): string {
    const { t } = this.localize;
    return t.cardName(BRANDS[card.brand] ?? t.card, card.last4);
  }

  private add(): void {
    if (this.setupTask.status === TaskStatus.PENDING) return;
    this.notice = this.error = '';
    void this.setupTask.run([]);
  }

  private makeDefault(card: PaymentMethod): void {
    if (this.defaultTask.status === TaskStatus.PENDING) return;
    this.notice = this.error = '';
    this.defaulting = card.id;
    void this.defaultTask.run([card]);
  }

  private async confirmRemove(card: PaymentMethod): Promise<void> {
    this.removing = card;
    this.notice = this.error = '';
    await this.updateComplete;
    // Once removed, its buttons are gone: focus goes to Add a card (or the heading).
    showDialog(this.dialog, () =>
      this.shown()?.some((c) => c.id === card.id) ? null : (this.renderRoot.querySelector<HTMLElement>('.add') ?? this.renderRoot.querySelector<HTMLElement>('[data-heading]')),
    );
  }

  /** Says why an action failed, then fails its task. */
  private readonly fail = (error: unknown): never => {
    const { t } = this.localize;
    const code = isApiError(error) ? error.code : '';
    this.error = code === 'network_error' ? t.networkError : code === 'payments_disabled' ? t.cardsUnavailable(this.business?.name ?? '') : t.serverError;
    throw error;
  };

  override render() {
    const { t } = this.localize;
    const payments = !!this.business?.features.payments;
    const settingUp = this.setupTask.status === TaskStatus.PENDING;
    return this.frame(
      t.paymentMethods,
      html`<p class="muted">${t.paymentMethodsIntro(this.business?.name ?? '')}</p>
        ${this.renderReturn()}
        <div class="live" role="status">${this.notice ? html`<p class="notice success">${this.notice}</p>` : nothing}${settingUp ? html`<p class="sr-only">${t.openingSetup}</p>` : nothing}</div>
        ${this.error && !this.removing ? html`<p class="notice danger" role="alert">${this.error}</p>` : nothing}
        ${this.listTask.render({
          pending: () => this.loading(t.loadingCards),
          error: () => this.failed(t.cardsError, () => void this.listTask.run()),
          complete: () => this.renderCards(this.shown() ?? []),
        })}
        ${payments
          ? html`<div class="actions">
              <button class="button add" part="add-button" type="button" aria-disabled=${settingUp ? 'true' : 'false'} @click=${this.add}>
                ${settingUp ? t.openingSetup : t.addCard}
              </button>
              <p class="hint muted">${t.addCardHint}</p>
            </div>`
          : html`<p class="notice">${t.cardsUnavailable(this.business?.name ?? '')}</p>`}
        ${this.renderDialog()}`,
    );
  }

  /** After Checkout: adding, added, still on its way, or canceled. */
  private renderReturn(): unknown {
    const back = this.returned;
    if (!back) return nothing;
    const { t } = this.localize;
    const status = this.addedTask.status;
    let text = t.cardCanceled;
    let tone = '';
    let again = false;
    if (back.outcome === 'added') {
      if (status === TaskStatus.COMPLETE && this.addedTask.value) {
        text = t.cardAdded(this.cardName(this.addedTask.value));
        tone = 'success';
      } else if (status === TaskStatus.PENDING || status === TaskStatus.INITIAL) text = t.cardAdding;
      else {
        text = t.cardPending;
        again = true;
      }
    }
    return html`<div class="live" role="status"><p class="notice ${tone}">${text}</p></div>
      ${again ? html`<button class="button secondary again" type="button" @click=${() => this.addedTask.run()}>${t.checkAgain}</button>` : nothing}`;
  }

  private renderCards(cards: PaymentMethod[]): TemplateResult {
    const { t } = this.localize;
    if (!cards.length) return html`<div class="state"><p>${t.noCards}</p></div>`;
    const pending = this.defaultTask.status === TaskStatus.PENDING;
    return html`<ul class="cards">
      ${cards.map((card) => {
        const name = this.cardName(card);
        const expiry = card.expMonth && card.expYear ? `${String(card.expMonth).padStart(2, '0')}/${card.expYear}` : '';
        const defaulting = pending && this.defaulting === card.id;
        return html`<li>
          <article class="card payment-method" part="card" aria-labelledby="card-${card.id}">
            <div class="head">
              <h3 id="card-${card.id}" tabindex="-1">${name}</h3>
              ${card.isDefault ? html`<span class="status good" part="default-badge">${t.defaultCard}</span>` : nothing}
            </div>
            ${expiry ? html`<p class=${expired(card) ? 'error' : 'muted'}>${expired(card) ? t.expiredCard(expiry) : t.expires(expiry)}</p>` : nothing}
            <div class="actions">
              ${card.isDefault
                ? nothing
                : html`<button class="button secondary" type="button" aria-disabled=${defaulting ? 'true' : 'false'} @click=${() => this.makeDefault(card)}>
                    ${defaulting ? t.saving : t.makeDefault}<span class="sr-only"> (${name})</span>
                  </button>`}
              <button class="button secondary remove" type="button" @click=${() => this.confirmRemove(card)}>
                ${t.remove}<span class="sr-only"> (${name})</span>
              </button>
            </div>
          </article>
        </li>`;
      })}
    </ul>`;
  }

  private renderDialog(): TemplateResult {
    const { t } = this.localize;
    const card = this.removing;
    const pending = this.removeTask.status === TaskStatus.PENDING;
    return html`<dialog
      part="dialog"
      aria-labelledby=${card ? 'remove-heading' : nothing}
      aria-describedby=${card ? 'remove-body' : nothing}
      @close=${() => this.dialog?.open || ((this.removing = undefined), (this.error = ''))}
    >
      ${card
        ? html`<div class="dialog-body">
            <h3 id="remove-heading">${t.removeTitle(this.cardName(card))}</h3>
            <p id="remove-body">${t.removeBody(this.business?.name ?? '')}${card.isDefault ? ` ${t.removeDefaultNote}` : ''}</p>
            ${this.error ? html`<p class="notice danger" role="alert">${this.error}</p>` : nothing}
            <div class="actions">
              <button
                class="button danger"
                type="button"
                aria-disabled=${pending ? 'true' : 'false'}
                @click=${() => !pending && this.removeTask.run([card])}
              >
                ${pending ? t.removing : t.removeConfirm}
              </button>
              <button class="button secondary" type="button" autofocus @click=${() => this.dialog?.close()}>${t.cancel}</button>
            </div>
            <div class="live" role="status">${pending ? html`<p class="sr-only">${t.removing}</p>` : nothing}</div>
          </div>`
        : nothing}
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-payment-methods': PortalPaymentMethods;
  }
}
