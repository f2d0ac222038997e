import { provide } from '@lit/context';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { isApiError } from '../../api/client.js';
import { PortalClient } from '../../api/portal-client.js';
import type { Landing, PublicBusiness } from '../../api/types.js';
import { apiContext } from '../../context/api.js';
import { businessContext } from '../../context/business.js';
import { portalContext, type PortalShell, type PortalViewName } from '../../context/portal.js';
import { sessionContext, type PortalSession } from '../../context/session.js';
import { PortalSignedInEvent } from '../../events/portal-signed-in.js';
import { PortalSignedOutEvent } from '../../events/portal-signed-out.js';
import { formatRetryAfter } from '../../i18n/format.js';
import { Localize } from '../../i18n/localize.js';
import { portalTables } from '../../i18n/tables.js';
import { PortalElement } from '../../internal/portal-element.js';
import type { PortalView } from '../../internal/portal-view.js';
import { peekStripeReturn } from '../../internal/stripe-return.js';
import { Task, TaskStatus } from '../../internal/task.js';
import { clearSession, loadSession, saveSession } from '../../session/session-store.js';
import { applyBrand } from '../../styles/brand.js';
import { content } from '../../styles/content.js';
import { buttons, reset } from '../../styles/tokens.js';
import styles from './portal-app.styles.js';

/** The parts the page may style through `customer-portal::part(…)`. */
const PARTS = 'base, header, logo, business-name, contact, menu-button, nav, nav-item, badge, sign-out, content, sign-in, notice, button';

interface Notice {
  text: string;
  /** Alerts interrupt (errors, an ended session); the rest is announced politely. */
  urgent: boolean;
}

interface NavItem {
  view: PortalViewName;
  label: string;
  badge?: { count: number; label: string } | undefined;
}

/**
 * @summary The portal itself, inside `<customer-portal>` (which loads this element's chunk and
 * hands it the sign-in token from the address bar). It provides the API client, the session, the
 * business profile and the shell (summary, navigation) to the views as contexts; the views are
 * state inside it, with no router that hooks the page.
 * @tag portal-app
 *
 * @event {PortalSignedInEvent} portal-signed-in - The customer signed in.
 * @event {PortalSignedOutEvent} portal-signed-out - The customer signed out, or the server ended the session.
 */
export class PortalApp extends PortalElement {
  static override styles = [reset, content, buttons, styles];

  private readonly localize = new Localize(this, portalTables, () => this.profile?.language);

  /** The profile is the first request: its failure (unknown business, origin not allowed) is the portal's. */
  private readonly profileTask = new Task(this, {
    args: () => [this.client] as const,
    task: async ([client], { signal }) => {
      try {
        this.profile = await client?.business(signal);
      } catch (error) {
        // Tell the site's developer what is wrong (e.g. origin_not_allowed); customers see a plain message.
        if (isApiError(error)) console.warn(`Doorstep: ${error.code}: ${error.message}`);
        throw error;
      }
    },
  });

  private readonly summaryTask = new Task(this, {
    args: () => [this.client, this.session?.token] as const,
    task: async ([client, token], { signal }) => {
      // Without a summary the portal still works, only without badges and banner.
      const summary = token && client ? await client.summary(signal).catch(() => undefined) : undefined;
      if (!signal.aborted) this.shell = this.makeShell(summary);
    },
  });

  /** After a reload the stored session knows only its token: who it is comes from /me. */
  private readonly meTask = new Task(this, {
    args: () => [this.client, this.session?.token] as const,
    task: async ([client, token], { signal }) => {
      if (!client || !token || this.session?.customer) return;
      const customer = await client.me(signal);
      if (this.session?.token === token) this.session = { ...this.session, customer };
    },
  });

  private readonly exchangeTask = new Task(this, {
    autoRun: false,
    task: ([token]: readonly [string], { signal }) => this.exchange(token, signal),
  });

  @query('.base') private base?: HTMLElement;
  @query('[data-view]') private currentView?: PortalView;
  @query('#sign-in-heading') private signInHeading?: HTMLElement;
  @query('.menu-button') private menuButton?: HTMLButtonElement;

  @provide({ context: apiContext })
  @state()
  private client?: PortalClient;

