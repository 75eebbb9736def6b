import type { Logger } from '@tributary/platform/core';
import type { DevicesConfig } from '../config.js';
import type { BridgeEvent, DeviceName, DeviceStates } from '../messages.js';
import { buttonReply, createButtonParser } from '../protocol/button.js';
import { createScaleParser, type ScaleReading } from '../protocol/scale.js';
import { createScannerParser } from '../protocol/scanner.js';
import { openPrinter, type Printer } from '../transports/printer.js';
import { openSerialLine, type SerialLine } from '../transports/serial-line.js';

export interface DeviceHub {
  states(): DeviceStates;
  lastScale(): ScaleReading | null;
  /** Queued: labels come out in the order they were asked for. */
  print(zpl: string): Promise<void>;
  /** Lights the button box's LED for the bag it asked about. */
  bagResult(ok: boolean): Promise<void>;
  close(): Promise<void>;
}

export class DeviceAbsentError extends Error {
  constructor(readonly device: DeviceName) {
    super(`no ${device} is configured on this kiosk`);
    this.name = 'DeviceAbsentError';
  }
}

export interface DeviceHubOptions {
  config: DevicesConfig;
  logger: Logger;
  emit: (event: BridgeEvent) => void;
  /** Clock for the button's press grouping; injectable so nothing else reads the time. */
  now?: () => number;
}

const sameReading = (a: ScaleReading | null, b: ScaleReading) =>
  a !== null && a.kg === b.kg && a.stable === b.stable && a.overload === b.overload && a.underload === b.underload;

/**
 * The configured devices, each on its own line, turned into bridge events. A device without a
 * port is `absent` and never opened; one whose port is missing stays `disconnected` while its
 * line keeps trying. Scale frames arrive several times a second: only changes are passed on.
 */
export function openDeviceHub(options: DeviceHubOptions): DeviceHub {
  const { config, logger, emit } = options;
  const now = options.now ?? Date.now;
  const states: DeviceStates = { scale: 'absent', scanner: 'absent', button: 'absent', printer: 'absent' };
  let reading: ScaleReading | null = null;
  const lines: SerialLine[] = [];

  const setState = (device: DeviceName) => (connected: boolean) => {
    states[device] = connected ? 'connected' : 'disconnected';
    if (device === 'scale' && !connected) reading = null;
    emit({ type: 'devices', devices: { ...states }, scale: reading });
  };

  const serial = (device: DeviceName, path: string | undefined, onData: (chunk: Buffer) => void): SerialLine | null => {
    if (!path) return null;
    states[device] = 'disconnected';
    const line = openSerialLine({ path, name: device, baudRate: config.baudRate, logger, onData, onState: setState(device) });
    lines.push(line);
    return line;
  };

  const scaleParser = createScaleParser({ capacityKg: config.scaleCapacityKg });
  serial('scale', config.scalePort, (chunk) => {
    for (const next of scaleParser.push(chunk)) {
      if (sameReading(reading, next)) continue;
      reading = next;
      emit({ type: 'scale', ...next });
    }
  });

  const scannerParser = createScannerParser();
  serial('scanner', config.scannerPort, (chunk) => {
    for (const scan of scannerParser.push(chunk)) {
      logger.info({ device: 'scanner', code: scan.code }, 'scanned');
      emit({ type: 'scan', ...scan });
    }
  });

  const buttonParser = createButtonParser();
  const button = serial('button', config.buttonPort, (chunk) => {
    for (const action of buttonParser.push(chunk, now())) {
      logger.info({ device: 'button', action }, 'button pressed');
      emit({ type: 'button', action });
    }
  });

  let printer: Printer | null = null;
  if (config.printer) {
    states.printer = 'disconnected';
    printer = openPrinter({ address: config.printer, baudRate: config.baudRate, logger, onState: setState('printer') });
  }
  let printQueue: Promise<void> = Promise.resolve();

  return {
    states: () => ({ ...states }),
    lastScale: () => reading,
    print(zpl) {
      const target = printer;
      if (!target) return Promise.reject(new DeviceAbsentError('printer'));
      const job = printQueue.then(() => target.print(zpl));
      printQueue = job.catch(() => undefined);
      return job;
    },
    async bagResult(ok) {
      if (!button) throw new DeviceAbsentError('button');
      await button.write(buttonReply(ok));
    },
    async close() {
      await Promise.all([...lines.map((line) => line.close()), printer?.close()]);
    },
  };
}
