import type { ChannelTarget } from '../configurations/route.js';

/** Deliveries to a notification channel are queued for this target system, so each channel has its own lane and limits. */
export const CHANNEL_TARGET_PREFIX = 'notification:';

export function channelTargetSystem(channelId: string): string {
  return `${CHANNEL_TARGET_PREFIX}${channelId}`;
}

/** For a queued notification whose channel is gone or disabled: the delivery still resolves to it (and fails plainly). */
export function channelTargetOf(targetSystem: string): ChannelTarget | undefined {
  return targetSystem.startsWith(CHANNEL_TARGET_PREFIX)
    ? { kind: 'channel', channelId: targetSystem.slice(CHANNEL_TARGET_PREFIX.length) }
    : undefined;
}
