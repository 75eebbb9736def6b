import { randomBytes } from 'node:crypto';
import { createDatabase, redactUrl, type Database } from '@tributary/platform/db';
import { listTables, maskDatabase, type MaskReport, type PersonalDataDeclaration } from '@tributary/platform/privacy';
import { loadService, SERVICE_NAMES } from '../services.js';

export interface MaskCommandOptions {
  service: string;
  from: string;
  to: string;
  /** The masking key; without one a random key is used (the copy cannot be joined to another copy). */
  key?: string;
  /** Empty a target that already holds rows (otherwise refused: a copy replaces everything in it). */
  replace?: boolean;
  batchSize?: number;
  onTable?: (table: string, rows: number) => void;
}

export interface MaskCommandResult extends MaskReport {
  from: string;
  to: string;
  /** True when the key was generated for this run. */
  randomKey: boolean;
}

/** The service's personal-data declaration, next to its service definition (`src/features/privacy/`). */
export async function loadDeclaration(name: string): Promise<PersonalDataDeclaration> {
  const serviceUrl = import.meta.resolve(`@tributary/${name}/service`);
  const module = (await import(new URL('./features/privacy/privacy.declaration.ts', serviceUrl).href)) as {
    personalData?: PersonalDataDeclaration;
  };
  if (!module.personalData) throw new Error(`Service "${name}" declares no personal data (src/features/privacy/privacy.declaration.ts)`);
  return module.personalData;
}

/**
 * `tributary mask --service <name> --from <url> --to <url>`: a masked copy of one service's
 * database for non-production use (ADR 0016). The source is only read. The target is migrated,
 * then filled; a target that is not an empty database is refused unless `replace` is set, so
 * pointing `--to` at a live database by mistake changes nothing.
 */
export async function maskCommand(options: MaskCommandOptions): Promise<MaskCommandResult> {
  if (!(SERVICE_NAMES as readonly string[]).includes(options.service))
    throw new Error(`Unknown service "${options.service}" (one of: ${SERVICE_NAMES.join(', ')})`);
  if (options.from === options.to) throw new Error('--from and --to are the same database');
  const definition = await loadService(options.service);
  if (!definition) throw new Error(`Service "${options.service}" is not built in this checkout yet`);
  const declaration = await loadDeclaration(options.service);
  const source = await createDatabase(options.from);
  let target: Database | undefined;
  try {
    target = await createDatabase(options.to);
    if (!options.replace && (await listTables(target.db, target.dialect)).length > 0) {
      throw new Error(`${redactUrl(options.to)} is not an empty database; pass --replace to overwrite its ${options.service} tables`);
    }
    const key = options.key ?? randomBytes(32).toString('hex');
    const report = await maskDatabase({
      source,
      target,
      migrations: definition.migrations,
      declaration,
      key,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.onTable ? { onTable: options.onTable } : {}),
    });
    return { ...report, from: redactUrl(options.from), to: redactUrl(options.to), randomKey: options.key === undefined };
  } finally {
    await target?.close();
    await source.close();
  }
}

export function formatMaskReport(result: MaskCommandResult): string {
  const lines = [`Masked copy of ${result.service}: ${result.from} → ${result.to}`];
  for (const [table, rows] of Object.entries(result.tables)) lines.push(`  ${table.padEnd(40)} ${String(rows).padStart(9)} rows`);
  lines.push(`Personal columns rewritten: ${result.masked.length}; source values checked in the copy: ${result.checkedValues}`);
  lines.push(result.leaks.length === 0 ? 'Verified: no source personal value remains in the copy.' : `LEAKS: ${result.leaks.join(', ')}`);
  if (result.randomKey) lines.push('Key: random for this run (pass --key or TRIBUTARY_MASK_KEY to mask several services consistently).');
  return `${lines.join('\n')}\n`;
}
