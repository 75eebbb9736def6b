import { useState } from 'react';
import type { ScaleReading } from '../../lib/bridge';
import { useBridge } from './use-bridge';

export interface Scale {
  /** What is shown: the locked reading while locked, else the live one. */
  reading: ScaleReading | null;
  connected: boolean;
  locked: boolean;
  /** The gross weight a bag may be recorded with: a stable, in-range reading, or the locked one. */
  gross: string | null;
  lock(): void;
  unlock(): void;
}

/**
 * Lock lives in the page, not the bridge (ADR 0702): the bridge keeps streaming the live weight;
 * a locked page simply keeps the reading it froze. Only a stable reading can be locked.
 */
export function useScale(): Scale {
  const bridge = useBridge();
  const [locked, setLocked] = useState<ScaleReading | null>(null);
  const live = bridge.scale;
  const connected = bridge.link === 'open' && bridge.devices?.scale === 'connected';
  const usable = (reading: ScaleReading | null) =>
    reading && reading.stable && !reading.overload && !reading.underload && reading.kg !== null && reading.kg !== '0.00'
      ? reading.kg
      : null;
  return {
    reading: locked ?? live,
    connected,
    locked: locked !== null,
    gross: locked ? usable(locked) : connected ? usable(live) : null,
    lock: () => setLocked(usable(live) ? live : null),
    unlock: () => setLocked(null),
  };
}
