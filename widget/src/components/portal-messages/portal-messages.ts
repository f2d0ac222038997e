import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { isApiError } from '../../api/client.js';
import type { Message, MessageKind, NewMessage } from '../../api/types.js';
import { PortalMessageSentEvent } from '../../events/portal-message-sent.js';
import { formatDate, formatList } from '../../i18n/format.js';
import { showDialog } from '../../internal/dialog.js';
import { PortalView } from '../../internal/portal-view.js';
import { PagedList } from '../../internal/paged-list.js';
import { Task, TaskStatus } from '../../internal/task.js';
import { dialogStyles } from '../../styles/dialog.js';
import { documentStyles } from '../../styles/documents.js';
import styles from './portal-messages.styles.js';

const KINDS: MessageKind[] = ['new_appointment', 'reschedule', 'cancel', 'other'];
/** Kinds about one of the customer's upcoming appointments. */
const ABOUT_APPOINTMENT: MessageKind[] = ['reschedule', 'cancel'];
const PREFERRED_TIMES = 3;

interface Invalid {
  appointment?: boolean;
  body?: boolean;
}

/**
 * @summary The messages view (SPEC §3.3): "Send a message" (a new appointment, a change to or the
 * cancellation of an upcoming one, or anything else, with optional preferred times) in a dialog,
 * and the messages the customer sent with the business's replies, newest first.
 * @tag portal-messages
 *
 * @event {PortalMessageSentEvent} portal-message-sent - The customer sent the business a message.
 * @csspart message - Each message the customer sent, with its replies.
 * @csspart reply - Each reply of the business.
 * @csspart compose-button - The button that opens the form.
 * @csspart dialog - The "Send a message" dialog.
 */
export class PortalMessages extends PortalView {
  static override styles = [...PortalView.styles, documentStyles, dialogStyles, styles];

  private readonly list = new PagedList<Message>(this, () => this.api, (api, cursor, signal) => api.messages(cursor ? { cursor } : {}, signal));

  /** The appointments a reschedule or a cancellation can be about, asked for when the form opens. */
  private readonly upcomingTask = new Task(this, {
    autoRun: false,
    task: async (_args: readonly [], { signal }) => (await this.api!.appointments('upcoming', { limit: 100 }, signal)).data,
  });

  private readonly sendTask = new Task(this, {
    autoRun: false,
    task: async ([message]: readonly [NewMessage], { signal }) => {
      let sent: Message;
      try {
        sent = await this.api!.sendMessage(message, signal);
      } catch (error) {
        this.sendError = this.sendErrorText(error);
        // Done or canceled meanwhile: offer what is still upcoming.
        if (isApiError(error) && error.code === 'invalid_appointment') void this.upcomingTask.run([]);
        throw error;
      }
      this.sent = [sent, ...this.sent];
      this.clearForm();
      this.dialog?.close();
      this.notice = this.localize.t.messageSent(this.business?.name ?? '');
      this.dispatchEvent(new PortalMessageSentEvent({ messageId: sent.id, kind: sent.kind }));
    },
  });

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('form') private form?: HTMLFormElement;

  /** Messages sent from this view, above the loaded ones. */
  @state() private sent: Message[] = [];
  @state() private kind: MessageKind = 'new_appointment';
  /** The appointment to preselect in the form. */
  @state() private appointmentId?: string | undefined;
  @state() private invalid: Invalid = {};
  @state() private sendError = '';
  /** The last message's outcome, announced. */
  @state() private notice = '';

  private get messaging(): boolean {
    return !!this.business?.features.messaging;
  }

