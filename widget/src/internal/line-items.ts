// Line items and totals, as invoices and estimates show them: two columns (what, with quantity ×
// unit price under it; amount), which fit a 360 px phone. Styles: styles/documents.ts.
import { html, type TemplateResult } from 'lit';
import type { LineItem } from '../api/types.js';
import { formatMoney, formatNumber } from '../i18n/format.js';
import type { PortalText } from '../i18n/tables.js';

export function lineItems(items: LineItem[], currency: string, locale: string, t: PortalText, caption: string): TemplateResult {
  const money = (amount: number) => formatMoney(amount, currency, locale);
  return html`<table class="items" part="line-items">
    <caption class="sr-only">${caption}</caption>
    <thead>
      <tr><th scope="col">${t.itemColumn}</th><th scope="col" class="num">${t.amountColumn}</th></tr>
    </thead>
    <tbody>
      ${items.map(
        (item) => html`<tr>
          <td>${item.description}<span class="qty">${t.quantityTimes(formatNumber(item.quantity, locale), money(item.unitAmount))}</span></td>
          <td class="num">${money(item.amount)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Rows of `[label, amount, stands out]`. */
export function totals(rows: [string, number, boolean?][], currency: string, locale: string): TemplateResult {
  return html`<dl class="totals" part="totals">
    ${rows.map(([label, amount, strong]) => html`<div class=${strong ? 'strong' : ''}><dt>${label}</dt><dd>${formatMoney(amount, currency, locale)}</dd></div>`)}
  </dl>`;
}
