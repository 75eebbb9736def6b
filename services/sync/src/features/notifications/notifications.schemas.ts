import { Type, type Static } from '@sinclair/typebox';
import { SEVERITIES } from '../routing/severity.js';

const Severity = Type.Union(SEVERITIES.map((value) => Type.Literal(value)));
/** Event-name glob, as configurations use: `job.failed`, `job.*`, `alert.*`, `*`. */
const EventPattern = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:*/-]+$' });
/** One address; no spaces, commas or angle brackets, so nothing can be smuggled into the header. */
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@<>,;"]+@[^\\s@<>,;"]+\\.[^\\s@<>,;"]+$' });
const Name = Type.String({ minLength: 1, maxLength: 150, pattern: '^[A-Za-z0-9_. -]+$' });

export const Subscription = Type.Object({ event: EventPattern, minSeverity: Type.Optional(Severity) }, { additionalProperties: false });
const Subscriptions = Type.Array(Subscription, { minItems: 1, maxItems: 50 });

export const ChannelInput = Type.Object(
  {
    name: Name,
    kind: Type.Union([Type.Literal('webhook'), Type.Literal('email')]),
    /** webhook: https, or http to a loopback address. */
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** email: who receives it. */
    recipients: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 50 })),
    subscriptions: Subscriptions,
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ChannelInput = Static<typeof ChannelInput>;

export const ChannelPatch = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    recipients: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 50 })),
    subscriptions: Type.Optional(Subscriptions),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ChannelPatch = Static<typeof ChannelPatch>;

export const ChannelParams = Type.Object({ channelId: Type.String({ format: 'uuid' }) });

export const Channel = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  recipients: Type.Union([Type.Array(Type.String()), Type.Null()]),
  subscriptions: Type.Array(Subscription),
  enabled: Type.Boolean(),
  /** `[set]` for a webhook channel: the secret is shown only when created or rotated. */
  secret: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  created_by: Type.String(),
  updated_by: Type.Union([Type.String(), Type.Null()]),
});

export const ChannelWithSecret = Type.Composite([
  Type.Omit(Channel, ['secret']),
  Type.Object({ secret: Type.Union([Type.String({ description: 'whsec_…: shown once; verify deliveries with it' }), Type.Null()]) }),
]);

export const ChannelDelivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  event: Type.String(),
  source: Type.String(),
  /** pending (waiting or retrying), in_progress, completed, failed (dead letter), skipped. */
  status: Type.String(),
  attempts: Type.Integer(),
  maxRetries: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([Type.String(), Type.Null()]),
  nextRetryAt: Type.Union([Type.String(), Type.Null()]),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
