import type { Tier } from '../../api/gateway-admin';

/** The tiers in the words on screen. */
export const TIER_NAMES: Record<Tier, string> = { basic: 'Basic', standard: 'Standard', premium: 'Premium', unlimited: 'Unlimited' };

export const tierName = (tier: string): string => TIER_NAMES[tier as Tier] ?? tier;

/** Comma- or space-separated words as a list ("erp:read, orders:*"). */
export function wordsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((word) => word.trim())
    .filter(Boolean);
}
