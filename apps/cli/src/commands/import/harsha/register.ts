import { Option, type Command } from 'commander';

interface HarshaCliOptions {
  erpFrom?: string;
  gatewayFrom?: string;
  syncFrom?: string;
  apply: boolean;
  chunkSize: string;
  json: boolean;
  reportCsv?: string;
  progress: boolean;
}

/** Exit code when the import finished but erp's ledger check found a batch out of balance. */
export const LEDGER_CHECK_FAILED = 3;

/**
 * `tributary import harsha`, registered under `import`. Only commander is loaded here; the
 * import's modules (drivers, progress bars) when the command runs.
 */
export function registerImportHarsha(parent: Command, global: () => { dataDir: string; logLevel: string }): void {
  parent
    .command('harsha')
    .description('import the Harsha Delights databases (ERPNext extensions, gateway, sync): a dry run unless --apply')
    .option('--erp-from <url>', 'the ERPNext extensions database (mysql://…)')
    .option('--gateway-from <url>', "the API gateway's database (postgres://…)")
    .option('--sync-from <url>', "the sync service's database (postgres://…)")
    .option('--apply', 'write into Tributary (default: a dry run that writes nothing)', false)
    .addOption(new Option('--chunk-size <rows>', 'source rows per transaction').default('500'))
    .option('--json', 'print the report as JSON', false)
    .option('--report-csv <file>', 'write every fault found, with the decision, as CSV')
    .option('--no-progress', 'no progress output')
    .action(async (options: HarshaCliOptions) => {
      const [{ importHarsha }, { reportText }, { createLogger }] = await Promise.all([
        import('./harsha.js'),
        import('./report.js'),
        import('@tributary/platform/core'),
      ]);
      const { dataDir, logLevel } = global();
      if (!options.erpFrom && !options.gatewayFrom && !options.syncFrom) {
        parent.error('import harsha: give at least one of --erp-from, --gateway-from, --sync-from', { exitCode: 2 });
      }
      const chunkSize = Number(options.chunkSize);
      if (!Number.isInteger(chunkSize) || chunkSize < 1)
        parent.error('import harsha: --chunk-size must be a positive integer', { exitCode: 2 });
      const report = await importHarsha({
        erpFrom: options.erpFrom,
        gatewayFrom: options.gatewayFrom,
        syncFrom: options.syncFrom,
        mode: options.apply ? 'apply' : 'dry-run',
        chunkSize,
        reportCsv: options.reportCsv,
        progress: !options.progress ? 'none' : process.stderr.isTTY ? 'bars' : 'lines',
        dataDir,
        env: process.env,
        logger: createLogger({ name: 'import', level: logLevel }),
      });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
      if (report.ledgerCheck && report.ledgerCheck.inconsistent.length > 0) process.exitCode = LEDGER_CHECK_FAILED;
    });
}
