import { Type, type Static } from '@sinclair/typebox';
import { loadConfig, nameSet } from '@tributary/platform/core';

export const OrdersConfigSchema = Type.Object({
  ORDERS_TRUSTED_SERVICES: Type.String({
    default: 'processing',
    description:
      'Comma list of peer service principals treated as the Central-Handler (may read orders, split shipments, post SHIPMENT_DISPATCHED/TRADER_BLOCKED)',
  }),
  ORDERS_EVENT_DELIVERERS: Type.String({
    default: 'sync',
    description: 'Comma list of service principals allowed to deliver events to POST /internal/events',
  }),
  ORDERS_RECONCILERS: Type.String({
    default: 'cli',
    description: 'Comma list of signing principals (besides the trusted services) allowed to read the reconciliation endpoints',
  }),
  ORDERS_MAX_BULK_ITEMS: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 500,
    description: 'Largest array accepted by the bulk endpoints',
  }),
  ORDERS_PLAN_UPLOAD_MAX_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 100 * 1024 * 1024,
    default: 10 * 1024 * 1024,
    description: 'Largest .xlsx plan upload',
  }),
});

export interface OrdersConfig {
  trustedServices: ReadonlySet<string>;
  eventDeliverers: ReadonlySet<string>;
  reconcilers: ReadonlySet<string>;
  maxBulkItems: number;
  planUploadMaxBytes: number;
}

export function readOrdersConfig(env: Record<string, string | undefined>): OrdersConfig {
  const raw: Static<typeof OrdersConfigSchema> = loadConfig(OrdersConfigSchema, env);
  return {
    trustedServices: nameSet(raw.ORDERS_TRUSTED_SERVICES),
    eventDeliverers: nameSet(raw.ORDERS_EVENT_DELIVERERS),
    reconcilers: nameSet(raw.ORDERS_RECONCILERS),
    maxBulkItems: raw.ORDERS_MAX_BULK_ITEMS,
    planUploadMaxBytes: raw.ORDERS_PLAN_UPLOAD_MAX_BYTES,
  };
}
