// The emulator's hosted Checkout page: a plain, accessible HTML form (no scripts, no external
// assets) where a person pays or saves a test card, and what completing a session changes.
import { chargeCard, SUCCESS_CARD, type CardDecline } from './cards';
import { expireIfDue } from './api';
import { stripeId, type CheckoutSessionObject, type EmulatorState, type EventCause, type PaymentIntentObject, type PaymentMethodObject, type SetupIntentObject } from './state';

export interface CardForm {
  card_number?: string | undefined;
  expiry?: string | undefined;
  cvc?: string | undefined;
  name?: string | undefined;
}

export type Completion =
  | { outcome: 'completed'; session: CheckoutSessionObject; redirect: string }
  /** Already paid/saved (a second submit): nothing happens again. */
  | { outcome: 'already_complete'; session: CheckoutSessionObject; redirect: string }
  | { outcome: 'expired'; session: CheckoutSessionObject }
  | { outcome: 'declined'; session: CheckoutSessionObject; decline: CardDecline }
  | { outcome: 'not_found' };

/** The hosted page acts for the person at the keyboard, not for an API request. */
const PAGE: EventCause = { requestId: null, idempotencyKey: null };

const successRedirect = (session: CheckoutSessionObject) => session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);

/** Pays (payment mode) or saves the card (setup mode), raising the events Stripe would. */
export function completeSession(state: EmulatorState, sessionId: string, form: CardForm): Completion {
  const owned = state.sessions.get(sessionId);
  if (!owned) return { outcome: 'not_found' };
  const { account, object: session } = owned;
  expireIfDue(state, session, account, PAGE);
  if (session.status === 'expired') return { outcome: 'expired', session };
  if (session.status === 'complete') return { outcome: 'already_complete', session, redirect: successRedirect(session) };

  const charged = chargeCard({ number: form.card_number ?? '', expiry: form.expiry, cvc: form.cvc }, state.now());
  if (!charged.ok) return { outcome: 'declined', session, decline: charged.decline };

  const now = state.seconds();
  const pm: PaymentMethodObject = {
    id: stripeId('pm'),
    object: 'payment_method',
    type: 'card',
    card: charged.card,
    billing_details: {
      name: form.name?.trim() || null,
      email: null,
      phone: null,
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    },
    customer: null,
    allow_redisplay: 'unspecified',
    created: now,
    livemode: false,
    metadata: {},
  };

  if (session.mode === 'payment') {
    state.put(state.paymentMethods, pm, account);
    const data = state.paymentIntentData.get(session.id);
    const intent: PaymentIntentObject = {
      id: stripeId('pi'),
      object: 'payment_intent',
      amount: session.amount_total ?? 0,
      amount_received: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      status: 'succeeded',
      customer: session.customer,
      payment_method: pm.id,
      payment_method_types: ['card'],
      description: data?.description ?? null,
      receipt_email: null,
      metadata: data?.metadata ?? {},
      latest_charge: stripeId('ch'),
      created: now,
      livemode: false,
    };
    state.put(state.paymentIntents, intent, account);
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = intent.id;
    session.url = null;
    state.emit('payment_intent.succeeded', intent, account, PAGE);
    state.emit('checkout.session.completed', session, account, PAGE);
  } else {
    pm.customer = session.customer;
    state.put(state.paymentMethods, pm, account);
    const intent = state.find(state.setupIntents, session.setup_intent as string, account) as SetupIntentObject;
    intent.status = 'succeeded';
    intent.payment_method = pm.id;
    session.status = 'complete';
    session.url = null;
    state.emit('setup_intent.succeeded', intent, account, PAGE);
    if (pm.customer) state.emit('payment_method.attached', pm, account, PAGE, { customer: null });
    state.emit('checkout.session.completed', session, account, PAGE);
  }
  return { outcome: 'completed', session, redirect: successRedirect(session) };
}

// ---- HTML ----

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

