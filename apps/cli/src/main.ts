import './node-check.js';
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, createLogger } from '@tributary/platform/core';
import { assertCanListen, EXIT_CODES, exitOnStartupError, StartupError } from '@tributary/platform/service';
import { registerKeysCommand } from './commands/keys.js';
import { registerAdminCommand } from './commands/admin.js';
import { registerKeyringCommand } from './commands/keyring.js';
import { registerBackupCommands } from './commands/backup-register.js';
import { registerImportCommands } from './commands/import/import.js';

// The commands' own modules are imported when their command runs: `serve` is the production
// process, and what `up`, `devices` (serial ports, WebSocket), `reconcile` (progress bars), `mask`
// or `migrate` load would otherwise stay resident in every service for nothing.

// The same file from src/ and dist/: both sit one level below the package.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('tributary')
  .description('Tributary: the operations platform for food manufacturers')
  .version(version)
  .addOption(new Option('--data-dir <dir>', 'where embedded databases and keys live').env('TRIBUTARY_DATA_DIR').default('.tributary'))
  .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info'));

program
  .command('up')
  .description('start every service in one process (embedded PGlite databases unless <SERVICE>_DATABASE_URL is set)')
  .addOption(new Option('--host <host>', 'interface to listen on').env('TRIBUTARY_HOST').default('127.0.0.1'))
  .option('--no-seed', 'do not load demo data on first start')
  .action(async (options: { host: string; seed: boolean }) => {
    const global = program.opts<{ dataDir: string; logLevel: string }>();
    const logger = createLogger({ name: 'tributary', level: global.logLevel });
    const started = Date.now();
    const [{ up }, { consoleDir }, { printBanner }, { startStatusServer }, { whenParentExits }, { drainHttpApp }] = await Promise.all([
      import('./commands/up.js'),
      import('./console.js'),
      import('./banner.js'),
      import('./status-server.js'),
      import('./parent-watch.js'),
      import('@tributary/platform/http'),
    ]);
    const statusPort = Number(process.env.TRIBUTARY_STATUS_PORT ?? 4000);
    await assertCanListen({ service: 'status', host: options.host, port: statusPort, variable: 'TRIBUTARY_STATUS_PORT' });
    const env = { ...process.env, CONSOLE_DIR: await consoleDir(process.env, logger) };
    const platform = await up({ dataDir: global.dataDir, host: options.host, seed: options.seed, env, logLevel: global.logLevel });
    const status = await startStatusServer(platform.services, { host: options.host, port: statusPort, logger });
    await printBanner(platform.services, status.url, Date.now() - started);
    let stoppingSince: number | undefined;
    const stop = async (signal: string) => {
      // A second Ctrl-C means now; but one keypress reaches us twice under npm (from the
      // terminal and forwarded by npm), so a repeat within a second is the same request.
      if (stoppingSince !== undefined) {
        if (Date.now() - stoppingSince > 1000) process.exit(1);
        return;
      }
      stoppingSince = Date.now();
      logger.info({ signal }, 'stopping');
      await drainHttpApp(status.app);
      await platform.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    whenParentExits(() => void stop('parent exited'));
  });

program
  .command('serve')
  .description('run one service as its own process, configured by the environment (docs/operations.md)')
  .argument('<service>', 'orders | processing | erp | sync | gateway')
  .action(async (service: string) => {
    const { serveCommand } = await import('./commands/serve.js');
    await serveCommand(service, process.env);
  });

program
  .command('migrate')
  .description('run pending migrations of one service')
  .argument('<service>', 'orders | processing | erp | sync | gateway')
  .action(async (service: string) => {
    const global = program.opts<{ dataDir: string; logLevel: string }>();
    const logger = createLogger({ name: 'tributary', level: global.logLevel });
    const { migrateCommand } = await import('./commands/migrate.js');
    const applied = await migrateCommand(service, { dataDir: global.dataDir, env: process.env }, logger);
    process.stdout.write(
      applied.length > 0 ? `Applied ${applied.length} migration(s) to ${service}: ${applied.join(', ')}\n` : `${service} is up to date\n`,
    );
  });

const reconcile = program.command('reconcile').description("compare the services' copies of shared facts");
reconcile
  .command('mtp')
  .description("orders' shipments against processing's bag allocations: quantities, statuses, orphans")
  .option('--json', 'print the report as JSON')
  .addOption(new Option('--page-size <n>', 'rows per page from each service').default(5000).argParser((v) => Number(v)))
  .addOption(new Option('--max-differences <n>', 'differences listed (all are counted)').default(1000).argParser((v) => Number(v)))
  .action(async (options: { json?: boolean; pageSize: number; maxDifferences: number }) => {
    const global = program.opts<{ dataDir: string }>();
    const { formatReconcileTable, reconcileMtpCommand } = await import('./commands/reconcile.js');
    const report = await reconcileMtpCommand({
      dataDir: global.dataDir,
      env: process.env,
      pageSize: options.pageSize,
      maxDifferences: options.maxDifferences,
      progress: process.stderr.isTTY === true,
    });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReconcileTable(report));
    process.exitCode = report.summary.differences > 0 ? 2 : 0;
  });

registerKeysCommand(program);
registerAdminCommand(program);
registerKeyringCommand(program);
registerBackupCommands(program);
registerImportCommands(program);
program
  .command('mask')
  .description("a masked copy of one service's database for non-production use (personal columns replaced, then verified)")
  .requiredOption('--service <name>', 'orders | processing | erp | sync | gateway')
  .requiredOption('--from <url>', 'the source database (only read)')
  .requiredOption('--to <url>', 'an empty target database (migrated, then filled)')
  .addOption(new Option('--key <key>', 'masking key: the same key gives the same fakes across services').env('TRIBUTARY_MASK_KEY'))
  .option('--replace', 'overwrite a target that already has tables')
  .addOption(new Option('--batch-size <n>', 'rows per batch').default(500).argParser((v) => Number(v)))
  .option('--json', 'print the report as JSON')
  .action(
    async (options: { service: string; from: string; to: string; key?: string; replace?: boolean; batchSize: number; json?: boolean }) => {
      const { formatMaskReport, maskCommand } = await import('./commands/mask.js');
      const result = await maskCommand({
        service: options.service,
        from: options.from,
        to: options.to,
        ...(options.key ? { key: options.key } : {}),
        ...(options.replace ? { replace: true } : {}),
        batchSize: options.batchSize,
        onTable: (table, rows) => process.stderr.write(`copied ${table} (${rows} rows)\n`),
      });
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatMaskReport(result));
      process.exitCode = result.leaks.length > 0 ? 2 : 0;
    },
  );

program
  .command('devices')
  .description('the kiosk device bridge: scale, scanner, button box and label printer on a local WebSocket (docs/devices.md)')
  .addOption(new Option('--config <file>', 'JSON file of DEVICES_* settings (the environment overrides it)').env('DEVICES_CONFIG'))
  .option('--list', 'list the serial ports of this machine and exit')
  .action(async (options: { config?: string; list?: boolean }) => {
    const { devicesCommand, listPortsCommand } = await import('./commands/devices.js');
    if (options.list) {
      process.stdout.write(await listPortsCommand());
      return;
    }
    const global = program.opts<{ logLevel: string }>();
    const logger = createLogger({ name: 'devices', level: global.logLevel });
    await devicesCommand({ env: process.env, logger, ...(options.config ? { config: options.config } : {}) });
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof StartupError) exitOnStartupError(error, 'tributary: ');
  process.stderr.write(`tributary: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? EXIT_CODES.config : 1);
});