  private async send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.sendTask.status === TaskStatus.PENDING) return;
    const form = this.form!;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    const body = field('body')!.value.trim();
    const appointmentId = ABOUT_APPOINTMENT.includes(this.kind) ? (field('appointment')?.value ?? '') : '';
    this.invalid = { appointment: ABOUT_APPOINTMENT.includes(this.kind) && !appointmentId, body: !body };
    this.sendError = '';
    if (this.invalid.appointment || this.invalid.body) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], #appointment-error')?.focus();
      return;
    }
    const preferredTimes = Array.from({ length: PREFERRED_TIMES }, (_, i) => field(`time-${i}`)?.value.trim() ?? '').filter(Boolean);
    const message: NewMessage = { kind: this.kind, body };
    if (appointmentId) message.appointmentId = appointmentId;
    if (preferredTimes.length) message.preferredTimes = preferredTimes;
    void this.sendTask.run([message]);
  }

  /** Empties the text fields and selects `appointmentId`'s appointment, if any. */
  private clearForm(): void {
    for (const field of this.renderRoot.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('textarea, input[type="text"]')) field.value = '';
    const select = this.renderRoot.querySelector('select');
    if (select) select.value = this.appointmentId ?? '';
  }

  private sendErrorText(error: unknown): string {
    const { t } = this.localize;
    const business = this.business?.name ?? '';
    if (!isApiError(error)) return t.serverError;
    switch (error.code) {
      case 'messaging_disabled':
        return t.messagingDisabled(business);
      case 'invalid_appointment':
        return t.invalidAppointment;
      case 'network_error':
        return t.networkError;
      default:
        return t.serverError;
    }
  }

  /**
   * Opens the "Send a message" form (when the business takes messages), about `kind`; for a
   * reschedule or a cancellation `appointmentId` preselects the appointment. Focus returns where it
   * was when the form closes.
   */
  async open(kind: MessageKind = 'new_appointment', appointmentId?: string): Promise<void> {
    if (!this.messaging) return;
    if (!this.dialog?.open) {
      this.kind = kind;
      this.appointmentId = appointmentId;
      this.invalid = {};
      this.sendError = '';
      this.notice = '';
      if (this.upcomingTask.status !== TaskStatus.COMPLETE) void this.upcomingTask.run([]);
      await this.updateComplete;
      this.clearForm();
    }
    await this.updateComplete;
    showDialog(this.dialog);
  }

  override render() {
    const { t } = this.localize;
    const business = this.business?.name ?? '';
    return this.frame(
      t.sendMessage,
      html`${this.messaging
          ? html`<div class="intro">
              <p class="muted">${t.messagesIntro(business)}</p>
              <button class="button compose" part="compose-button" type="button" @click=${() => this.open()}>${t.writeMessage}</button>
            </div>`
          : html`<p class="notice">${t.messagingDisabled(business)}</p>`}
        <div class="live" role="status">${this.notice ? html`<p class="notice success">${this.notice}</p>` : nothing}</div>
        <section class="section" aria-labelledby="messages-heading">
          <h3 id="messages-heading" class="section-heading">${t.yourMessages}</h3>
          ${this.list.render({
            pending: () => this.loading(t.loadingMessages),
            error: () => this.failed(t.messagesError, () => this.list.reload()),
            complete: () => this.renderList(this.list.items),
          })}
        </section>
        ${this.messaging ? this.renderDialog() : nothing}`,
    );
  }

  private renderList(loaded: Message[]): TemplateResult {
    const { t } = this.localize;
    const seen = new Set(this.sent.map((m) => m.id));
    const messages = [...this.sent, ...loaded.filter((m) => !seen.has(m.id))];
    if (!messages.length) return html`<div class="state"><p>${t.noMessages}</p></div>`;
    return html`<ol class="cards">${messages.map((message) => this.renderMessage(message))}</ol>
      ${this.list.moreButton({ showMore: t.showMore, loading: t.loading, failed: t.messagesError }, this.api)}`;
  }

  private renderMessage(message: Message): TemplateResult {
    const { t, locale } = this.localize;
    const when = (iso: string) => formatDate(iso, locale, { dateStyle: 'medium', timeStyle: 'short' });
    const business = this.business?.name ?? '';
    return html`<li>
      <article class="card message" part="message" aria-labelledby="message-${message.id}">
        <div class="head">
          <h4 id="message-${message.id}">${t.messageTitle[message.kind]}</h4>
          <span class="muted when">${t.sentOn(when(message.createdAt))}</span>
        </div>
        <p class="text">${message.body}</p>
        ${message.preferredTimes.length
          ? html`<dl class="facts"><div><dt>${t.preferredTimes}</dt><dd>${formatList(message.preferredTimes, locale)}</dd></div></dl>`
          : nothing}
        ${message.replies.length
          ? html`<ol class="replies" aria-label=${t.repliesFrom(business)}>
              ${message.replies.map(
                (reply) => html`<li class="reply" part="reply">
                  <p class="reply-head"><strong>${business}</strong> <span class="muted">${when(reply.createdAt)}</span></p>
                  <p class="text">${reply.body}</p>
                </li>`,
              )}
            </ol>`
          : html`<p class="muted">${t.noReplyYet}</p>`}
      </article>
    </li>`;
  }

  private renderDialog(): TemplateResult {
    const { t } = this.localize;
    const pending = this.sendTask.status === TaskStatus.PENDING;
    const invalid = this.invalid;
    return html`<dialog part="dialog" aria-labelledby="compose-heading">
      <form class="dialog-body" novalidate @submit=${this.send}>
        <h3 id="compose-heading">${t.sendMessage}</h3>
        <fieldset>
          <legend>${t.messageKindLegend}</legend>
          ${KINDS.map(
            (kind) => html`<label class="choice">
              <input type="radio" name="kind" .value=${kind} .checked=${this.kind === kind} @change=${() => (this.kind = kind)} />
              <span>${t.messageKind[kind]}</span>
            </label>`,
          )}
        </fieldset>
        ${ABOUT_APPOINTMENT.includes(this.kind) ? this.renderAppointmentField() : nothing}
        <div class="field">
          <label for="body">${t.messageLabel}</label>
          <textarea
            id="body"
            name="body"
            rows="5"
            maxlength="4000"
            aria-invalid=${invalid.body ? 'true' : 'false'}
            aria-describedby=${invalid.body ? 'body-error' : nothing}
          ></textarea>
          ${invalid.body ? html`<p id="body-error" class="error">${t.messageMissing}</p>` : nothing}
        </div>
        ${this.kind === 'cancel'
          ? nothing
          : html`<fieldset class="times" aria-describedby="times-hint">
              <legend>${t.preferredTimes} <span class="hint">${t.optional}</span></legend>
              <p id="times-hint" class="hint">${t.preferredTimesHint}</p>
              ${Array.from(
                { length: PREFERRED_TIMES },
                (_, i) => html`<div class="field">
                  <label for="time-${i}" class="time-label">${t.preferredTime(i + 1)}</label>
                  <input id="time-${i}" name="time-${i}" type="text" maxlength="200" autocomplete="off" />
                </div>`,
              )}
            </fieldset>`}
        ${this.sendError ? html`<p class="notice danger" role="alert">${this.sendError}</p>` : nothing}
        <div class="actions">
          <button class="button" type="submit" aria-disabled=${pending ? 'true' : 'false'}>${pending ? t.sending : t.send}</button>
          <button class="button secondary" type="button" @click=${() => this.dialog?.close()}>${t.cancel}</button>
        </div>
        <div class="live" role="status">${pending ? html`<p class="sr-only">${t.sending}</p>` : nothing}</div>
      </form>
    </dialog>`;
  }

  private renderAppointmentField(): TemplateResult {
    const { t, locale } = this.localize;
    const invalid = this.invalid.appointment;
    return html`<div class="field">
      ${this.upcomingTask.render({
        pending: () => html`<p class="hint" role="status">${t.loadingAppointments}</p>`,
        error: () => this.failed(t.appointmentsError, () => void this.upcomingTask.run([])),
        complete: (appointments) =>
          appointments.length
            ? html`<label for="appointment">${t.whichAppointment}</label>
                <select
                  id="appointment"
                  name="appointment"
                  aria-invalid=${invalid ? 'true' : 'false'}
                  aria-describedby=${invalid ? 'appointment-error' : nothing}
                >
                  <option value="">${t.chooseAppointment}</option>
                  ${appointments.map(
                    (a) => html`<option value=${a.id} ?selected=${a.id === this.appointmentId}>
                      ${formatDate(a.startsAt, locale, { dateStyle: 'medium', timeStyle: 'short' })} ${'\u2014'} ${a.description}
                    </option>`,
                  )}
                </select>
                ${invalid ? html`<p id="appointment-error" class="error">${t.chooseAppointmentError}</p>` : nothing}`
            : html`<p class="notice" id="appointment-error" tabindex="-1">${t.noUpcomingToChange}</p>`,
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-messages': PortalMessages;
  }
}
