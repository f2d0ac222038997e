// Messages inbox: newest first, what kind of request, the appointment it is about, preferred times,
// the thread of replies, and a reply form (the reply is emailed and shown in the customer's portal).
import { html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { dateTime } from '../format';
import { Localize, type Say } from '../i18n/localize';
import { shared } from '../styles';

interface Message {
  id: string;
  customerId: string;
  customerName: string;
  kind: string;
  body: string;
  appointmentId: string | null;
  preferredTimes: string[];
  createdAt: string;
  replies: { id: string; body: string; createdAt: string }[];
}

export class DsMessages extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  @state() private messages: Message[] = [];
  @state() private appointments = new Map<string, { description: string; startsAt: string }>();
  @state() private status: Say | null = null;
  @state() private error: unknown = null;
  @state() private loaded = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const page = await api<{ data: Message[] }>('GET', '/v1/admin/messages?limit=50');
      this.messages = page.data;
      const ids = [...new Set(page.data.map((m) => m.appointmentId).filter((id): id is string => Boolean(id)))].filter((id) => !this.appointments.has(id));
      const found = await Promise.all(ids.map((id) => api('GET', `/v1/admin/appointments/${encodeURIComponent(id)}`).catch(() => null)));
      const appointments = new Map(this.appointments);
      found.forEach((a, i) => a && appointments.set(ids[i]!, a));
      this.appointments = appointments;
    } catch (error) {
      this.error = error;
    } finally {
      this.loaded = true;
    }
  }

  private async reply(event: SubmitEvent, message: Message) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = ((new FormData(form).get('body') as string | null) ?? '').trim();
    if (!body) return;
    this.error = null;
    try {
      await api('POST', `/v1/admin/messages/${encodeURIComponent(message.id)}/replies`, { body });
      form.reset();
      this.status = (t) => t.replySent(message.customerName);
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }

  override render() {
    const t = this.i18n.t;
    return html`
      <h2 tabindex="-1">${t.nav.messages}</h2>
      <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      ${this.loaded && this.messages.length === 0 ? html`<p>${t.noMessages}</p>` : ''}
      ${this.messages.map((m) => {
        const appointment = m.appointmentId ? this.appointments.get(m.appointmentId) : undefined;
        return html`<article class="card message" aria-labelledby=${`m-${m.id}`}>
          <h3 id=${`m-${m.id}`}>${t.messageFrom(t.messageKinds[m.kind as keyof typeof t.messageKinds] ?? m.kind, m.customerName)}</h3>
          <p class="hint"><time datetime=${m.createdAt}>${dateTime(m.createdAt)}</time></p>
          ${appointment ? html`<p><strong>${t.appointment}</strong> ${appointment.description}, ${dateTime(appointment.startsAt)}</p>` : ''}
          ${m.preferredTimes.length ? html`<p><strong>${t.preferredTimes}</strong> ${m.preferredTimes.join('; ')}</p>` : ''}
          <p>${m.body}</p>
          ${m.replies.map((r) => html`<blockquote><p>${r.body}</p><p class="hint">${t.replied(dateTime(r.createdAt))}</p></blockquote>`)}
          <form @submit=${(e: SubmitEvent) => this.reply(e, m)}>
            <div class="field">
              <label for=${`r-${m.id}`}>${t.replyTo(m.customerName)}</label>
              <textarea id=${`r-${m.id}`} name="body" rows="3" required maxlength="4000"></textarea>
            </div>
            <p><button type="submit">${t.sendReply}</button></p>
          </form>
        </article>`;
      })}
    `;
  }
}
