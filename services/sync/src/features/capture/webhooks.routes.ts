import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { SyncError } from '../../errors.js';
import type { WebhookDeps } from '../../deps.js';
import { captureEvents } from './capture.service.js';
import { isKnownEvent, WEBHOOK_SOURCES } from './webhook-sources.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { ACCESS } from '../../access.js';

const Params = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$' }),
  eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 150, pattern: '^[A-Za-z0-9_.:-]+$' })),
});
// success and timestamp are what the original service answered; its senders may read them.
const Accepted = Type.Object({
  success: Type.Literal(true),
  eventId: Type.String(),
  duplicate: Type.Boolean(),
  deliveries: Type.Integer(),
  timestamp: Type.String(),
});

/**
 * External systems push here (ERPNext, EspoCRM, Medusa). These paths carry no SigV4: the HMAC of
 * the raw body with the source's own secret is the authentication, checked before anything is read.
 */
export function registerWebhookRoutes(app: HttpApp, deps: WebhookDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { source, eventType } = request.params as { source: string; eventType?: string };
    const definition = Object.hasOwn(WEBHOOK_SOURCES, source) ? WEBHOOK_SOURCES[source] : undefined;
    const secret = Object.hasOwn(deps.settings.webhookSecrets, source) ? deps.settings.webhookSecrets[source] : undefined;
    if (!definition) throw SyncError.SYNC_WEBHOOK_SOURCE_UNKNOWN(`No webhook source "${source}" exists`);
    if (!secret) throw SyncError.SYNC_WEBHOOK_SOURCE_NOT_CONFIGURED(`Webhook source "${source}" has no secret configured`);
    const raw: Buffer = request.rawBody ?? Buffer.alloc(0);
    const header = request.headers[definition.signatureHeader] ?? request.headers['x-tributary-signature'];
    if (!verifyWebhookSignature(raw, secret, typeof header === 'string' ? header : undefined)) {
      throw SyncError.SYNC_WEBHOOK_SIGNATURE_INVALID('Webhook signature is missing or does not match the body');
    }
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw SyncError.SYNC_WEBHOOK_BODY_INVALID('Webhook body must be a JSON object');
    const record = body as Record<string, unknown>;
    const name = eventType ?? pick(record, ['event', 'eventType', 'event_type', 'type']);
    if (!name || !isKnownEvent(definition, name)) {
      throw SyncError.SYNC_WEBHOOK_EVENT_UNKNOWN(`"${name ?? ''}" is not an event ${source} sends`, {
        details: { accepted: definition.events },
      });
    }
    const entity = definition.entity(name, record);
    const given = request.headers['x-webhook-id'] ?? request.headers['idempotency-key'];
    // Without an id from the sender, the same body sent again is the same event.
    const eventId =
      typeof given === 'string' && /^[\x21-\x7e]{1,40}$/.test(given)
        ? `${source}:${given}`
        : `${source}:${createHash('sha256').update(raw).digest('hex').slice(0, 48)}`;
    const result = await captureEvents(deps.capture, source, [
      {
        id: eventId,
        source,
        name,
        aggregateType: entity.type.slice(0, 100) || source,
        aggregateId: (entity.id ?? eventId).slice(0, 200),
        payload: body,
        createdAt: deps.clock.now(),
        sourceVersion: definition.version(record) ?? null,
        sourceIp: request.ip ?? null,
        docStatus: typeof record.docstatus === 'number' || typeof record.docstatus === 'string' ? String(record.docstatus) : null,
      },
    ]);
    return reply.code(202).send({
      success: true,
      eventId,
      duplicate: result.captured === 0,
      deliveries: result.deliveries,
      timestamp: new Date(deps.clock.now()).toISOString(),
    });
  };
  const schema = {
    tags: ['webhooks'],
    summary: 'Receive an event from an external system (HMAC-SHA256 signed body)',
    params: Params,
    response: { 202: Accepted, 400: errorResponseSchema, 401: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema },
  };
  app.post('/webhooks/:source', { config: { access: ACCESS.webhook }, schema }, handler);
  app.post('/webhooks/:source/:eventType', { config: { access: ACCESS.webhook }, schema }, handler);
  app.get(
    '/webhooks/health',
    routeOptions(
      ACCESS.webhookSources,
      'webhooks',
      'Configured webhook sources (the original answer plus the sources that have a secret)',
      {
        response: {
          200: Type.Object({
            status: Type.Literal('healthy'),
            timestamp: Type.String(),
            uptime: Type.Number(),
            sources: Type.Array(Type.String()),
          }),
        },
      },
    ),
    async () => ({
      status: 'healthy' as const,
      timestamp: new Date(deps.clock.now()).toISOString(),
      uptime: process.uptime(),
      sources: Object.keys(deps.settings.webhookSecrets).filter((source) => Object.hasOwn(WEBHOOK_SOURCES, source)),
    }),
  );
}

function pick(record: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) if (typeof record[key] === 'string' && record[key]) return record[key] as string;
  return undefined;
}
