import WebSocket from 'ws';
import type { BridgeEvent } from '../messages.js';
import { waitFor } from './socat.js';

/** A kiosk page's end of the bridge: a real WebSocket client that keeps every event it got. */
export interface Page {
  events: BridgeEvent[];
  send(command: unknown): void;
  /** The first matching event of its type after the last one taken, waiting for it if need be. */
  next<T extends BridgeEvent['type']>(type: T, match?: (event: EventOf<T>) => boolean): Promise<EventOf<T>>;
  close(): Promise<void>;
}

type EventOf<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

const isOfType = <T extends BridgeEvent['type']>(event: BridgeEvent, type: T): event is EventOf<T> => event.type === type;

export const CONSOLE_ORIGIN = 'http://127.0.0.1:8080';

export async function openPage(url: string, origin: string = CONSOLE_ORIGIN): Promise<Page> {
  const ws = new WebSocket(url, { origin });
  const events: BridgeEvent[] = [];
  const waiters = new Set<() => void>();
  // Per type, the index of the last event taken: events of a type are taken in arrival order.
  const lastTaken = new Map<string, number>();
  // Listening before 'open': the bridge's first frame can arrive with the handshake's answer.
  ws.on('message', (data) => {
    events.push(JSON.parse(data.toString()) as BridgeEvent);
    for (const waiter of waiters) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
  });
  function next<T extends BridgeEvent['type']>(type: T, match?: (event: EventOf<T>) => boolean): Promise<EventOf<T>> {
    return waitFor<EventOf<T>>(
      () => {
        for (let i = (lastTaken.get(type) ?? -1) + 1; i < events.length; i++) {
          const event = events[i]!;
          if (isOfType(event, type) && (!match || match(event))) {
            lastTaken.set(type, i);
            return event;
          }
        }
        return null;
      },
      waiters,
      `a ${type} event`,
    );
  }
  return {
    events,
    send: (command) => ws.send(typeof command === 'string' ? command : JSON.stringify(command)),
    next,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
