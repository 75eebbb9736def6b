import type { FastifyRequest } from 'fastify';
import { errorResponseSchema } from '@tributary/platform/http';

/** The failures an account call on the original surface can answer with. */
export const accountErrors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
};

/** Where a sign-in comes from: the lockout is per account and address. */
export function clientOf(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
