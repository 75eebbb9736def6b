import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevicesConfig } from '../config.js';
import { BLENDSHEET_ZPL, blendsheet, TEALINE_ZPL, tealine, UUID_TEA } from '../testing/labels.js';
import { openPeer, startPtyPair, type Peer, type PtyPair } from '../testing/socat.js';
import { openPage, type Page } from '../testing/page.js';
import { BRIDGE_WS_PATH, startDeviceBridge, type DeviceBridge } from './server.js';

describe('device bridge over real serial lines (socat pseudo-terminals)', () => {
  let dir: string;
  const pairs: Record<'scale' | 'scanner' | 'button' | 'printer', PtyPair | null> = {
    scale: null,
    scanner: null,
    button: null,
    printer: null,
  };
  const peers: Record<'scale' | 'scanner' | 'button' | 'printer', Peer | null> = {
    scale: null,
    scanner: null,
    button: null,
    printer: null,
  };
  let bridge: DeviceBridge;
  let page: Page;
  let wsUrl: string;

  const peer = (name: keyof typeof peers): Peer => {
    const found = peers[name];
    if (!found) throw new Error(`${name} peer not open`);
    return found;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devices-bridge-'));
    for (const name of ['scale', 'scanner', 'button', 'printer'] as const) {
      pairs[name] = await startPtyPair(dir, name);
      peers[name] = await openPeer(pairs[name].peer);
    }
    const config = loadDevicesConfig({
      DEVICES_PORT: '0',
      DEVICES_SCALE_PORT: pairs.scale!.device,
      DEVICES_SCANNER_PORT: pairs.scanner!.device,
      DEVICES_BUTTON_PORT: pairs.button!.device,
      DEVICES_PRINTER: pairs.printer!.device,
    });
    bridge = await startDeviceBridge(config, silentLogger());
    wsUrl = `${bridge.url.replace(/^http/, 'ws')}${BRIDGE_WS_PATH}`;
    page = await openPage(wsUrl);
    await page.next('devices', (event) => Object.values(event.devices).every((state) => state === 'connected'));
  });

  afterAll(async () => {
    await page?.close();
    await bridge?.close();
    for (const name of Object.keys(peers) as (keyof typeof peers)[]) await peers[name]?.close();
    for (const pair of Object.values(pairs)) await pair?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams the scale reading from §7.2 frames, split and noisy, as exact kilograms', async () => {
    await peer('scale').send('\x00\xff\x02U  12.3');
    await peer('scale').send('\r\n\x02U  12.3\r\n\x02S  25.505\r\n');
    expect(await page.next('scale')).toEqual({ type: 'scale', kg: '12.30', stable: false, overload: false, underload: false });
    // The repeated unstable frame is no change, so the next event is the stable one.
    expect(await page.next('scale')).toEqual({ type: 'scale', kg: '25.51', stable: true, overload: false, underload: false });
    await peer('scale').send('\x02S OL\r\n');
    expect(await page.next('scale')).toEqual({ type: 'scale', kg: null, stable: true, overload: true, underload: false });
  });

  it('streams scanner lines, telling a bag label by its table', async () => {
    await peer('scanner').send(`tealine:${UUID_TEA}\r\nBS/2024/0192\r\n`);
    expect(await page.next('scan')).toEqual({ type: 'scan', code: `tealine:${UUID_TEA}`, table: 'tealine', barcode: UUID_TEA });
    expect(await page.next('scan')).toEqual({ type: 'scan', code: 'BS/2024/0192' });
  });

  it('takes ADD_BAG ×5 from the button box as one accepted bag and answers BAG_OK / BAG_NOT_OK on its line', async () => {
    const button = peer('button');
    for (let i = 0; i < 5; i++) await button.send('ADD_BAG\r\n');
    expect(await page.next('button')).toEqual({ type: 'button', action: 'BAG_ACCEPT' });
    page.send({ type: 'bag-result', id: 'b1', ok: true });
    expect(await page.next('done')).toEqual({ type: 'done', id: 'b1' });
    await button.until((bytes) => bytes.toString() === 'BAG_OK\r\n', 'BAG_OK on the button line');

    page.send({ type: 'bag-result', id: 'b2', ok: false });
    await page.next('done', (event) => event.id === 'b2');
    expect((await button.until((bytes) => bytes.length >= 20, 'BAG_NOT_OK on the button line')).toString()).toBe(
      'BAG_OK\r\nBAG_NOT_OK\r\n',
    );

    // Five presses in one burst are five bags; a dispatch press is its own action.
    await button.send('ADD_BAG\r\n'.repeat(25) + 'BAG_ADDED\r\n');
    for (let i = 0; i < 5; i++) expect(await page.next('button')).toEqual({ type: 'button', action: 'BAG_ACCEPT' });
    expect(await page.next('button')).toEqual({ type: 'button', action: 'BAG_DISPATCH' });
  });

  it('puts the exact §7.1 ZPL of a tealine and a blendsheet label on the printer line, in order', async () => {
    page.send({ type: 'print', id: 'p1', label: tealine });
    page.send({ type: 'print', id: 'p2', label: blendsheet });
    await page.next('done', (event) => event.id === 'p2');
    const printed = await peer('printer').until(
      (bytes) => bytes.length >= Buffer.byteLength(TEALINE_ZPL + BLENDSHEET_ZPL),
      'both labels on the printer line',
    );
    expect(printed.toString('utf8')).toBe(TEALINE_ZPL + BLENDSHEET_ZPL);
    expect(page.events.filter((event) => event.type === 'done').map((event) => (event.type === 'done' ? event.id : ''))).toContain('p1');
  });

  it('refuses bad commands and bad labels without touching a device', async () => {
    const before = peer('printer').received().length;
    page.send('{"type":"print","id":"x1","zpl":"no label here"}');
    expect(await page.next('error', (event) => event.id === 'x1')).toMatchObject({ code: 'BAD_COMMAND' });
    page.send({ type: 'print', id: 'x2', label: { ...tealine, bag_weight: '60' } });
    expect(await page.next('error', (event) => event.id === 'x2')).toMatchObject({
      code: 'BAD_COMMAND',
      message: expect.stringContaining('exceeds gross'),
    });
    page.send({ type: 'print', id: 'x3', zpl: '^XA^FDok^FS^XZ' });
    await page.next('done', (event) => event.id === 'x3');
    // Only the valid job reached the printer.
    const after = await peer('printer').until((bytes) => bytes.length >= before + 14, 'the valid job on the printer line');
    expect(after.subarray(before).toString()).toBe('^XA^FDok^FS^XZ');
  });

  it('refuses a page from another origin, and serves the device strip over HTTP', async () => {
    await expect(openPage(wsUrl, 'http://evil.example')).rejects.toThrow('refused with 403');
    const status = await fetch(`${bridge.url}/devices`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      type: 'devices',
      devices: { scale: 'connected', scanner: 'connected', button: 'connected', printer: 'connected' },
    });
  });

  it('notices a scale that is unplugged and picks it up again when it comes back', async () => {
    await peers.scale!.close();
    await pairs.scale!.stop();
    await page.next('devices', (event) => event.devices.scale === 'disconnected');
    pairs.scale = await startPtyPair(dir, 'scale');
    peers.scale = await openPeer(pairs.scale.peer);
    await page.next('devices', (event) => event.devices.scale === 'connected');
    await peer('scale').send('\x02S  3.10\r\n');
    expect(await page.next('scale', (event) => event.kg === '3.10')).toEqual({
      type: 'scale',
      kg: '3.10',
      stable: true,
      overload: false,
      underload: false,
    });
  });
});
