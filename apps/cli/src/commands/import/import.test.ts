import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_CODES } from '@tributary/platform/service';
import { registerImportCommands } from './import.js';

/** The CLI's own program shape: the global options `import` reads, errors thrown instead of exiting. */
function program(): Command {
  const root = new Command()
    .exitOverride()
    .option('--data-dir <dir>', 'data', '.tributary')
    .option('--log-level <level>', 'log level', 'silent');
  registerImportCommands(root);
  root.commands.forEach((c) => c.exitOverride().commands.forEach((s) => s.exitOverride().configureOutput({ writeErr: () => undefined })));
  return root;
}

describe('tributary import (command line)', () => {
  const stderr: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    stderr.length = 0;
    process.exitCode = undefined;
  });
  const captureStderr = () =>
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });

  it('import harsha runs its importer: an original that does not answer is the unreachable-database exit code', async () => {
    captureStderr();
    await program().parseAsync(
      [
        'import',
        'harsha',
        '--erp-from',
        'mysql://root@127.0.0.1:1/erp',
        '--gateway-from',
        'postgres://x@127.0.0.1:1/g',
        '--sync-from',
        'postgres://x@127.0.0.1:1/s',
      ],
      {
        from: 'user',
      },
    );
    expect(process.exitCode).toBe(EXIT_CODES.databaseUnreachable);
    expect(stderr.join('')).toContain('(SOURCE_UNREACHABLE)');
  });

  it('refuses a chunk size that is not a positive integer before touching any database', async () => {
    const run = program().parseAsync(
      [
        'import',
        'mtp',
        '--orders-from',
        'postgres://a@127.0.0.1:1/a',
        '--processing-from',
        'postgres://b@127.0.0.1:1/b',
        '--chunk-size',
        '0',
      ],
      {
        from: 'user',
      },
    );
    await expect(run).rejects.toBeInstanceOf(CommanderError);
    await expect(run).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it("an original database that does not answer is the operator's to fix: exit 69, nothing opened", async () => {
    captureStderr();
    await program().parseAsync(
      ['import', 'mtp', '--orders-from', 'postgres://nobody@127.0.0.1:1/aws', '--processing-from', 'postgres://nobody@127.0.0.1:1/central'],
      {
        from: 'user',
      },
    );
    expect(process.exitCode).toBe(EXIT_CODES.databaseUnreachable);
    expect(stderr.join('')).toMatch(/The AWS-Manager \(orders\) database did not answer: .*\(SOURCE_UNREACHABLE\)/);
  });
});
