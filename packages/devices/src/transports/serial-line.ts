import { SerialPort } from 'serialport';
import type { Logger } from '@tributary/platform/core';
import { backoffDelay } from '@tributary/platform/resilience';

/** §7.2: every device on the kiosk talks 9600 baud, 8 data bits, no parity, one stop bit. */
export const DEFAULT_BAUD_RATE = 9600;

export interface SerialLineOptions {
  /** The device (`/dev/ttyUSB0`, `COM3`), as configured. */
  path: string;
  /** What the line is for, in logs. */
  name: string;
  baudRate?: number;
  logger: Logger;
  onData: (chunk: Buffer) => void;
  onState: (connected: boolean) => void;
  /** Reopen attempts back off from this (ms) up to reconnectCapMs; jittered. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
}

export interface SerialLine {
  connected(): boolean;
  /** Writes and waits until the bytes left the process; refuses while the device is away. */
  write(data: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

/**
 * A serial device that may be missing at start-up or unplugged later (the kiosk's USB hubs do
 * both): the line keeps trying to open the port in the background, so the bridge starts without
 * it and picks it up when it appears, and a port that disappears is reopened the same way.
 */
export function openSerialLine(options: SerialLineOptions): SerialLine {
  const { path, name, logger } = options;
  const base = options.reconnectBaseMs ?? 500;
  const cap = options.reconnectCapMs ?? 5_000;
  const log = logger.child({ device: name, port: path });
  let port: SerialPort | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  let warnedMissing = false;

  const schedule = () => {
    if (closing || timer) return;
    timer = setTimeout(
      () => {
        timer = null;
        open();
      },
      backoffDelay(attempt, { baseMs: base, capMs: cap }) + base / 2,
    );
    attempt += 1;
  };

  const open = () => {
    const candidate = new SerialPort({
      path,
      baudRate: options.baudRate ?? DEFAULT_BAUD_RATE,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    candidate.open((error) => {
      if (closing) {
        if (!error) candidate.close();
        return;
      }
      if (error) {
        // One warning per outage: a kiosk without a scale would otherwise log every few seconds.
        if (!warnedMissing) log.warn({ err: error.message }, 'serial device not available; skipped until it appears');
        warnedMissing = true;
        schedule();
        return;
      }
      port = candidate;
      attempt = 0;
      warnedMissing = false;
      log.info('serial device connected');
      options.onState(true);
      candidate.on('data', (chunk: Buffer) => options.onData(chunk));
      candidate.on('error', (err) => log.warn({ err: err.message }, 'serial device error'));
      candidate.on('close', () => {
        if (port !== candidate) return;
        port = null;
        options.onState(false);
        if (closing) return;
        log.warn('serial device went away; reopening');
        schedule();
      });
    });
  };

  open();

  return {
    connected: () => port !== null,
    write(data) {
      const current = port;
      if (!current) return Promise.reject(new Error(`${name} is not connected`));
      return new Promise((resolve, reject) => {
        current.write(data, (error) => {
          if (error) return reject(error);
          current.drain((drainError) => (drainError ? reject(drainError) : resolve()));
        });
      });
    },
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const current = port;
      port = null;
      if (current?.isOpen) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}

/** The serial ports this machine has, for picking the DEVICES_*_PORT values. */
export async function listSerialPorts(): Promise<{ path: string; manufacturer?: string; serialNumber?: string }[]> {
  const ports = await SerialPort.list();
  return ports.map((port) => ({
    path: port.path,
    ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
    ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
  }));
}
