// Builds what a customer's action tells the business: an email to its notification address and
// a webhook event, both handed to the store to write in the same transaction as the action.
import { newId } from '../lib/crypto';
import { businessNotification, type BusinessEvent } from '../mail/templates/notifications';
import type { Business, SideEffects } from '../store/types';
import type { WebhookEventType } from '../store/webhook-events';
import type { Deps } from './deps';

export function notifyBusiness(deps: Deps, business: Business, event: BusinessEvent, webhook: { type: WebhookEventType; data: Record<string, unknown> }): SideEffects {
  const to = business.notificationEmail ?? business.email;
  const email = to ? { id: newId('eml'), businessId: business.id, kind: `notify_${event.kind}`, to, ...businessNotification(business, event, `${deps.publicUrl}/admin`) } : undefined;
  return { emails: email ? [email] : [], events: [{ id: newId('evt'), ...webhook }] };
}
