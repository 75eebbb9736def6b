import { importFindings } from '@tributary/platform/import-log';
import type { Importer } from '../common/command.js';
import { openSource } from '../common/targets.js';
import type { AnyDatabase } from '@tributary/platform/db';
import { ordersSteps } from './orders.js';
import { processingSteps } from './processing.js';
import { reconcileImportedMtp } from './reconcile.js';
import type { HeldRows } from './step.js';

export interface MtpSourceUrls {
  /** The AWS-Manager database (`tea_management`: schemas admin and public). */
  ordersUrl: string;
  /** The Central-Handler database. */
  processingUrl: string;
}

interface MtpSources {
  orders: AnyDatabase;
  processing: AnyDatabase;
}

/**
 * `tributary import mtp`: the AWS-Manager tables into the orders service's database, the
 * Central-Handler tables into the processing service's, parents before children, then the MTP
 * reconciliation over the two targets.
 */
export function mtpImporter(urls: MtpSourceUrls): Importer<MtpSources> {
  return {
    source: 'mtp',
    services: ['orders', 'processing'],
    async openSources(logger) {
      const orders = await openSource('AWS-Manager (orders)', urls.ordersUrl, logger);
      try {
        const processing = await openSource('Central-Handler (processing)', urls.processingUrl, logger);
        return {
          sources: { orders, processing },
          close: async () => void (await Promise.allSettled([orders.close(), processing.close()])),
        };
      } catch (error) {
        await orders.close();
        throw error;
      }
    },
    async run(session, sources) {
      const held: HeldRows = new Set();
      // A resumed or repeated run meets rows held back earlier: their dependants stay held.
      if (session.write) {
        for (const service of ['orders', 'processing']) {
          for (const logged of await importFindings(session.target(service).database.db, 'mtp')) {
            if (logged.decision !== 'fixed') held.add(`${logged.sourceTable}:${logged.sourceKey}`);
          }
        }
      }
      for (const step of ordersSteps(sources.orders.db, held)) await session.runTable(step);
      for (const step of processingSteps(sources.processing.db, sources.orders.db, held)) await session.runTable(step);
      if (session.write) {
        session.report.checks.push(await reconcileImportedMtp(session.target('orders').database, session.target('processing').database));
      }
    },
  };
}
