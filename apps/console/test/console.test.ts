import { afterAll, beforeAll, describe } from 'vitest';
import { dashboardCases } from './browser/dashboard.cases.js';
import { erpCases } from './browser/erp.cases.js';
import { expiryCases } from './browser/expiry.cases.js';
import { flowCases } from './browser/flow.cases.js';
import { gatepassCases } from './browser/gatepass.cases.js';
import { gatewayAdminPageCases } from './browser/gateway-admin-pages.cases.js';
import { gatewayAdminCases } from './browser/gateway-admin.cases.js';
import { type ConsoleRig, startRig } from './browser/harness.js';
import { parcelCases } from './browser/parcels.cases.js';
import { roleCases } from './browser/roles.cases.js';
import { scheduleCases } from './browser/schedules.cases.js';
import { servingCases } from './browser/serving.cases.js';
import { syncCases } from './browser/sync.cases.js';
import { systemCases } from './browser/system.cases.js';
import { traceCases } from './browser/trace.cases.js';
import { traderCases } from './browser/traders.cases.js';

// One platform and one browser for the whole suite: starting them is most of its time.
let rig: ConsoleRig | undefined;
const current = () => {
  if (!rig) throw new Error('the console rig did not start');
  return rig;
};

describe('console', () => {
  beforeAll(async () => {
    rig = await startRig();
  }, 300_000);
  afterAll(async () => {
    await rig?.stop();
  });

  describe('served by the gateway', () => servingCases(current));
  describe('sign-in and groups', () => roleCases(current));
  describe('the tea flow, page by page', () => flowCases(current));
  describe('production schedules', () => scheduleCases(current));
  describe('trader queue', () => traderCases(current));
  describe('gatepass', () => gatepassCases(current));
  describe('parcels', () => parcelCases(current));
  describe('traceability', () => traceCases(current));
  describe('pipeline dashboard', () => dashboardCases(current));
  describe('session expiry', () => expiryCases(current));
  describe('gateway administration', () => gatewayAdminCases(current));
  describe('gateway administration pages', () => gatewayAdminPageCases(current));
  describe('sync monitoring', () => syncCases(current));
  describe('system health and gateway usage', () => systemCases(current));
  describe('confectionery desk', () => erpCases(current));
});
