import { AppError, type Logger } from '@tributary/platform/core';
import { GatewayError } from '../../errors.js';
import { consumeOne, counter, type LimiterFactory, type WindowOutcome } from './store.js';
import { WINDOW_SECONDS, WINDOWS, type WindowLimits, type WindowName } from './tiers.js';

export type IdentifierType = 'api_key' | 'user_id' | 'ip_address';

export interface LimitDecision {
  allowed: boolean;
  /** Headers for the response, allowed or not. */
  headers: Record<string, string>;
  /** The window that refused, when refused. */
  window?: WindowName;
  minuteLimit: number;
  failedOpen: boolean;
}

/**
 * Per-identifier limits over three fixed windows, all consumed on every request (a refusal
 * still counts, as in Kong and Tyk, so hammering does not reset anything).
 */
export class RateLimitService {
  constructor(
    private readonly factory: LimiterFactory,
    private readonly options: { failOpen: boolean; logger: Logger },
  ) {}

  async check(type: IdentifierType, value: string, limits: WindowLimits): Promise<LimitDecision> {
    const active = WINDOWS.filter((window) => limits[window] > 0);
    if (active.length === 0) return { allowed: true, headers: {}, minuteLimit: 0, failedOpen: false };
    let outcomes: Array<[WindowName, WindowOutcome]>;
    try {
      outcomes = await Promise.all(
        active.map(async (window) => {
          const limiter = counter(this.factory, `rl:${window}`, WINDOW_SECONDS[window]);
          return [window, await consumeOne(limiter, `${type}:${value}`, limits[window])] as [WindowName, WindowOutcome];
        }),
      );
    } catch (error) {
      if (!this.options.failOpen) throw GatewayError.RATE_LIMIT_STORE_UNAVAILABLE('Rate limit store is unavailable', { cause: error });
      this.options.logger.warn({ err: error }, 'rate limit store failed; allowing the request');
      return { allowed: true, headers: {}, minuteLimit: limits.minute, failedOpen: true };
    }
    const refused = outcomes.find(([, outcome]) => !outcome.allowed);
    // Report the window closest to refusing, as the IETF RateLimit header draft suggests.
    const [, tightest] = refused ?? outcomes.reduce((a, b) => (b[1].remaining < a[1].remaining ? b : a));
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(tightest.limit),
      'RateLimit-Remaining': String(Math.max(0, tightest.remaining)),
      'RateLimit-Reset': String(Math.ceil(tightest.resetMs / 1000)),
      'RateLimit-Policy': outcomes.map(([window, outcome]) => `${outcome.limit};w=${WINDOW_SECONDS[window]}`).join(', '),
      // The original gateway's names, which its clients read; its reset is an epoch second.
      'X-RateLimit-Limit': String(tightest.limit),
      'X-RateLimit-Remaining': String(Math.max(0, tightest.remaining)),
      'X-RateLimit-Reset': String(Math.ceil((Date.now() + tightest.resetMs) / 1000)),
    };
    if (refused) headers['Retry-After'] = String(Math.max(1, Math.ceil(refused[1].resetMs / 1000)));
    return { allowed: !refused, headers, ...(refused ? { window: refused[0] } : {}), minuteLimit: limits.minute, failedOpen: false };
  }
}

export function rateLimitedError(decision: LimitDecision, type: IdentifierType): AppError {
  return GatewayError.RATE_LIMIT_EXCEEDED(`Rate limit exceeded for this ${type.replace('_', ' ')} (per ${decision.window})`, {
    details: { identifierType: type, window: decision.window },
    headers: decision.headers,
  });
}
