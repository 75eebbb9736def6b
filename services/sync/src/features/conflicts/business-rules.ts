import { mergeFields } from './merge.js';

export interface RuleInput {
  entityType: string;
  entityId: string;
  eventName: string;
  source: unknown;
  target: unknown;
  sourceVersion: string | null;
  targetVersion: string;
}

export type RuleDecision =
  | { action: 'source'; reason: string }
  | { action: 'target'; reason: string }
  | { action: 'value'; value: unknown; reason: string }
  | { action: 'manual'; reason: string };

export type BusinessRule = (input: RuleInput) => RuleDecision;

type Obj = Record<string, unknown>;
const asObject = (value: unknown): Obj => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {});

/**
 * Pluggable per-type logic (the reference's `business_rule` strategy). A configuration names
 * its rule; a deployment adds its own with `register` before the service starts.
 */
export class BusinessRules {
  private readonly rules = new Map<string, BusinessRule>();

  constructor(withDefaults = true) {
    if (withDefaults) for (const [name, rule] of Object.entries(DEFAULT_RULES)) this.register(name, rule);
  }

  register(name: string, rule: BusinessRule): void {
    this.rules.set(name, rule);
  }

  has(name: string): boolean {
    return this.rules.has(name);
  }

  names(): string[] {
    return [...this.rules.keys()].sort();
  }

  apply(name: string, input: RuleInput): RuleDecision {
    const rule = this.rules.get(name);
    if (!rule) return { action: 'manual', reason: `business rule "${name}" is not registered` };
    return rule(input);
  }
}

/** The integration service's per-entity merges from the reference (§4.10), as rules. */
const DEFAULT_RULES: Record<string, BusinessRule> = {
  /** Customer: keep the existing email, merge addresses by id, take the rest from the source. */
  customer_keep_email: ({ source, target }) => {
    const src = asObject(source);
    const tgt = asObject(target);
    const merged = mergeFields(src, tgt, { addresses: { rule: 'union_by_key', key: 'id' } }).resolvedData;
    if ('email' in tgt) merged.email = tgt.email;
    return { action: 'value', value: merged, reason: 'customer: existing email kept, addresses merged by id' };
  },
  /** Order: status and notes from the incoming event, items and total kept from the target. */
  order_status_from_event: ({ source, target }) => {
    const src = asObject(source);
    const value: Obj = { ...asObject(target) };
    for (const field of ['status', 'notes']) if (field in src) value[field] = src[field];
    return { action: 'value', value, reason: 'order: status and notes from the event, items and total kept' };
  },
  /** Inventory: the newer timestamp wins the quantity. */
  inventory_newer_wins: ({ source, target }) => {
    const src = asObject(source);
    const tgt = asObject(target);
    const a = Date.parse(String(src.updated_at ?? src.timestamp ?? ''));
    const b = Date.parse(String(tgt.updated_at ?? tgt.timestamp ?? ''));
    if (!Number.isNaN(b) && (Number.isNaN(a) || b > a)) return { action: 'target', reason: 'inventory: target holds the newer quantity' };
    return { action: 'source', reason: 'inventory: source holds the newer quantity' };
  },
  /** Higher version wins; equal versions need a person. */
  higher_version_wins: ({ sourceVersion, targetVersion }) => {
    const a = Number(sourceVersion);
    const b = Number(targetVersion);
    if (Number.isNaN(a) || Number.isNaN(b) || a === b) return { action: 'manual', reason: 'versions not comparable' };
    return a > b ? { action: 'source', reason: 'source version is higher' } : { action: 'target', reason: 'target version is higher' };
  },
};
