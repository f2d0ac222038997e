// Base class of the portal's views (appointments, invoices, ...): the shell's contexts, the
// portal's strings, and the heading the shell focuses after navigating.
import { consume } from '@lit/context';
import { html, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { PortalClient } from '../api/portal-client.js';
import type { PublicBusiness } from '../api/types.js';
import { apiContext } from '../context/api.js';
import { businessContext } from '../context/business.js';
import { portalContext, type PortalShell } from '../context/portal.js';
import { sessionContext, type PortalSession } from '../context/session.js';
import { Localize } from '../i18n/localize.js';
import { portalTables } from '../i18n/tables.js';
import { content } from '../styles/content.js';
import { buttons, reset } from '../styles/tokens.js';
import { viewStyles } from '../styles/view.js';
import { PortalElement } from './portal-element.js';

export class PortalView extends PortalElement {
  static override styles = [reset, content, buttons, viewStyles];

  protected readonly localize = new Localize(this, portalTables, () => this.business?.language);

  @consume({ context: apiContext, subscribe: true })
  @state()
  protected api?: PortalClient;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session?: PortalSession;

  @consume({ context: businessContext, subscribe: true })
  @state()
  protected business?: PublicBusiness;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected shell?: PortalShell;

  /** Moves focus to the view's heading; the shell calls it after navigating, for screen readers and keyboards. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('[data-heading]')?.focus();
  }

  /** The view's frame: its heading, then `content`. */
  protected frame(title: string, content: unknown): TemplateResult {
    return html`<section class="base" part="base" lang=${this.localize.locale} aria-labelledby="view-heading">
      <h2 id="view-heading" class="view-heading" part="heading" data-heading tabindex="-1">${title}</h2>
      ${content}
    </section>`;
  }

  /** A loading placeholder: announced once, drawn as `count` skeleton cards. */
  protected loading(label: string, count = 2): TemplateResult {
    return html`<div class="cards" aria-busy="true">
      <p class="sr-only" role="status">${label}</p>
      ${Array.from({ length: count }, () => html`<div class="skeleton" aria-hidden="true"></div>`)}
    </div>`;
  }

  /** A failed load with a way to try again. */
  protected failed(message: string, retry: () => void): TemplateResult {
    return html`<div class="notice danger state" role="alert">
      <p>${message}</p>
      <button class="button secondary" type="button" @click=${retry}>${this.localize.t.retry}</button>
    </div>`;
  }
}