  @provide({ context: sessionContext })
  @state()
  private session?: PortalSession;

  @provide({ context: businessContext })
  @state()
  private profile?: PublicBusiness;

  @provide({ context: portalContext })
  @state()
  private shell: PortalShell = this.makeShell(undefined);

  /** The token of the sign-in link being used, until it is exchanged or refused. */
  @state() private linkToken: string | null = null;
  @state() private notice: Notice | null = null;
  // Coming back from Stripe Checkout opens the view that sent the customer there.
  @state() private view: PortalViewName = peekStripeReturn()?.view ?? 'appointments';
  /** The invoice or estimate to open in the view. */
  @state() private viewItem?: string;
  @state() private menuOpen = false;

  /** The business's public id (its slug). */
  @property() business = '';

  /** Base URL of the Doorstep server, resolved by `<customer-portal>` (the chunk cannot know where portal.js came from). */
  @property() api = '';

  /** A sign-in link's token, taken from the address bar by `<customer-portal>`; exchanged only when the customer presses Continue. */
  @property({ attribute: false }) token: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // <customer-portal> (in portal.js) forwards these parts to the page: its docs list them.
    this.setAttribute('exportparts', PARTS);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('business') || changed.has('api')) {
      this.client = this.business
        ? new PortalClient({
            base: this.api,
            business: this.business,
            token: () => this.session?.token,
            onUnauthorized: (token) => this.sessionEnded(token),
          })
        : undefined;
      this.session = this.business ? (loadSession(this.business) ?? undefined) : undefined;
    }
    if (changed.has('token') && this.token) {
      this.linkToken = this.token;
      this.notice = null;
    }
  }

  override updated(): void {
    applyBrand(this.base, this.profile?.brandColor);
  }

  private makeShell(summary: PortalShell['summary']): PortalShell {
    return {
      summary,
      navigate: (view, options) => void this.navigate(view, options?.id),
      refreshSummary: () => void this.summaryTask.run(),
    };
  }

  private async exchange(token: string, signal: AbortSignal): Promise<void> {
    const { t, locale } = this.localize;
    try {
      const signedIn = await this.client!.createSession(token, signal);
      this.linkToken = null;
      this.notice = null;
      const { token: sessionToken, expiresAt } = signedIn.session;
      saveSession(this.business, { token: sessionToken, expiresAt });
      this.session = { token: sessionToken, expiresAt, customer: signedIn.customer };
      const { id, name, email } = signedIn.customer;
      this.dispatchEvent(new PortalSignedInEvent({ customer: { id, name, email } }));
      await this.navigate(...this.landingView(signedIn.landing));
    } catch (error) {
      if (!isApiError(error)) throw error;
      const masked = typeof error.details['maskedEmail'] === 'string' ? error.details['maskedEmail'] : '';
      switch (error.code) {
        case 'link_expired':
          this.linkToken = null;
          this.notice = {
            text: error.details['resent'] ? t.linkExpiredResent(masked) : masked ? t.linkExpiredRecent(masked) : t.linkExpired,
            urgent: false,
          };
          break;
        case 'invalid_link':
          this.linkToken = null;
          this.notice = { text: t.linkInvalid, urgent: true };
          break;
        case 'rate_limited':
          this.notice = { text: t.rateLimited(formatRetryAfter(error.retryAfter ?? 60, locale)), urgent: true };
          break;
        case 'network_error':
          this.notice = { text: t.networkError, urgent: true };
          break;
        default:
          this.notice = { text: t.serverError, urgent: true };
      }
      await this.focusSignIn();
    }
  }

  private landingView(landing: Landing | null): [PortalViewName, string | undefined] {
    if (landing?.type === 'invoice') return ['invoices', landing.id];
    if (landing?.type === 'estimate') return ['estimates', landing.id];
    return ['appointments', undefined];
  }

  private continue(): void {
    if (this.linkToken && this.exchangeTask.status !== TaskStatus.PENDING) void this.exchangeTask.run([this.linkToken]);
  }

  /** Shows a view and moves focus to its heading. */
  private async navigate(view: PortalViewName, item?: string): Promise<void> {
    this.view = view;
    this.viewItem = item;
    this.menuOpen = false;
    await this.updateComplete;
    await this.currentView?.updateComplete;
    this.currentView?.focusHeading();
  }

  private async signOut(): Promise<void> {
    // The request reads the token as it starts; the session ends here whatever the network says.
    void this.client?.signOut().catch(() => undefined);
    this.endSession({ text: this.localize.t.signedOut, urgent: false });
    this.dispatchEvent(new PortalSignedOutEvent({ reason: 'user' }));
    await this.focusSignIn();
  }

  /** A 401 on any call made with `token`: back to signing in, saying why. */
  private async sessionEnded(token: string): Promise<void> {
    if (this.session?.token !== token) return;
    this.endSession({ text: this.localize.t.sessionEnded, urgent: true });
    this.dispatchEvent(new PortalSignedOutEvent({ reason: 'session-ended' }));
    await this.focusSignIn();
  }

  private endSession(notice: Notice): void {
    clearSession(this.business);
    this.session = undefined;
    this.shell = this.makeShell(undefined);
    this.notice = notice;
    this.view = 'appointments';
    this.viewItem = undefined;
    this.menuOpen = false;
  }

  private async focusSignIn(): Promise<void> {
    await this.updateComplete;
    this.signInHeading?.focus();
  }

  private toggleMenu(): void {
    this.menuOpen = !this.menuOpen;
  }

  private onNavKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.menuOpen) {
      this.menuOpen = false;
      this.menuButton?.focus();
    }
  }

  override render() {
    const { locale } = this.localize;
    return html`<div class="base" part="base" lang=${locale}>${this.renderScreen()}</div>`;
  }

  private renderScreen(): unknown {
    const { t } = this.localize;
    if (!this.client) return nothing;
    switch (this.profileTask.status) {
      case TaskStatus.ERROR:
        return html`<div class="center">
          <p class="notice danger" part="notice" role="alert">${t.unavailable}</p>
          <button class="button secondary" type="button" @click=${() => this.profileTask.run()}>${t.retry}</button>
        </div>`;
      case TaskStatus.COMPLETE:
        break;
      default:
        return html`<div class="center" aria-busy="true"><p class="muted" role="status">${t.loading}</p></div>`;
    }
    if (this.linkToken) return this.renderContinue();
    if (this.session) return this.renderPortal(this.session);
    return this.renderSignIn();
  }

  private renderNotice(): unknown {
    if (!this.notice) return nothing;
    return html`<p class="notice ${this.notice.urgent ? 'danger' : ''}" part="notice" role=${this.notice.urgent ? 'alert' : 'status'}>
      ${this.notice.text}
    </p>`;
  }

  /** A sign-in link was opened: nothing happens until the person presses Continue (SECURITY L4). */
  private renderContinue(): TemplateResult {
    const { t } = this.localize;
    const pending = this.exchangeTask.status === TaskStatus.PENDING;
    return html`<section class="sign-in" part="sign-in" aria-labelledby="sign-in-heading">
      ${this.renderBusinessMark()}
      <h2 id="sign-in-heading" tabindex="-1">${t.signInTo(this.profile!.name)}</h2>
      ${this.renderNotice()}
      <p class="muted">${t.continueBody}</p>
      <button class="button continue" part="button" type="button" aria-disabled=${pending ? 'true' : 'false'} @click=${this.continue}>
        ${pending ? t.signingIn : t.continue}
      </button>
      <p class="sr-only" role="status">${pending ? t.signingIn : ''}</p>
    </section>`;
  }

  /** Signed out: the same email form as `<portal-login>`. */
  private renderSignIn(): TemplateResult {
    const { t } = this.localize;
    return html`<section class="sign-in" part="sign-in" aria-labelledby="sign-in-heading">
      ${this.renderBusinessMark()}
      <h2 id="sign-in-heading" tabindex="-1">${t.signInTo(this.profile!.name)}</h2>
      ${this.renderNotice()}
      <p class="muted">${t.intro}</p>
      <portal-sign-in-form .client=${this.client}></portal-sign-in-form>
    </section>`;
  }

  private renderBusinessMark(): unknown {
    const logo = this.profile?.logoUrl;
    return logo ? html`<img class="sign-in-logo" part="logo" src=${logo} alt="" />` : nothing;
  }

  private renderPortal(session: PortalSession): TemplateResult {
    const { t } = this.localize;
    const profile = this.profile!;
    const summary = this.shell.summary;
    const items: NavItem[] = [
      { view: 'appointments', label: t.appointments },
      {
        view: 'invoices',
        label: t.invoices,
        badge: summary?.unpaidInvoices.count ? { count: summary.unpaidInvoices.count, label: t.unpaidBadge(summary.unpaidInvoices.count) } : undefined,
      },
      {
        view: 'estimates',
        label: t.estimates,
        badge: summary?.openEstimates ? { count: summary.openEstimates, label: t.openBadge(summary.openEstimates) } : undefined,
      },
    ];
    if (profile.features.payments) items.push({ view: 'payment-methods', label: t.paymentMethods });

    return html`<section class="portal" aria-label=${t.portalLabel(profile.name)}>
      <header class="header" part="header">
        ${profile.logoUrl ? html`<img class="logo" part="logo" src=${profile.logoUrl} alt="" />` : nothing}
        <p class="business-name" part="business-name">${profile.name}</p>
        ${this.renderContact(profile)}
        <button
          class="menu-button"
          part="menu-button"
          type="button"
          aria-expanded=${this.menuOpen ? 'true' : 'false'}
          aria-controls="nav-panel"
          @click=${this.toggleMenu}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path d="M3 5h14M3 10h14M3 15h14" /></svg>
          ${t.menu}
        </button>
      </header>
      <div class="layout">
        <nav class="nav" part="nav" aria-label=${t.navLabel} @keydown=${this.onNavKeydown}>
          <div id="nav-panel" class="nav-panel ${this.menuOpen ? 'open' : ''}">
            <ul class="nav-list">
              ${items.map((item) => this.renderNavItem(item))}
            </ul>
            <div class="nav-footer">
              ${profile.features.messaging
                ? html`<button
                    class="button message-button"
                    part="button"
                    type="button"
                    aria-current=${this.view === 'messages' ? 'page' : nothing}
                    @click=${() => this.navigate('messages').then(() => this.renderRoot.querySelector('portal-messages')?.open())}
                  >
                    ${t.sendMessage}
                  </button>`
                : nothing}
              ${session.customer ? html`<p class="signed-in-as">${t.signedInAs(session.customer.name)}</p>` : nothing}
              <button class="button secondary sign-out" part="sign-out" type="button" @click=${this.signOut}>${t.signOut}</button>
            </div>
          </div>
        </nav>
        <div class="content" part="content">${this.renderView()}</div>
      </div>
    </section>`;
  }

  private renderContact(profile: PublicBusiness): unknown {
    const { phone, email, address } = profile;
    if (!phone && !email && !address) return nothing;
    return html`<ul class="contact" part="contact">
      ${phone ? html`<li><a href="tel:${phone.replace(/[^\d+]/g, '')}">${phone}</a></li>` : nothing}
      ${email ? html`<li><a href="mailto:${email}">${email}</a></li>` : nothing}
      ${address ? html`<li>${address}</li>` : nothing}
    </ul>`;
  }

  private renderNavItem({ view, label, badge }: NavItem): TemplateResult {
    return html`<li>
      <button class="nav-item" part="nav-item" type="button" aria-current=${this.view === view ? 'page' : nothing} @click=${() => this.navigate(view)}>
        <span>${label}</span>
        ${badge
          ? html`<span class="badge" part="badge" aria-hidden="true">${badge.count}</span><span class="sr-only">(${badge.label})</span>`
          : nothing}
      </button>
    </li>`;
  }

  private renderView(): TemplateResult {
    switch (this.view) {
      case 'invoices':
        return html`<portal-invoices data-view .invoiceId=${this.viewItem}></portal-invoices>`;
      case 'estimates':
        return html`<portal-estimates data-view .estimateId=${this.viewItem}></portal-estimates>`;
      case 'payment-methods':
        return html`<portal-payment-methods data-view></portal-payment-methods>`;
      case 'messages':
        return html`<portal-messages data-view></portal-messages>`;
      default:
        return html`<portal-appointments data-view></portal-appointments>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-app': PortalApp;
  }
}
