import { afterAll, beforeAll, describe } from 'vitest';
import { kioskCases } from './browser/kiosk.cases.js';
import { startKioskRig, type KioskRig } from './browser/kiosk-rig.js';

// Its own rig: the bridge's port must be known before the gateway starts (its CSP names it).
let rig: KioskRig | undefined;
const current = () => {
  if (!rig) throw new Error('the kiosk rig did not start');
  return rig;
};

describe('kiosk pages with a real device bridge on serial lines', () => {
  beforeAll(async () => {
    rig = await startKioskRig();
  }, 300_000);
  afterAll(async () => {
    await rig?.stop();
  });

  describe('accept, process, dispatch', () => kioskCases(current));
});
