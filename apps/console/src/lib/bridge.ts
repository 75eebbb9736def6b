import { Value } from '@sinclair/typebox/value';
import { BridgeEvent, DEFAULT_BRIDGE_URL, type BridgeCommand, type DeviceStates } from '@tributary/devices/messages';

/**
 * The kiosk page's one connection to the device bridge (`tributary devices`). Every frame is
 * checked against the bridge's own BridgeEvent schema before anything reads it, so a bridge of
 * another version shows up as "bridge speaks another protocol" instead of as wrong weights.
 */
export type ScaleReading = Omit<Extract<BridgeEvent, { type: 'scale' }>, 'type'>;
export type ScanEvent = Extract<BridgeEvent, { type: 'scan' }>;
export type ButtonAction = Extract<BridgeEvent, { type: 'button' }>['action'];

export interface BridgeState {
  url: string;
  link: 'connecting' | 'open' | 'closed';
  devices: DeviceStates | null;
  scale: ScaleReading | null;
  /** The last frame that did not match the schema, said once so a support call can quote it. */
  protocolProblem: string | null;
}

type Listener = (event: BridgeEvent) => void;
type Command = BridgeCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

const STORAGE_KEY = 'tributary.bridge-url';
const MAX_BACKOFF_MS = 5_000;
const CONNECT_TIMEOUT_MS = 3_000;

export function savedBridgeUrl(): string {
  return localStorage.getItem(STORAGE_KEY) || DEFAULT_BRIDGE_URL;
}

let state: BridgeState = { url: savedBridgeUrl(), link: 'closed', devices: null, scale: null, protocolProblem: null };
const stateListeners = new Set<() => void>();
const eventListeners = new Set<Listener>();
const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
let socket: WebSocket | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let attempts = 0;
let users = 0;

function set(next: Partial<BridgeState>): void {
  state = { ...state, ...next };
  for (const listener of stateListeners) listener();
}

function receive(data: unknown): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch {
    parsed = undefined;
  }
  if (!Value.Check(BridgeEvent, parsed)) {
    set({ protocolProblem: String(data).slice(0, 200) });
    return;
  }
  const event = parsed;
  if (event.type === 'devices') set({ devices: event.devices, scale: event.scale });
  if (event.type === 'scale') set({ scale: { kg: event.kg, stable: event.stable, overload: event.overload, underload: event.underload } });
  if (event.type === 'done') pending.get(event.id)?.resolve();
  if (event.type === 'error' && event.id) pending.get(event.id)?.reject(new Error(event.message));
  for (const listener of eventListeners) listener(event);
}

function open(): void {
  clearTimeout(retryTimer);
  set({ link: 'connecting' });
  let ws: WebSocket;
  try {
    ws = new WebSocket(state.url);
  } catch {
    // A malformed address: nothing to retry until it is changed.
    set({ link: 'closed', devices: null, scale: null });
    return;
  }
  socket = ws;
  // A blocked or black-holed connection may never say so: give up on it after a while.
  const giveUp = setTimeout(() => lost(ws), CONNECT_TIMEOUT_MS);
  ws.onopen = () => {
    clearTimeout(giveUp);
    attempts = 0;
    set({ link: 'open', protocolProblem: null });
  };
  ws.onmessage = (message) => receive(message.data);
  ws.onerror = () => lost(ws);
  ws.onclose = () => lost(ws);
}

/** The connection failed or ended: every waiting command fails, and a new attempt is scheduled. */
function lost(ws: WebSocket): void {
  if (socket !== ws) return;
  socket = undefined;
  ws.close();
  for (const [, waiter] of pending) waiter.reject(new Error('The device bridge went away'));
  pending.clear();
  set({ link: 'closed', devices: null, scale: null });
  // The bridge restarts with the kiosk's service manager: keep knocking, gently.
  if (users > 0) retryTimer = setTimeout(open, Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts++));
}

function close(): void {
  clearTimeout(retryTimer);
  const ws = socket;
  socket = undefined;
  ws?.close();
  set({ link: 'closed', devices: null, scale: null });
}

/** Held by every kiosk page while it is shown; the connection lives while one holds it. */
export function holdBridge(): () => void {
  users += 1;
  if (users === 1) open();
  return () => {
    users -= 1;
    if (users === 0) close();
  };
}

export function setBridgeUrl(url: string): void {
  localStorage.setItem(STORAGE_KEY, url);
  close();
  attempts = 0;
  set({ url });
  if (users > 0) open();
}

/** Sends a command and resolves when the bridge says its bytes left for the device. */
export function sendCommand(command: Command): Promise<void> {
  const ws = socket;
  if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('The device bridge is not connected'));
  const id = crypto.randomUUID();
  return new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: () => {
        pending.delete(id);
        resolve();
      },
      reject: (error) => {
        pending.delete(id);
        reject(error);
      },
    });
    ws.send(JSON.stringify({ ...command, id }));
  });
}

export function onBridgeEvent(listener: Listener): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function subscribeBridge(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

export function bridgeState(): BridgeState {
  return state;
}
