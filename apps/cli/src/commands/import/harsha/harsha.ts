import type { AnyDatabase } from '@tributary/platform/db';
import type { HarshaSourceUrls } from '../import.js';
import type { Importer } from '../common/command.js';
import type { ImportSession } from '../common/run.js';
import { openSource } from '../common/targets.js';
import { batchStep, orphanConsumptionStep, orphanMovementStep } from './batches.step.js';
import {
  assignmentStep,
  customerStep,
  itemStep,
  pricingRuleItemStep,
  pricingRuleStep,
  segmentStep,
  volumeSlabStep,
  warehouseStep,
} from './erp.steps.js';
import { apiKeyStep, apiUserStep, serviceRouteStep } from './gateway.steps.js';
import { ledgerCheck } from './ledger-check.js';
import { sourceOver, type SourceDatabase } from './source.js';
import type { HarshaDatabase, Step } from './step.js';
import { SYNC_HISTORY_TABLES, syncConfigurationStep } from './sync.steps.js';
import { tableStep, type Booked } from './table-step.js';
import { activeRoutes, configurationNames } from './targets.js';

/** Parents before children, so every foreign key finds its row in the same or an earlier chunk. */
export const HARSHA_STEPS: readonly Step[] = [
  itemStep,
  warehouseStep,
  customerStep,
  segmentStep,
  assignmentStep,
  batchStep,
  orphanMovementStep,
  orphanConsumptionStep,
  pricingRuleStep,
  pricingRuleItemStep,
  volumeSlabStep,
  apiUserStep,
  apiKeyStep,
  serviceRouteStep,
  syncConfigurationStep,
];

type HarshaSources = Record<HarshaDatabase, SourceDatabase>;

/**
 * `tributary import harsha`: the ERPNext extension tables (MariaDB) into erp, the gateway's
 * users, keys and routes into gateway, the sync configurations into sync, then erp's batch
 * ledger check over every batch (ADR 0033).
 */
export function harshaImporter(urls: HarshaSourceUrls): Importer<HarshaSources> {
  return {
    source: 'harsha',
    services: ['erp', 'gateway', 'sync'],
    async openSources(logger) {
      const opened: AnyDatabase[] = [];
      const close = async () => void (await Promise.allSettled(opened.map((database) => database.close())));
      try {
        for (const [name, url] of [
          ['Harsha ERPNext', urls.erpUrl],
          ['Harsha gateway', urls.gatewayUrl],
          ['Harsha sync', urls.syncUrl],
        ] as const) {
          opened.push(await openSource(name, url, logger));
        }
      } catch (error) {
        await close();
        throw error;
      }
      const [erp, gateway, sync] = opened as [AnyDatabase, AnyDatabase, AnyDatabase];
      return { sources: { erp: sourceOver('erp', erp), gateway: sourceOver('gateway', gateway), sync: sourceOver('sync', sync) }, close };
    },
    async run(session, sources) {
      const parentCache = new Map<string, Promise<Set<string>>>();
      const context = {
        sources,
        targetState: {
          activeRoutes: await activeRoutes(session.target('gateway').database),
          configurationNames: await configurationNames(session.target('sync').database),
        },
        parentKeys(database: HarshaDatabase, table: string, key: string) {
          const id = `${database}.${table}.${key}`;
          if (!parentCache.has(id)) parentCache.set(id, sources[database].keys(table, key));
          return parentCache.get(id)!;
        },
      };
      const booked: Booked = new Set();
      for (const step of HARSHA_STEPS) {
        const source = sources[step.source];
        if (!(await source.hasTable(step.table))) continue;
        await session.runTable(tableStep(step, source, context, session.target(step.target).database, booked));
      }
      session.report.checks.push(await notImported(sources.sync));
      if (session.write) session.report.checks.push(await ledgerCheck(session.target('erp').database));
    },
  };
}

/** Sync history the original never read back: counted, left in the original. */
async function notImported(sync: SourceDatabase): Promise<ImportSession['report']['checks'][number]> {
  const counts: Record<string, number> = {};
  for (const table of SYNC_HISTORY_TABLES) if (await sync.hasTable(table)) counts[table] = await sync.count(table);
  const listed = Object.entries(counts).map(([table, rows]) => `${table} ${rows}`);
  return {
    name: 'sync history not imported',
    ok: true,
    detail: listed.length > 0 ? `left in the original: ${listed.join(', ')} rows` : 'none in the original',
    data: counts,
  };
}
