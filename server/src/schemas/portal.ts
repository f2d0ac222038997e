// Request shapes of the widget API: strict objects, bounded strings and lists.
import { z } from 'zod';

export const portalPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

export const appointmentsQuery = portalPageQuery.extend({ when: z.enum(['upcoming', 'past']).default('upcoming') });

export const approveBody = z.strictObject({ optionId: z.string().min(1).max(64).optional() });
export const declineBody = z.strictObject({ reason: z.string().trim().max(1000, 'must be at most 1000 characters').optional() });

export const messageBody = z.strictObject({
  kind: z.enum(['new_appointment', 'reschedule', 'cancel', 'other']),
  body: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  appointmentId: z.string().min(1).max(64).optional(),
  preferredTimes: z.array(z.string().trim().min(1).max(200)).max(5, 'at most 5 preferred times').optional(),
});

export const replyBody = z.strictObject({ body: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters') });
