import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevicesConfig } from '../config.js';
import { TEALINE_ZPL, tealine, UUID_TEA } from '../testing/labels.js';
import { openPage, type Page } from '../testing/page.js';
import { openPeer, startPtyPair, waitFor, type PtyPair } from '../testing/socat.js';
import { BRIDGE_WS_PATH, startDeviceBridge, type DeviceBridge } from './server.js';

/** A network label printer: a real TCP server that keeps each connection's bytes as one job. */
function startNetworkPrinter(): Promise<{ server: Server; port: number; jobs: Buffer[]; waiters: Set<() => void> }> {
  const jobs: Buffer[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((socket: Socket) => {
    const parts: Buffer[] = [];
    socket.on('data', (chunk) => parts.push(chunk));
    socket.on('end', () => {
      jobs.push(Buffer.concat(parts));
      socket.end();
      for (const waiter of waiters) waiter();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, jobs, waiters });
    });
  });
}

describe('device bridge with devices missing and a network printer', () => {
  let dir: string;
  let printer: Awaited<ReturnType<typeof startNetworkPrinter>>;
  let bridge: DeviceBridge;
  let page: Page;
  let scanner: PtyPair | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devices-missing-'));
    printer = await startNetworkPrinter();
    const config = loadDevicesConfig({
      DEVICES_PORT: '0',
      // Configured, but nothing is plugged in yet.
      DEVICES_SCANNER_PORT: join(dir, 'scanner'),
      DEVICES_PRINTER: `tcp://127.0.0.1:${printer.port}`,
    });
    bridge = await startDeviceBridge(config, silentLogger());
    page = await openPage(`${bridge.url.replace(/^http/, 'ws')}${BRIDGE_WS_PATH}`);
  });

  afterAll(async () => {
    await page?.close();
    await bridge?.close();
    await scanner?.stop();
    await new Promise<void>((resolve) => (printer?.server.listening ? printer.server.close(() => resolve()) : resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('starts without the missing devices and says which are there', async () => {
    expect(await page.next('devices')).toEqual({
      type: 'devices',
      devices: { scale: 'absent', scanner: 'disconnected', button: 'absent', printer: 'connected' },
      scale: null,
    });
    page.send({ type: 'bag-result', id: 'b1', ok: true });
    expect(await page.next('error', (event) => event.id === 'b1')).toEqual({
      type: 'error',
      id: 'b1',
      code: 'DEVICE_ABSENT',
      message: 'no button is configured on this kiosk',
    });
  });

  it('prints the exact label bytes to a raw TCP 9100 printer, one connection per job', async () => {
    page.send({ type: 'print', id: 'p1', label: tealine });
    await page.next('done', (event) => event.id === 'p1');
    const [job] = await waitFor(() => (printer.jobs.length >= 1 ? printer.jobs : null), printer.waiters, 'the print job');
    expect(job!.toString('utf8')).toBe(TEALINE_ZPL);
  });

  it('picks up a scanner plugged in after the start', async () => {
    scanner = await startPtyPair(dir, 'scanner');
    await page.next('devices', (event) => event.devices.scanner === 'connected');
    const peer = await openPeer(scanner.peer);
    await peer.send(`tealine:${UUID_TEA}\r`);
    expect(await page.next('scan')).toEqual({ type: 'scan', code: `tealine:${UUID_TEA}`, table: 'tealine', barcode: UUID_TEA });
    await peer.close();
  });

  it('reports a printer that is switched off and changes nothing else', async () => {
    await new Promise<void>((resolve) => printer.server.close(() => resolve()));
    page.send({ type: 'print', id: 'p2', zpl: '^XA^FDoff^FS^XZ' });
    expect(await page.next('error', (event) => event.id === 'p2')).toMatchObject({
      code: 'DEVICE_FAILED',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(printer.jobs).toHaveLength(1);
  });
});
