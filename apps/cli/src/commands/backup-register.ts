import type { Command } from 'commander';
import { createLogger } from '@tributary/platform/core';
import { refusalsToExitCodes } from '../cli-error.js';

/**
 * `tributary backup` and `tributary restore`; registered from main.ts. Their modules (an embedded
 * database driver among them) are imported when the command runs, not in every CLI process.
 */
export function registerBackupCommands(program: Command): void {
  const context = () => {
    const global = program.opts<{ dataDir: string; logLevel: string }>();
    return { dataDir: global.dataDir, env: process.env, logger: createLogger({ name: 'tributary', level: global.logLevel }) };
  };
  program
    .command('backup')
    .description("every service's database (<SERVICE>_DATABASE_URL or the embedded directory) into a new directory, with a manifest")
    .requiredOption('--to <dir>', 'a new or empty directory')
    .option('--json', 'print the manifest as JSON')
    .action(
      refusalsToExitCodes(async (options: { to: string; json?: boolean }) => {
        const { backupCommand, formatBackupSummary } = await import('./backup.js');
        const manifest = await backupCommand({
          ...context(),
          to: options.to,
          onService: (service, entry) => process.stderr.write(`backed up ${service} (${entry.file})\n`),
        });
        process.stdout.write(options.json ? `${JSON.stringify(manifest, null, 2)}\n` : formatBackupSummary(options.to, manifest));
      }),
    );
  program
    .command('restore')
    .description('restore databases from a backup, verified against its manifest before and after')
    .requiredOption('--from <dir>', 'a directory written by tributary backup')
    .option('--service <name...>', 'only these services (default: all in the backup)')
    .option('--force', 'replace databases that already hold data')
    .option('--json', 'print the report as JSON')
    .action(
      refusalsToExitCodes(async (options: { from: string; service?: string[]; force?: boolean; json?: boolean }) => {
        const { formatRestoreSummary, restoreCommand } = await import('./restore.js');
        const report = await restoreCommand({
          ...context(),
          from: options.from,
          ...(options.service ? { services: options.service } : {}),
          force: options.force === true,
        });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatRestoreSummary(report));
        process.exitCode = report.services.some((s) => s.differences.length > 0) ? 2 : 0;
      }),
    );
}
