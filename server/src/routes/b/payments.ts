// The widget API's payments: start Checkout for an invoice, and the card on file. Only ids travel
// (in the path); amounts and everything else come from the database (SECURITY P1, E4).
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../lib/errors';
import { listCards, makeDefaultCard, removeCard, startCardSetup } from '../../payments/cards';
import { startInvoiceCheckout } from '../../payments/checkout';
import type { Deps } from '../../services/deps';
import { requireSession, type PublicEnv } from './scope';

/** These actions take no fields: a body, if any, must be empty or `{}`; anything else is refused. */
const noFields = createMiddleware(async (c, next) => {
  const text = (await c.req.text()).trim();
  if (text !== '') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError(400, 'invalid_body', 'Send no body, or an empty JSON object.');
    const fields = Object.keys(body);
    if (fields.length > 0) {
      throw new AppError(400, 'invalid_body', `${fields.slice(0, 3).join(', ')}: not accepted. This request takes no fields; amounts come from the invoice on the server.`);
    }
  }
  await next();
});

export const paymentRoutes = (deps: Deps) => {
  const signedIn = requireSession(deps);
  return new Hono<PublicEnv>()
    .post('/invoices/:id/checkout', signedIn, noFields, async (c) => c.json(await startInvoiceCheckout(deps, c.var, c.req.param('id')), 200))
    .get('/payment-methods', signedIn, async (c) => c.json({ data: await listCards(deps, c.var), nextCursor: null }, 200))
    .post('/payment-methods/setup', signedIn, noFields, async (c) => c.json(await startCardSetup(deps, c.var), 200))
    .post('/payment-methods/:id/default', signedIn, noFields, async (c) =>
      c.json({ data: await makeDefaultCard(deps, c.var, c.req.param('id')), nextCursor: null }, 200),
    )
    .delete('/payment-methods/:id', signedIn, async (c) => {
      await removeCard(deps, c.var, c.req.param('id'));
      return c.body(null, 204);
    });
};
