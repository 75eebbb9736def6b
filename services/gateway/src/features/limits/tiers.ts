import type { RateLimitTier } from '../../db/schema.js';

export interface WindowLimits {
  minute: number;
  hour: number;
  day: number;
}

/** The documented tier table: per hour = 60 × per minute, per day = 1440 × per minute; 0 = no limit. */
export const TIER_LIMITS: Record<RateLimitTier, WindowLimits> = {
  basic: { minute: 30, hour: 1_800, day: 43_200 },
  standard: { minute: 100, hour: 6_000, day: 144_000 },
  premium: { minute: 500, hour: 30_000, day: 720_000 },
  unlimited: { minute: 0, hour: 0, day: 0 },
};

export const WINDOW_SECONDS = { minute: 60, hour: 3_600, day: 86_400 } as const;
export type WindowName = keyof typeof WINDOW_SECONDS;
export const WINDOWS: WindowName[] = ['minute', 'hour', 'day'];
