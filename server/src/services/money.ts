// Totals are computed here, from line items, and never accepted from a client.
import { AppError } from '../lib/errors';
import type { LineItem } from '../store/types';

export interface LineItemInput {
  description: string;
  quantity: number;
  unitAmount: number;
}

export function priceLineItems(items: LineItemInput[], taxAmount = 0) {
  const lineItems: LineItem[] = items.map((item) => ({ ...item, amount: Math.round(item.quantity * item.unitAmount) }));
  const subtotal = lineItems.reduce((sum, item) => sum + item.amount, 0);
  const total = subtotal + taxAmount;
  if (total < 0) throw new AppError(400, 'invalid_body', 'lineItems: the total must not be negative.');
  return { lineItems, subtotal, taxAmount, total };
}

export function formatMoney(amount: number, currency: string, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}
