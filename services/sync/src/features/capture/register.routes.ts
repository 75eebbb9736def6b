import { Type, type Static } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { RegisterDeps } from '../../deps.js';
import { registerCallback } from './register.service.js';

const RegisterBody = Type.Object(
  {
    source: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_-]+$' }),
    eventTypes: Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:*/-]+$' }), { minItems: 1, maxItems: 100 }),
    callbackUrl: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const Registered = Type.Object({
  success: Type.Literal(true),
  registration: Type.Object({
    id: Type.String(),
    source: Type.String(),
    eventTypes: Type.Array(Type.String()),
    callbackUrl: Type.String(),
    secret: Type.String({
      description: 'whsec_…: verifies the Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature); shown only here',
    }),
    signatureHeader: Type.String(),
  }),
  timestamp: Type.String(),
});

/** The original `POST /webhooks/register`; unlike the other webhook paths it needs a signed caller with an integration or administrator role. */
export function registerCallbackRoutes(app: HttpApp, deps: RegisterDeps): void {
  app.post(
    '/webhooks/register',
    {
      config: { access: ACCESS.integration },
      schema: {
        tags: ['webhooks'],
        summary: "Deliver a source's events to a callback URL (signed with a secret returned once)",
        body: RegisterBody,
        response: { 200: Registered, 400: errorResponseSchema, 403: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request) => {
      const identity = request.identity;
      const registration = await registerCallback(
        deps,
        request.body as Static<typeof RegisterBody>,
        identity?.user ?? identity?.principal ?? 'unknown',
      );
      return { success: true as const, registration, timestamp: new Date(deps.clock.now()).toISOString() };
    },
  );
}
