import type { Logger } from '@tributary/platform/core';
import { openSerialLine, type SerialLine } from './serial-line.js';
import { parseTcpTarget, sendRawJob, type TcpPrinterTarget } from './tcp-printer.js';

export interface Printer {
  /** A network printer counts as connected: it is only reached per job. */
  connected(): boolean;
  print(zpl: string): Promise<void>;
  close(): Promise<void>;
}

export interface PrinterOptions {
  /** A serial device path, or `tcp://host[:port]` for a network printer. */
  address: string;
  baudRate?: number;
  logger: Logger;
  onState: (connected: boolean) => void;
}

/** The label printer on a serial line or on the network, behind one interface. */
export function openPrinter(options: PrinterOptions): Printer {
  const target = parseTcpTarget(options.address);
  return target ? networkPrinter(target, options) : serialPrinter(options);
}

function networkPrinter(target: TcpPrinterTarget, options: PrinterOptions): Printer {
  options.onState(true);
  return {
    connected: () => true,
    print: (zpl) => sendRawJob(target, zpl),
    close: async () => {},
  };
}

function serialPrinter(options: PrinterOptions): Printer {
  const line: SerialLine = openSerialLine({
    path: options.address,
    name: 'printer',
    logger: options.logger,
    ...(options.baudRate === undefined ? {} : { baudRate: options.baudRate }),
    // Printers answer only to host status queries, which the bridge does not send.
    onData: () => {},
    onState: options.onState,
  });
  return { connected: () => line.connected(), print: (zpl) => line.write(zpl), close: () => line.close() };
}