export function formatAmount(amount: number, currency: string): string {
  const major = ZERO_DECIMAL.has(currency) ? amount : amount / 100;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(major);
  } catch {
    return `${major.toFixed(2)} ${currency.toUpperCase()}`;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f9fc;color:#1a1f36}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.note{margin:0 0 1rem;padding:.5rem .75rem;border-radius:.375rem;background:#fff4d6;color:#5c3c00;font-size:.875rem}
h1{font-size:1.5rem;margin:0 0 .25rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}
th,td{text-align:left;padding:.25rem 0;border-bottom:1px solid #e3e8ee;font-weight:normal}
td.amount,th.amount{text-align:right}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.625rem .75rem;font:inherit;border:1px solid #a3acb9;border-radius:.375rem}
input[aria-invalid=true]{border-color:#c0123c}
.row{display:flex;gap:1rem}.row>div{flex:1}
.hint{margin:.25rem 0 0;font-size:.875rem;color:#4f566b}
.error{margin:1rem 0 0;padding:.5rem .75rem;border-radius:.375rem;background:#fde2e7;color:#8a0a2b}
button{width:100%;margin-top:1.5rem;padding:.75rem;font:inherit;font-weight:600;color:#fff;background:#4f46e5;border:0;border-radius:.375rem;cursor:pointer}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
a{color:#3730a3}
.cancel{margin:1rem 0 0;text-align:center}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="note" role="note">Local Stripe emulator, test mode: no real card is charged.</p>
${body}
</main>
</body>
</html>`;
}

export function renderMessagePage(title: string, message: string, link?: { href: string; label: string }): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}`);
}

export function renderCheckoutPage(state: EmulatorState, session: CheckoutSessionObject, form: CardForm = {}, decline?: CardDecline): string {
  const paying = session.mode === 'payment';
  const amount = paying ? formatAmount(session.amount_total ?? 0, session.currency ?? 'usd') : '';
  const title = paying ? `Pay ${amount}` : 'Save a card';
  const items = paying ? (state.lineItems.get(session.id) ?? []) : [];
  const invalid = (field: CardDecline['field']) => (decline?.field === field ? ' aria-invalid="true" aria-describedby="card-error"' : '');
  const value = (v: string | undefined, fallback: string) => escapeHtml(v ?? fallback);
  const summary = paying
    ? `<table>
<caption class="hint">Order summary</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
${items.map((item) => `<tr><td>${escapeHtml(item.description)}${item.quantity > 1 ? ` × ${item.quantity}` : ''}</td><td class="amount">${escapeHtml(formatAmount(item.amount_total, item.currency))}</td></tr>`).join('\n')}
</tbody>
<tfoot><tr><th scope="row">Total</th><td class="amount"><strong>${escapeHtml(amount)}</strong></td></tr></tfoot>
</table>`
    : `<p>Your card will be saved for future payments. Nothing is charged now.</p>`;
  const body = `<h1>${escapeHtml(title)}</h1>
${summary}
<form method="post" action="/checkout/${escapeHtml(session.id)}">
${decline ? `<p class="error" id="card-error" role="alert">${escapeHtml(decline.message)}</p>` : ''}
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required value="${value(form.card_number, SUCCESS_CARD)}"${invalid('card_number') || ' aria-describedby="card-hint"'}>
<p class="hint" id="card-hint">Test cards: 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined.</p>
<div class="row">
<div><label for="expiry">Expiry (MM / YY)</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" value="${value(form.expiry, '12 / 34')}"${invalid('expiry')}></div>
<div><label for="cvc">CVC</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" value="${value(form.cvc, '123')}"${invalid('cvc')}></div>
</div>
<label for="name">Name on card</label>
<input id="name" name="name" autocomplete="cc-name" value="${value(form.name, '')}">
<button type="submit">${paying ? escapeHtml(title) : 'Save card'}</button>
</form>
${session.cancel_url ? `<p class="cancel"><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p>` : ''}`;
  return page(`${title} — Stripe emulator`, body);
}
