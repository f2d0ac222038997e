import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Appointment } from '../../api/types.js';
import { formatDate, formatList, formatTime, formatTimeRange, formatTotals } from '../../i18n/format.js';
import type { PortalText } from '../../i18n/tables.js';
import { PortalView } from '../../internal/portal-view.js';
import { Task, TaskStatus } from '../../internal/task.js';
import styles from './portal-appointments.styles.js';

type When = 'upcoming' | 'past';
const TABS: When[] = ['upcoming', 'past'];

/**
 * @summary The Appointments view (SPEC §3.3): upcoming (soonest first) and past (most recent
 * first), each with its date and arrival window, description, address, technicians and status;
 * above them a banner when invoices are unpaid.
 * @tag portal-appointments
 */
export class PortalAppointments extends PortalView {
  static override styles = [...PortalView.styles, styles];

  /** The first page of the selected tab; later pages are appended by `moreTask`. */
  private readonly listTask = new Task(this, {
    args: () => [this.api, this.when] as const,
    task: async ([api, when], { signal }) => {
      if (!api) return new Promise<never>(() => {});
      const page = await api.appointments(when, {}, signal);
      this.extra = [];
      this.cursor = page.nextCursor;
      return page.data;
    },
  });

  private readonly moreTask = new Task(this, {
    autoRun: false,
    task: async ([cursor]: readonly [string], { signal }) => {
      const page = await this.api!.appointments(this.when, { cursor }, signal);
      this.extra = [...this.extra, ...page.data];
      this.cursor = page.nextCursor;
    },
  });

  @state() private when: When = 'upcoming';
  @state() private extra: Appointment[] = [];
  @state() private cursor: string | null = null;

  private async select(when: When, focus = false): Promise<void> {
    this.when = when;
    if (!focus) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${when}`)?.focus();
  }

  /** Arrow keys, Home and End move between the tabs (and select them), as in the ARIA tabs pattern. */
  private onTabKeydown(event: KeyboardEvent): void {
    const index = TABS.indexOf(this.when);
    const next =
      event.key === 'ArrowRight' ? (index + 1) % TABS.length
      : event.key === 'ArrowLeft' ? (index + TABS.length - 1) % TABS.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? TABS.length - 1
      : -1;
    if (next < 0) return;
    event.preventDefault();
    void this.select(TABS[next]!, true);
  }

  override render() {
    const { t } = this.localize;
    return this.frame(
      t.appointments,
      html`${this.renderBanner()}
        <div class="tabs" role="tablist" aria-label=${t.appointments} @keydown=${this.onTabKeydown}>
          ${TABS.map(
            (when) => html`<button
              id="tab-${when}"
              class="tab"
              part="tab"
              role="tab"
              type="button"
              aria-selected=${this.when === when ? 'true' : 'false'}
              aria-controls="panel"
              tabindex=${this.when === when ? '0' : '-1'}
              @click=${() => this.select(when)}
            >
              ${when === 'upcoming' ? t.upcoming : t.past}
            </button>`,
          )}
        </div>
        <div id="panel" class="panel" role="tabpanel" aria-labelledby="tab-${this.when}" tabindex="0">
          ${this.listTask.render({
            pending: () => this.loading(t.loadingAppointments),
            error: () => this.failed(t.appointmentsError, () => void this.listTask.run()),
            complete: (first) => this.renderList([...first, ...this.extra]),
          })}
        </div>`,
    );
  }

  private renderBanner(): unknown {
    const unpaid = this.shell?.summary?.unpaidInvoices;
    if (!unpaid?.count) return nothing;
    const { t, locale } = this.localize;
    return html`<div class="notice banner" part="banner">
      <p>${t.unpaidBanner(unpaid.count, formatTotals(unpaid.totals, locale))}</p>
      <button class="button" type="button" @click=${() => this.shell?.navigate('invoices')}>
        ${this.business?.features.payments ? t.payInvoices : t.viewInvoices}
      </button>
    </div>`;
  }

  private renderList(appointments: Appointment[]): TemplateResult {
    // Resolved once for the whole list, not per row: the language lookup walks up the page
    // (bench/widget-render.ts).
    const { t, locale } = this.localize;
    if (!appointments.length) {
      return html`<div class="state">
        <p>${this.when === 'upcoming' ? t.noUpcoming : t.noPast}</p>
        ${this.when === 'upcoming' && this.business?.features.messaging
          ? html`<button class="button secondary" type="button" @click=${() => this.shell?.navigate('messages')}>${t.requestAppointment}</button>`
          : nothing}
      </div>`;
    }
    const loadingMore = this.moreTask.status === TaskStatus.PENDING;
    return html`<ol class="cards">
        ${appointments.map((appointment, index) => this.renderAppointment(appointment, index, t, locale))}
      </ol>
      ${this.moreTask.status === TaskStatus.ERROR ? html`<p class="notice danger" role="alert">${t.appointmentsError}</p>` : nothing}
      ${this.cursor
        ? html`<button
            class="button secondary more"
            type="button"
            aria-disabled=${loadingMore ? 'true' : 'false'}
            @click=${() => !loadingMore && this.cursor && this.moreTask.run([this.cursor])}
          >
            ${loadingMore ? t.loading : t.showMore}
          </button>`
        : nothing}`;
  }

  private renderAppointment(appointment: Appointment, index: number, t: PortalText, locale: string): TemplateResult {
    const { startsAt, endsAt, arrivalWindow, description, address, technicians, status } = appointment;
    const time = arrivalWindow
      ? t.arrivalWindow(formatTimeRange(arrivalWindow.start, arrivalWindow.end, locale))
      : endsAt
        ? formatTimeRange(startsAt, endsAt, locale)
        : t.startsAt(formatTime(startsAt, locale));
    // One template for each shape of the details rather than one for each detail in them: every
    // nested template is cloned and tracked on its own, and two fewer a row were about 1.5 ms of a
    // 50-row render at 4× CPU throttling (bench/widget-render.ts).
    const details =
      address && technicians.length
        ? html`<dl class="details">
            <div><dt>${t.addressLabel}</dt><dd>${address}</dd></div>
            <div><dt>${t.technicianLabel(technicians.length)}</dt><dd>${formatList(technicians, locale)}</dd></div>
          </dl>`
        : address
          ? html`<dl class="details"><div><dt>${t.addressLabel}</dt><dd>${address}</dd></div></dl>`
          : technicians.length
            ? html`<dl class="details"><div><dt>${t.technicianLabel(technicians.length)}</dt><dd>${formatList(technicians, locale)}</dd></div></dl>`
            : nothing;
    return html`<li>
      <article class="card appointment status-${status}" part="appointment" aria-labelledby="appointment-${index}">
        <div class="appointment-head">
          <h3 id="appointment-${index}">${formatDate(startsAt, locale)}</h3>
          <span class="status" part="status"><span class="sr-only">${t.statusLabel}: </span>${t.status[status] ?? status}</span>
        </div>
        <p class="time">${time}</p>
        <p class="description">${description}</p>
        ${details}
      </article>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-appointments': PortalAppointments;
  }
}
