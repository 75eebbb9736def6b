import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { parseDatabaseUrl } from '@tributary/platform/db';
import { CliError } from '../cli-error.js';

/** Exit codes of `backup` and `restore` beyond the start-up ones (docs/operations.md, "Backup and restore"). */
export const BACKUP_EXIT_CODES = {
  /** EX_DATAERR: the backup's files do not match its manifest (tampered, partial, not a backup). */
  checksumMismatch: 65,
  /** EX_OSFILE: a client tool (pg_dump, mariadb-dump, …) is not installed. */
  toolMissing: 72,
  /** EX_CANTCREAT: the target database or backup directory already holds data. */
  notEmpty: 73,
  /** EX_TEMPFAIL: an embedded database is open in another process, or changed during the backup. */
  busy: 75,
} as const;

/** Connection settings for a client tool: the password only ever travels in the environment. */
interface ToolConnection {
  args: string[];
  env: Record<string, string>;
}

function serverUrl(url: string): URL {
  return new URL(parseDatabaseUrl(url).target);
}

/** libpq reads PG* variables; PGPASSWORD keeps the password out of the process list. */
function postgresConnection(url: string): ToolConnection {
  const parsed = serverUrl(url);
  const env: Record<string, string> = {
    PGHOST: parsed.hostname || 'localhost',
    PGPORT: parsed.port || '5432',
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args: [], env };
}

/** The MariaDB clients take the password from MYSQL_PWD, never from an argument. */
function mariadbConnection(url: string): ToolConnection & { database: string } {
  const parsed = serverUrl(url);
  const args = ['--host', parsed.hostname || 'localhost', '--port', parsed.port || '3306', '--protocol', 'tcp'];
  if (parsed.username) args.push('--user', decodeURIComponent(parsed.username));
  const env: Record<string, string> = {};
  if (parsed.password) env.MYSQL_PWD = decodeURIComponent(parsed.password);
  return { args, env, database: decodeURIComponent(parsed.pathname.slice(1)) };
}

const PACKAGES: Record<string, string> = {
  pg_dump: 'postgresql-client',
  pg_restore: 'postgresql-client',
  'mariadb-dump': 'mariadb-client',
  mariadb: 'mariadb-client',
};

/** The tool's own `--version` line; a tool that is not installed is refused with what to install. */
export async function toolVersion(tool: string): Promise<string> {
  const { stdout } = await run(tool, ['--version'], {});
  return stdout.trim();
}

interface Ran {
  stdout: string;
}

/**
 * Runs a client tool with the connection variables added to this environment, so an operator's
 * PGSSLROOTCERT or option files still apply. stderr is kept for the error: the tools never print
 * the password they were given.
 */
function run(
  tool: string,
  args: string[],
  env: Record<string, string>,
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: { ...process.env, ...env }, stdio: [io.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    if (io.stdout) child.stdout!.pipe(io.stdout);
    else child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    if (io.stdin && child.stdin) io.stdin.pipe(child.stdin);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const hint = PACKAGES[tool] ? ` (install ${PACKAGES[tool]})` : '';
        reject(new CliError('TOOL_MISSING', `${tool} is not installed or not on PATH${hint}`, BACKUP_EXIT_CODES.toolMissing));
      } else reject(error);
    });
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout });
      else reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

/** pg_dump in custom format, of the snapshot the caller's transaction exported (so the manifest describes the same data). */
export async function pgDump(url: string, file: string, snapshot: string): Promise<void> {
  const { env } = postgresConnection(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-acl', `--snapshot=${snapshot}`, `--file=${file}`], env);
}

/** pg_restore in one transaction: a failure leaves the target as it was. */
export async function pgRestore(url: string, file: string, clean: boolean): Promise<void> {
  const { env } = postgresConnection(url);
  const options = ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', ...(clean ? ['--clean', '--if-exists'] : [])];
  await run('pg_restore', [...options, `--dbname=${env.PGDATABASE}`, file], env);
}

/** mariadb-dump --single-transaction (one consistent snapshot, no table locks on InnoDB), gzipped. */
export async function mariadbDump(url: string, file: string): Promise<void> {
  const { args, env, database } = mariadbConnection(url);
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(file, { mode: 0o600 }));
  const options = ['--single-transaction', '--routines', '--triggers', '--hex-blob', '--default-character-set=utf8mb4', '--skip-comments'];
  try {
    await run('mariadb-dump', [...args, ...options, database], env, { stdout: gzip });
  } finally {
    // The tool's stdout ends the gzip stream; a tool that failed to start never did.
    if (!gzip.writableEnded) gzip.end();
    await written;
  }
}

/** Feeds a gzipped dump to the mariadb client, stopping at the first error. */
export async function mariadbRestore(url: string, file: string): Promise<void> {
  const { args, env, database } = mariadbConnection(url);
  const input = createReadStream(file).pipe(createGunzip());
  await run('mariadb', [...args, '--default-character-set=utf8mb4', '--binary-mode', database], env, { stdin: input });
}
