import { SyncError } from '../../errors.js';
import { globMatches } from '../routing/glob.js';

export interface WebhookSource {
  /** Header carrying the HMAC-SHA256 hex of the raw body (an optional `sha256=` prefix is accepted). */
  signatureHeader: string;
  /** The event names the system sends (reference §4.10); `*` is a wildcard. */
  events: string[];
  /** Reads the entity from a body. */
  entity(eventName: string, body: Record<string, unknown>): { type: string; id: string | undefined };
  version(body: Record<string, unknown>): string | undefined;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export const WEBHOOK_SOURCES: Record<string, WebhookSource> = {
  erpnext: {
    signatureHeader: 'x-frappe-webhook-signature',
    events: [
      'customer-created',
      'customer-updated',
      'item-updated',
      'stock-entry-submitted',
      'sales-order-submitted',
      'sales-order-cancelled',
      'delivery-note-submitted',
      'item-price-updated',
      'pricing-rule-updated',
    ],
    entity: (event, body) => ({ type: str(body.doctype) ?? titleOf(event), id: str(body.name) ?? str(body.doc_name) ?? str(body.id) }),
    version: (body) => str(body.modified) ?? str(body.version),
  },
  espocrm: {
    signatureHeader: 'x-espocrm-signature',
    events: ['Account.afterSave', 'Contact.afterSave', 'Product.afterSave', 'Opportunity.afterSave', 'Quote.afterSave'],
    entity: (event, body) => ({ type: event.split('.')[0]!, id: str(body.id) }),
    version: (body) => str(body.modifiedAt) ?? str(body.versionNumber),
  },
  medusa: {
    signatureHeader: 'x-medusa-signature',
    events: [
      'customer.created',
      'customer.updated',
      'product.*',
      'product_variant.*',
      'order.placed',
      'order.updated',
      'order.canceled',
      'order.completed',
    ],
    entity: (event, body) => ({ type: event.split('.')[0]!, id: str(obj(body.data).id) ?? str(body.id) }),
    version: (body) => str(obj(body.data).updated_at) ?? str(body.updated_at),
  },
};

export function isKnownEvent(source: WebhookSource, name: string): boolean {
  return source.events.some((pattern) => (pattern.includes('*') ? globMatches(pattern, name) : pattern === name));
}

function titleOf(event: string): string {
  return event
    .split('-')
    .slice(0, -1)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

/** The sources a caller may name: the external systems sync takes webhooks from, and the collected Tributary services. */
export function checkKnownSource(deps: { settings: { sources: string[] } }, source: string): void {
  if (Object.hasOwn(WEBHOOK_SOURCES, source) || deps.settings.sources.includes(source)) return;
  throw SyncError.SYNC_REQUEST_SOURCE_UNKNOWN(`"${source}" is not a source sync knows`, {
    details: { accepted: [...Object.keys(WEBHOOK_SOURCES), ...deps.settings.sources] },
  });
}
