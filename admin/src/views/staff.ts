// Staff: who can sign in to this console. Owners add people by email with a role, change roles and
// remove people (not themselves; the server keeps at least one owner and says so); everyone else
// sees the list only, as the server allows them.
import { html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { act } from '../act';
import { api, errorMessage } from '../api';
import type { Me } from '../app';
import { dateOnly } from '../format';
import { Localize, type Say } from '../i18n/localize';
import { shared } from '../styles';

interface StaffMember {
  id: string;
  email: string;
  name: string | null;
  role: 'owner' | 'staff';
  createdAt: string;
}

export class DsStaff extends LitElement {
  static override styles = shared;

  private readonly i18n = new Localize(this);

  @state() private staff: StaffMember[] = [];
  @state() private confirming: string | null = null;
  // Set by act().
  @state() status: Say | null = null;
  @state() error: unknown = null;
  @state() busy = false;

  /** Who is signed in: owners manage, others read; nobody removes themselves. */
  @property({ attribute: false }) me: Me | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.staff = (await api<{ data: StaffMember[] }>('GET', '/v1/admin/staff')).data;
    } catch (error) {
      this.error = error;
    }
  }

  private run(work: () => Promise<Say>) {
    return act(this, work, () => this.load());
  }

  private add(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = ((data.get('email') as string | null) ?? '').trim();
    void this.run(async () => {
      const added = await api<StaffMember>('POST', '/v1/admin/staff', { email, role: data.get('role') });
      form.reset();
      return (t) => t.staffAdded(added.email);
    });
  }

  private changeRole(member: StaffMember, role: StaffMember['role']) {
    void this.run(async () => {
      const changed = await api<StaffMember>('PATCH', `/v1/admin/staff/${encodeURIComponent(member.id)}`, { role });
      return changed.role === 'owner' ? (t) => t.nowOwner(changed.email) : (t) => t.nowStaff(changed.email);
    });
  }

  private removeMember(member: StaffMember) {
    if (this.confirming !== member.id) {
      this.confirming = member.id;
      return;
    }
    this.confirming = null;
    void this.run(async () => {
      await api('DELETE', `/v1/admin/staff/${encodeURIComponent(member.id)}`);
      return (t) => t.staffRemoved(member.email);
    });
  }

  override render() {
    const t = this.i18n.t;
    const owner = this.me?.staff.role === 'owner';
    return html`
      <h2 tabindex="-1">${t.nav.staff}</h2>
      <p>${t.staffIntro}</p>
      ${owner
        ? html`<form class="card" @submit=${this.add} aria-labelledby="add-staff">
            <h3 id="add-staff">${t.addStaffTitle}</h3>
            <div class="field"><label for="staff-email">${t.email}</label><input id="staff-email" name="email" type="email" autocomplete="off" required maxlength="254" /></div>
            <div class="field">
              <label for="staff-role">${t.role}</label>
              <select id="staff-role" name="role">
                <option value="staff">${t.roles.staff}</option>
                <option value="owner">${t.roles.owner}</option>
              </select>
            </div>
            <p><button type="submit" ?disabled=${this.busy}>${t.addStaff}</button></p>
          </form>`
        : html`<p class="hint">${t.staffReadOnly}</p>`}
      <p class="status ok" role="status">${this.status?.(t) ?? ''}</p>
      <p class="status error" role="alert">${this.error ? errorMessage(this.error) : ''}</p>
      <div class="table-wrap" role="region" tabindex="0" aria-label=${t.nav.staff}>
        <table class="staff">
          <thead>
            <tr>
              <th scope="col">${t.email}</th>
              <th scope="col">${t.role}</th>
              <th scope="col">${t.addedColumn}</th>
              ${owner ? html`<th scope="col"><span class="sr-only">${t.actions}</span></th>` : ''}
            </tr>
          </thead>
          <tbody>
            ${this.staff.map((member) => {
              const self = member.id === this.me?.staff.id;
              return html`<tr>
                <td>${member.email}${self ? html` <span class="hint">${t.you}</span>` : ''}</td>
                <td class="role">${t.roles[member.role]}</td>
                <td>${dateOnly(member.createdAt)}</td>
                ${owner
                  ? html`<td>
                      <div class="row">
                        <button class="secondary" ?disabled=${this.busy} @click=${() => this.changeRole(member, member.role === 'owner' ? 'staff' : 'owner')}>
                          ${member.role === 'owner' ? t.makeStaff : t.makeOwner}<span class="sr-only"> (${member.email})</span>
                        </button>
                        ${self
                          ? ''
                          : html`<button class=${this.confirming === member.id ? 'danger' : 'secondary'} ?disabled=${this.busy} @click=${() => this.removeMember(member)}>
                              ${this.confirming === member.id ? t.confirmRemove : t.remove}<span class="sr-only"> (${member.email})</span>
                            </button>`}
                      </div>
                    </td>`
                  : ''}
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ds-staff': DsStaff;
  }
}
