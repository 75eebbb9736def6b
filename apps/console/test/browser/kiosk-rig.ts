import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/platform/core';
import { freePort } from '@tributary/platform/testing';
import { BRIDGE_WS_PATH, loadDevicesConfig, startDeviceBridge, type DeviceBridge } from '@tributary/devices';
import { openPeer, startPtyPair, type Peer, type PtyPair } from '../../../../packages/devices/src/testing/socat.js';
import { apiAs, startRig, type ConsoleRig } from './harness.js';

export type DeviceName = 'scale' | 'scanner' | 'button' | 'printer';
const NAMES: DeviceName[] = ['scale', 'scanner', 'button', 'printer'];

export interface KioskRig extends ConsoleRig {
  /** The bridge's WebSocket, which the kiosk page is pointed at. */
  bridgeUrl: string;
  /** The hardware's end of each serial line. */
  peers: Record<DeviceName, Peer>;
}

/**
 * The console rig plus a real device bridge on `socat` pseudo-terminal pairs, one per device.
 * The bridge's port is chosen first, so the gateway's CSP can name it and the bridge can allow
 * the gateway's origin: exactly the kiosk's set-up, on other ports.
 */
export async function startKioskRig(): Promise<KioskRig> {
  const dir = await mkdtemp(join(tmpdir(), 'console-kiosk-'));
  const pairs: PtyPair[] = [];
  const peers: Partial<Record<DeviceName, Peer>> = {};
  let rig: ConsoleRig | undefined;
  let bridge: DeviceBridge | undefined;
  const stopDevices = async () => {
    await bridge?.close();
    for (const peer of Object.values(peers)) await peer.close();
    for (const pair of pairs) await pair.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const name of NAMES) {
      const pair = await startPtyPair(dir, name);
      pairs.push(pair);
      peers[name] = await openPeer(pair.peer);
    }
    const port = await freePort();
    const bridgeUrl = `ws://127.0.0.1:${port}${BRIDGE_WS_PATH}`;
    rig = await startRig({ CONSOLE_DEVICE_BRIDGE: `ws://127.0.0.1:${port}` });
    // A kiosk works all shift on one account (scale, scans, labels, the flow's checks): an
    // administrator gives it the premium tier, as docs/console.md tells operators to.
    const admin = await apiAs(rig, 'admin');
    const raised = await admin.call('PATCH', '/api/v1/admin/users/usr_seeduwa_officer', { rateLimitTier: 'premium' });
    if (raised.status !== 200) throw new Error(`raising the kiosk user's tier answered ${raised.status}`);
    const [scale, scanner, button, printer] = pairs;
    const config = loadDevicesConfig({
      DEVICES_PORT: String(port),
      DEVICES_ALLOWED_ORIGINS: rig.origin,
      DEVICES_SCALE_PORT: scale!.device,
      DEVICES_SCANNER_PORT: scanner!.device,
      DEVICES_BUTTON_PORT: button!.device,
      DEVICES_PRINTER: printer!.device,
    });
    bridge = await startDeviceBridge(config, silentLogger());
    const base = rig;
    return {
      ...base,
      bridgeUrl,
      peers: peers as Record<DeviceName, Peer>,
      async stop() {
        await base.stop();
        await stopDevices();
      },
    };
  } catch (error) {
    await rig?.stop();
    await stopDevices();
    throw error;
  }
}
