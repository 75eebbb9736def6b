import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { BridgeEvent } from '@tributary/devices/messages';
import { bridgeState, holdBridge, onBridgeEvent, sendCommand, subscribeBridge, type BridgeState } from '../../lib/bridge';

/** The bridge's picture for a kiosk page; the connection is open while such a page is shown. */
export function useBridge(): BridgeState {
  useEffect(() => holdBridge(), []);
  return useSyncExternalStore(subscribeBridge, bridgeState);
}

type EventOf<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

/** Calls the latest `handler` for every bridge event of one type (scans, button presses). */
export function useBridgeEvent<T extends BridgeEvent['type']>(type: T, handler: (event: EventOf<T>) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(
    () =>
      onBridgeEvent((event) => {
        if (event.type === type) latest.current(event as EventOf<T>);
      }),
    [type],
  );
}

/**
 * The box's LED: BAG_OK or BAG_NOT_OK for the press it sent. A missing box or bridge must not
 * turn a recorded bag into a refusal, so a failed send is dropped.
 */
export function answerButtonBox(ok: boolean): void {
  void sendCommand({ type: 'bag-result', ok }).catch(() => undefined);
}
