// Stripe's test card numbers: which succeed, which are declined and why.
import { createHash } from 'node:crypto';
import type { CardDetails } from './state';

export const SUCCESS_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000 0000 0000 0002';

export interface CardDecline {
  code: string;
  declineCode?: string;
  message: string;
  /** Which form field the message belongs to. */
  field: 'card_number' | 'expiry' | 'cvc';
}

const DECLINES: Record<string, Omit<CardDecline, 'field'>> = {
  '4000000000000002': { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  '4000000000009995': { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000000000009987': { code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.' },
  '4000000000000127': { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  '4000000000000119': { code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
};

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): { brand: string; display: string } {
  if (/^4/.test(digits)) return { brand: 'visa', display: 'visa' };
  if (/^(5[1-5]|2[2-7])/.test(digits)) return { brand: 'mastercard', display: 'mastercard' };
  if (/^3[47]/.test(digits)) return { brand: 'amex', display: 'american_express' };
  if (/^6(011|5)/.test(digits)) return { brand: 'discover', display: 'discover' };
  return { brand: 'unknown', display: 'unknown' };
}

export interface CardInput {
  number: string;
  /** `MM / YY`, `MM/YYYY`…; empty means a date in the future. */
  expiry?: string | undefined;
  cvc?: string | undefined;
}

export type CardResult = { ok: true; card: CardDetails } | { ok: false; decline: CardDecline };

/** What Stripe would answer for this card: its details, or why it is refused. */
export function chargeCard(input: CardInput, nowMs: number): CardResult {
  const digits = input.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) {
    return { ok: false, decline: { code: 'incorrect_number', message: 'Your card number is incorrect.', field: 'card_number' } };
  }
  const now = new Date(nowMs);
  let expMonth = 12;
  let expYear = now.getUTCFullYear() + 5;
  const expiry = (input.expiry ?? '').trim();
  if (expiry) {
    const m = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(expiry);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) {
      return { ok: false, decline: { code: 'invalid_expiry_month', message: "Your card's expiration date is incomplete.", field: 'expiry' } };
    }
    expMonth = Number(m[1]);
    expYear = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    if (expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1)) {
      return { ok: false, decline: { code: 'invalid_expiry_year', message: "Your card's expiration year is in the past.", field: 'expiry' } };
    }
  }
  const cvc = (input.cvc ?? '').trim();
  if (cvc && !/^\d{3,4}$/.test(cvc)) {
    return { ok: false, decline: { code: 'invalid_cvc', message: "Your card's security code is invalid.", field: 'cvc' } };
  }
  const decline = DECLINES[digits];
  if (decline) return { ok: false, decline: { ...decline, field: decline.code === 'incorrect_cvc' ? 'cvc' : 'card_number' } };
  const { brand, display } = brandOf(digits);
  return {
    ok: true,
    card: {
      brand,
      last4: digits.slice(-4),
      exp_month: expMonth,
      exp_year: expYear,
      funding: 'credit',
      country: 'US',
      fingerprint: createHash('sha256').update(digits).digest('base64url').slice(0, 16),
      display_brand: display,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      wallet: null,
    },
  };
}
