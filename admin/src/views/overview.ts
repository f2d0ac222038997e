// Overview: how the portal is doing — invited and signed-in customers, this month's payments through
// the portal (beside all invoices paid) and approvals, and a 12-week chart drawn as inline SVG (no
// chart library, nothing inline to allow).
import { html, LitElement, svg, css } from 'lit';
import { state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { dateOnly, list, money } from '../format';
import { Localize } from '../i18n/localize';
import { shared } from '../styles';

interface Overview {
  customers: number;
  customersInvited: number;
  customersSignedIn: number;
  month: {
    start: string;
    invitationsSent: number;
    signIns: number;
    invoicesPaid: number;
    invoicesPaidThroughPortal: number;
    amountCollected: { currency: string; amount: number }[];
    estimatesApproved: number;
  };
  weeks: { start: string; invitations: number; signIns: number; invoicesPaid: number; invoicesPaidThroughPortal: number }[];
}

export class DsOverview extends LitElement {
  static override styles = [
    shared,
    css`
      .stats {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
        gap: 12px;
        margin-bottom: 16px;
      }
      .stat {
        margin: 0;
      }
      .stat dd {
        font-size: 1.6rem;
        font-weight: 700;
        margin: 0;
      }
      .stat dt {
        color: #3f3f46;
      }
      .stat .hint {
        font-size: 0.9rem;
        font-weight: 400;
      }

      svg {
        max-width: 100%;
        height: auto;
      }
      .legend span {
        margin-right: 16px;
      }
      .swatch-a {
        fill: #0f5f58;
      }
      .swatch-b {
        fill: #b45309;
      }
    `,
  ];

  private readonly i18n = new Localize(this);

  @state() private data: Overview | null = null;
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    const now = new Date();
    const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).toISOString();
    api<Overview>('GET', `/v1/admin/overview?monthStart=${encodeURIComponent(monthStart)}`).then(
      (data) => (this.data = data),
      (error: unknown) => (this.error = error),
    );
  }

  private chart(weeks: Overview['weeks']) {
    const t = this.i18n.t;
    const width = 600;
    const height = 200;
    const pad = 24;
    const max = Math.max(1, ...weeks.flatMap((w) => [w.invitations, w.signIns]));
    const slot = (width - pad * 2) / weeks.length;
    const bar = slot / 2 - 3;
    const y = (v: number) => height - pad - (v / max) * (height - pad * 2);
    return svg`<svg viewBox="0 0 ${width} ${height}" width=${width} height=${height} role="img" aria-labelledby="chart-title">
      <title id="chart-title">${t.chartTitle(max)}</title>
      <line x1=${pad} y1=${height - pad} x2=${width - pad} y2=${height - pad} stroke="#71717a" />
      ${weeks.map(
        (w, i) => svg`
        <rect class="swatch-a" x=${pad + i * slot + 2} y=${y(w.invitations)} width=${bar} height=${height - pad - y(w.invitations)} />
        <rect class="swatch-b" x=${pad + i * slot + 2 + bar + 2} y=${y(w.signIns)} width=${bar} height=${height - pad - y(w.signIns)} />`,
      )}
      <text x=${pad} y=${height - 6} font-size="11" fill="#3f3f46">${dateOnly(weeks[0]?.start)}</text>
      <text x=${width - pad} y=${height - 6} font-size="11" fill="#3f3f46" text-anchor="end">${t.thisWeek}</text>
    </svg>`;
  }

  override render() {
    const t = this.i18n.t;
    const title = html`<h2 tabindex="-1">${t.nav.overview}</h2>`;
    if (this.error) return html`${title}<p class="error" role="alert">${errorMessage(this.error)}</p>`;
    const d = this.data;
    if (!d) return html`${title}<p role="status">${t.loading}</p>`;
    const collected = d.month.amountCollected.length ? list(d.month.amountCollected.map((a) => money(a.amount, a.currency))) : money(0, 'usd');
    return html`
      ${title}
      <dl class="stats">
        <div class="card stat"><dt>${t.customersInvited}</dt><dd>${d.customersInvited} <span class="hint">${t.ofCustomers(d.customers)}</span></dd></div>
        <div class="card stat"><dt>${t.customersSignedIn}</dt><dd>${d.customersSignedIn}</dd></div>
        <div class="card stat" id="paid-through-portal">
          <dt>${t.paidThroughPortal}</dt>
          <dd>${d.month.invoicesPaidThroughPortal} <span class="hint">${t.paidInAll(d.month.invoicesPaid)}</span></dd>
        </div>
        <div class="card stat" id="collected"><dt>${t.collected}</dt><dd>${collected}</dd></div>
        <div class="card stat"><dt>${t.estimatesApproved}</dt><dd>${d.month.estimatesApproved}</dd></div>
      </dl>
      <section class="card" aria-labelledby="weeks">
        <h3 id="weeks">${t.lastWeeks}</h3>
        <p class="legend">
          <span><svg width="12" height="12" aria-hidden="true"><rect class="swatch-a" width="12" height="12" /></svg> ${t.invitationsSentLegend}</span>
          <span><svg width="12" height="12" aria-hidden="true"><rect class="swatch-b" width="12" height="12" /></svg> ${t.signInsLegend}</span>
        </p>
        ${this.chart(d.weeks)}
        <details>
          <summary>${t.theNumbers}</summary>
          <div class="table-wrap" role="region" tabindex="0" aria-label=${t.theNumbers}>
            <table>
              <thead>
                <tr>
                  <th scope="col">${t.weekOf}</th>
                  <th scope="col">${t.invitationsColumn}</th>
                  <th scope="col">${t.signInsColumn}</th>
                  <th scope="col">${t.portalPaidColumn}</th>
                  <th scope="col">${t.allPaidColumn}</th>
                </tr>
              </thead>
              <tbody>
                ${d.weeks.map(
                  (w) => html`<tr><td>${dateOnly(w.start)}</td><td>${w.invitations}</td><td>${w.signIns}</td><td>${w.invoicesPaidThroughPortal}</td><td>${w.invoicesPaid}</td></tr>`,
                )}
              </tbody>
            </table>
          </div>
        </details>
      </section>
    `;
  }
}
