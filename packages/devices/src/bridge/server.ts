import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { Logger } from '@tributary/platform/core';
import { createHttpApp, drainHttpApp, startHttpServer, type HttpApp } from '@tributary/platform/http';
import { WebSocket, WebSocketServer } from 'ws';
import { parseCommand, renderLabel } from '../commands.js';
import type { DevicesConfig } from '../config.js';
import { BRIDGE_WS_PATH, DevicesEvent, type BridgeCommand, type BridgeEvent } from '../messages.js';
import { DeviceAbsentError, openDeviceHub, type DeviceHub } from './hub.js';

// The path is part of the page's contract, so it lives with the messages.
export { BRIDGE_WS_PATH };
/** The largest command: a ZPL job of 64 KiB in its JSON envelope. */
const MAX_FRAME_BYTES = 128 * 1024;

export interface DeviceBridge {
  /** `http://127.0.0.1:4100`; the WebSocket is at `ws://…/devices/ws`. */
  url: string;
  hub: DeviceHub;
  close(): Promise<void>;
}

/**
 * The bridge process: the devices' hub behind a WebSocket on loopback. Only pages from the
 * configured origins may connect (any web page the kiosk browser opens could otherwise drive the
 * printer); every event goes to every connected page, a command's answer only to its sender.
 */
export async function startDeviceBridge(config: DevicesConfig, logger: Logger): Promise<DeviceBridge> {
  const log = logger.child({ component: 'devices' });
  const sockets = new Set<WebSocket>();
  const broadcast = (event: BridgeEvent) => {
    const frame = JSON.stringify(event);
    for (const socket of sockets) if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  };
  const hub = openDeviceHub({ config, logger: log, emit: broadcast });
  const picture = (): Static<typeof DevicesEvent> => ({ type: 'devices', devices: hub.states(), scale: hub.lastScale() });

  const app = await createHttpApp({ name: 'devices', logger: log });
  registerStatusRoute(app, picture);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const allowed = new Set(config.allowedOrigins);
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://bridge').pathname;
    const origin = request.headers.origin;
    if (path !== BRIDGE_WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!origin || !allowed.has(origin)) {
      log.warn({ origin: origin ?? null }, 'WebSocket refused: origin not allowed');
      return refuse(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      log.info({ origin, clients: sockets.size }, 'page connected');
      ws.send(JSON.stringify(picture()));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return reply(ws, { type: 'error', code: 'BAD_COMMAND', message: 'commands are JSON text frames' });
        void handle(ws, data.toString());
      });
      ws.on('close', () => {
        sockets.delete(ws);
        log.info({ clients: sockets.size }, 'page disconnected');
      });
    });
  });

  const handle = async (ws: WebSocket, text: string) => {
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      log.warn({ reason: parsed.message }, 'command refused');
      return reply(ws, {
        type: 'error',
        ...(parsed.id === undefined ? {} : { id: parsed.id }),
        code: 'BAD_COMMAND',
        message: parsed.message,
      });
    }
    const { command } = parsed;
    const answer = await execute(hub, command, config.timeZone, log);
    if (answer) return reply(ws, { ...answer, ...(command.id === undefined ? {} : { id: command.id }) });
    if (command.id !== undefined) reply(ws, { type: 'done', id: command.id });
  };

  const url = await startHttpServer(app, { host: config.host, port: config.port });
  log.info({ url, devices: hub.states() }, 'device bridge listening');
  return {
    url,
    hub,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await drainHttpApp(app);
      await hub.close();
    },
  };
}

type Failure = { type: 'error'; code: 'BAD_COMMAND' | 'DEVICE_ABSENT' | 'DEVICE_FAILED'; message: string };

/** Runs one command; answers the failure, or nothing when it went through. */
async function execute(hub: DeviceHub, command: BridgeCommand, timeZone: string, log: Logger): Promise<Failure | null> {
  let zpl: string | null = null;
  if (command.type === 'print') {
    if ('zpl' in command) zpl = command.zpl;
    else {
      try {
        zpl = renderLabel(command.label, timeZone);
      } catch (error) {
        return { type: 'error', code: 'BAD_COMMAND', message: (error as Error).message };
      }
    }
  }
  try {
    if (zpl !== null) {
      await hub.print(zpl);
      log.info(
        {
          device: 'printer',
          bytes: Buffer.byteLength(zpl),
          ...('label' in command ? { table: command.label.table, barcode: command.label.barcode } : {}),
        },
        'label printed',
      );
    } else if (command.type === 'bag-result') {
      await hub.bagResult(command.ok);
      log.info({ device: 'button', ok: command.ok }, 'bag result sent');
    }
    return null;
  } catch (error) {
    if (error instanceof DeviceAbsentError) return { type: 'error', code: 'DEVICE_ABSENT', message: error.message };
    log.warn({ err: error, command: command.type }, 'device command failed');
    return { type: 'error', code: 'DEVICE_FAILED', message: (error as Error).message };
  }
}

function reply(ws: WebSocket, event: BridgeEvent): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** `GET /devices`: the device strip for a glance or a probe (which devices are there, the last weight). */
function registerStatusRoute(app: HttpApp, picture: () => Static<typeof DevicesEvent>): void {
  app.get(
    '/devices',
    { schema: { summary: 'Devices of this kiosk and the last scale reading', response: { 200: DevicesEvent } } },
    async () => picture(),
  );
}
