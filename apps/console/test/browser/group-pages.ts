import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { navTitles } from './harness.js';

/**
 * The pages each group is offered, from the reference roles table, written out here rather
 * than read from the console's own table so the two are checked against each other.
 */
export const PAGES_OF: Record<string, string[]> = {
  'MASTER-ADMIN': ['Traceability', 'Users', 'Pipeline'],
  'GRANDPASS-ADMIN': ['Production plans', 'Traceability', 'Users', 'Pipeline'],
  'SEEDUWA-ADMIN': ['Shipments', 'Parcels', 'Traceability', 'Users', 'Pipeline'],
  'GRANDPASS-OFFICER': ['Shipments', 'Order requests', 'Production plans', 'Production schedules', 'Traceability', 'Pipeline'],
  'GRANDPASS-SUPERVISOR': ['Shipments', 'Order requests', 'Traceability', 'Pipeline'],
  'SEEDUWA-OFFICER': ['Shipments', 'Trader queue', 'Parcels', 'Traceability', 'Accept bags', 'Process', 'Dispatch', 'Pipeline'],
  'GRANDPASS-GATEPASS': ['Shipments', 'Gatepass', 'Pipeline'],
  'GRANDPASS-DEV-MACHINE': ['Production schedules', 'Parcels'],
  'TRADER-OFFICER': ['Trader queue', 'Pipeline'],
  'TRADER-SUPERVISOR': ['Trader queue', 'Pipeline'],
  administrator: [
    'Shipments',
    'Order requests',
    'Production plans',
    'Production schedules',
    'Trader queue',
    'Gatepass',
    'Parcels',
    'Traceability',
    'Users',
    'Accept bags',
    'Process',
    'Dispatch',
    'Pipeline',
    'Customer segments',
    'Batches and expiry',
    'Reorder points',
    'Pricing rules',
    'Pricing log',
    'Platform users',
    'API keys',
    'Access keys',
    'Routes',
    'Rate-limit tiers',
    'Audit log',
    'Sync monitoring',
    'System health',
    'Gateway usage',
  ],
};

/** The navigation offers the group its pages and no others. */
export async function expectOnlyPages(page: Page, group: string): Promise<void> {
  expect(await navTitles(page), `pages offered to ${group}`).toEqual(PAGES_OF[group]);
}
