// <doorstep-admin>: the whole console. Signed out it shows sign-in (and exchanges a link found in
// the address bar's fragment); signed in, a navigation and one view at a time. Views are state,
// not URLs: the fragment is reserved for the sign-in token.
import { html, LitElement, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { api, SIGNED_OUT_EVENT } from './api';
import { applyLanguage, Localize, type ConsoleText } from './i18n/localize';
import { shared } from './styles';

export interface Me {
  staff: { id: string; email: string; name: string | null; role: 'owner' | 'staff' };
  business: { id: string; name: string; logoUrl: string | null; brandColor: string };
}

export type View = 'overview' | 'customers' | 'customer' | 'customer-form' | 'jobs' | 'invoices' | 'estimates' | 'messages' | 'settings' | 'staff' | 'api-keys' | 'webhooks';

/** Asked for by any view to move elsewhere: `{ view, id? }`. */
export class NavigateEvent extends Event {
  constructor(
    readonly view: View,
    readonly id: string | null = null,
  ) {
    super('ds-navigate', { bubbles: true, composed: true });
  }
}

const NAV: [View, keyof ConsoleText['nav']][] = [
  ['overview', 'overview'],
  ['customers', 'customers'],
  ['jobs', 'jobs'],
  ['invoices', 'invoices'],
  ['estimates', 'estimates'],
  ['messages', 'messages'],
  ['settings', 'settings'],
  ['staff', 'staff'],
  ['api-keys', 'apiKeys'],
  ['webhooks', 'webhooks'],
];

export class DoorstepAdmin extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        background: #f4f4f5;
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
        background: #fff;
        border-bottom: 1px solid #e4e4e7;
        padding: 10px 20px;
      }
      h1 {
        font-size: 1.2rem;
        margin: 0;
      }
      header .row {
        justify-content: flex-end;
      }
      .layout {
        display: flex;
        gap: 20px;
        padding: 20px;
        max-width: 1200px;
        margin: 0 auto;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        min-width: 160px;
      }
      nav button {
        display: block;
        width: 100%;
        text-align: left;
        background: none;
        color: #18181b;
        border: none;
        padding: 8px 10px;
      }
      nav button[aria-current='page'] {
        background: #0f5f58;
        color: #fff;
      }
      main {
        flex: 1;
        min-width: 0;
      }
      @media (max-width: 720px) {
        .layout {
          flex-direction: column;
        }
        nav ul {
          display: flex;
          flex-wrap: wrap;
        }
        nav button {
          width: auto;
        }
      }
      @media (max-width: 480px) {
        header {
          flex-direction: column;
          align-items: flex-start;
        }
        .layout {
          padding: 12px;
        }
      }
    `,
  ];

  private readonly i18n = new Localize(this);

  @state() private me: Me | null | undefined = undefined;
  @state() private view: View = 'overview';
  @state() private viewId: string | null = null;

  private readonly onSignedOut = () => {
    this.me = null;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    applyLanguage();
    window.addEventListener(SIGNED_OUT_EVENT, this.onSignedOut);
    this.addEventListener('ds-navigate', this.onNavigate as EventListener);
    void this.loadMe();
  }

  override disconnectedCallback(): void {
    window.removeEventListener(SIGNED_OUT_EVENT, this.onSignedOut);
    this.removeEventListener('ds-navigate', this.onNavigate as EventListener);
    super.disconnectedCallback();
  }

  private async loadMe() {
    try {
      this.me = await api<Me>('GET', '/admin/api/me');
    } catch {
      this.me = null;
    }
  }

  private readonly onNavigate = (event: NavigateEvent) => {
    this.view = event.view;
    this.viewId = event.id;
    void this.updateComplete.then(() => {
      // Move focus to the new view's heading so keyboard and screen-reader users land there.
      const view = this.renderRoot.querySelector('main')?.firstElementChild as LitElement | null;
      void view?.updateComplete?.then(() => (view.shadowRoot?.querySelector('h2') as HTMLElement | null)?.focus());
    });
  };

  private async signOut() {
    await api('DELETE', '/admin/api/session').catch(() => undefined);
    this.me = null;
    this.view = 'overview';
  }

  private renderView(): TemplateResult {
    switch (this.view) {
      case 'overview':
        return html`<ds-overview></ds-overview>`;
      case 'customers':
        return html`<ds-customers></ds-customers>`;
      case 'customer':
        return html`<ds-customer .customerId=${this.viewId!}></ds-customer>`;
      case 'customer-form':
        return html`<ds-customer-form .customerId=${this.viewId}></ds-customer-form>`;
      case 'jobs':
      case 'invoices':
      case 'estimates':
        return html`<ds-work .kind=${this.view}></ds-work>`;
      case 'messages':
        return html`<ds-messages></ds-messages>`;
      case 'settings':
        return html`<ds-settings .businessId=${this.me!.business.id}></ds-settings>`;
      case 'staff':
        return html`<ds-staff .me=${this.me!}></ds-staff>`;
      case 'api-keys':
        return html`<ds-api-keys .owner=${this.me!.staff.role === 'owner'}></ds-api-keys>`;
      case 'webhooks':
        return html`<ds-webhooks></ds-webhooks>`;
    }
  }

  override render() {
    const t = this.i18n.t;
    if (this.me === undefined) return html`<main><p role="status">${t.loading}</p></main>`;
    if (this.me === null) return html`<ds-sign-in @ds-signed-in=${(e: CustomEvent<Me>) => (this.me = e.detail)}></ds-sign-in>`;
    const current = this.view === 'customer' || this.view === 'customer-form' ? 'customers' : this.view;
    return html`
      <header>
        <h1>${t.consoleTitle(this.me.business.name)}</h1>
        <div class="row">
          <span>${t.signedInAs(this.me.staff.email, t.roles[this.me.staff.role])}</span>
          <ds-language-switch></ds-language-switch>
          <button class="secondary" @click=${this.signOut}>${t.signOut}</button>
        </div>
      </header>
      <div class="layout">
        <nav aria-label=${t.sections}>
          <ul>
            ${NAV.map(
              ([view, label]) =>
                html`<li>
                  <button aria-current=${current === view ? 'page' : 'false'} @click=${() => this.dispatchEvent(new NavigateEvent(view))}>${t.nav[label]}</button>
                </li>`,
            )}
          </ul>
        </nav>
        <main>${this.renderView()}</main>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'doorstep-admin': DoorstepAdmin;
  }
}
