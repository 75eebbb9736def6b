import { connect } from 'node:net';

/** Raw ZPL over TCP, the port Zebra-style network printers listen on. */
export const RAW_PRINT_PORT = 9100;
export const DEFAULT_PRINT_TIMEOUT_MS = 10_000;

export interface TcpPrinterTarget {
  host: string;
  port: number;
}

/**
 * Sends one job on its own connection and resolves once every byte has been handed to the
 * network. A connection per job needs no keep-alive and leaves nothing half-open when the
 * printer is switched off between labels; a printer that never hangs up is cut at the timeout.
 */
export function sendRawJob(target: TcpPrinterTarget, data: string | Buffer, timeoutMs: number = DEFAULT_PRINT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`printer ${target.host}:${target.port} did not take the job within ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
    socket.once('connect', () =>
      socket.end(data, () => {
        if (!failed) resolve();
      }),
    );
  });
}

/** `tcp://host:9100` (port optional) into a target, or null when the text is a device path. */
export function parseTcpTarget(text: string): TcpPrinterTarget | null {
  if (!text.startsWith('tcp://')) return null;
  const url = new URL(text);
  if (!url.hostname || url.pathname.replace(/\/$/, '') !== '' || url.search || url.username)
    throw new RangeError(`${text} is not tcp://host[:port]`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : RAW_PRINT_PORT };
}
