import { InvalidArgumentError, Option, type Command } from 'commander';
import { createLogger } from '@tributary/platform/core';
import { EXIT_CODES } from '@tributary/platform/service';
import { CliError, refusalsToExitCodes } from '../../cli-error.js';
import type { Importer, ImportOutputOptions } from './common/command.js';

interface CommonOptions extends ImportOutputOptions {
  apply?: boolean;
  chunkSize: number;
  progress: boolean;
}

/**
 * `tributary import mtp` and `tributary import harsha`; registered from main.ts. The importers'
 * modules (drivers, progress bars) are imported when the command runs.
 */
export function registerImportCommands(program: Command): void {
  const command = program.command('import').description('move in from the original systems (a dry run unless --apply)');
  const withCommonOptions = (sub: Command) =>
    sub
      .option('--apply', 'write into the Tributary databases (default: a dry run that writes nothing)')
      .option('--json', 'print the report as JSON')
      .option('--report-csv <file>', 'also write every finding, one row each, to this CSV file')
      .addOption(new Option('--chunk-size <n>', 'source rows per transaction').default(1000).argParser(positiveInteger))
      .option('--no-progress', 'no progress bars on stderr');

  const run = async <Sources>(load: () => Promise<Importer<Sources>>, options: CommonOptions) => {
    const global = program.opts<{ dataDir: string; logLevel: string }>();
    const logger = createLogger({ name: 'tributary', level: global.logLevel });
    const [{ runImport, outputImportReport }, importer] = await Promise.all([import('./common/command.js'), load()]);
    const report = await runImport(importer, {
      dataDir: global.dataDir,
      env: process.env,
      logger,
      apply: options.apply === true,
      chunkSize: options.chunkSize,
      progress: options.progress && process.stderr.isTTY === true,
    });
    process.exitCode = await outputImportReport(report, options, process.stdout);
  };

  withCommonOptions(
    command
      .command('mtp')
      .description('the AWS-Manager (orders) and Central-Handler (processing) databases of MTP')
      .requiredOption('--orders-from <url>', 'the AWS-Manager database (schemas admin and public), only read')
      .requiredOption('--processing-from <url>', 'the Central-Handler database, only read'),
  ).action(
    refusalsToExitCodes(async (options: CommonOptions & { ordersFrom: string; processingFrom: string }) => {
      await run(
        async () => (await import('./mtp/mtp.js')).mtpImporter({ ordersUrl: options.ordersFrom, processingUrl: options.processingFrom }),
        options,
      );
    }),
  );

  withCommonOptions(
    command
      .command('harsha')
      .description('the Harsha Delights ERPNext extension tables, gateway and sync databases')
      .requiredOption('--erp-from <url>', 'the ERPNext database (MariaDB), only read')
      .requiredOption('--gateway-from <url>', 'the gateway database, only read')
      .requiredOption('--sync-from <url>', 'the sync database, only read'),
  ).action(
    refusalsToExitCodes(async (options: CommonOptions & { erpFrom: string; gatewayFrom: string; syncFrom: string }) => {
      const load = harshaImporter({ erpUrl: options.erpFrom, gatewayUrl: options.gatewayFrom, syncUrl: options.syncFrom });
      if (!load) throw new CliError('IMPORT_NOT_AVAILABLE', '`import harsha` is not available yet in this version', EXIT_CODES.config);
      await run(load, options);
    }),
  );
}

export interface HarshaSourceUrls {
  erpUrl: string;
  gatewayUrl: string;
  syncUrl: string;
}

/**
 * The one place `import harsha` plugs in: return a loader of its importer, e.g.
 * `() => import('./harsha/harsha.js').then((m) => m.harshaImporter(urls))`.
 */
function harshaImporter(urls: HarshaSourceUrls): (() => Promise<Importer<unknown>>) | undefined {
  return () => import('./harsha/harsha.js').then((m) => m.harshaImporter(urls));
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
