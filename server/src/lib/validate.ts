// zod validation for route inputs whose failures take the one error path (400 with a message
// naming the field), instead of @hono/zod-validator's default response.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { AppError } from './errors';

export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const path = issue.path.map(String).join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${path ? `${path}: ` : ''}${issue.message}${more}`;
}

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new AppError(400, target === 'json' ? 'invalid_body' : 'invalid_request', describeIssues(result.error as unknown as z.ZodError));
    }
  });
