import { readFileSync } from 'node:fs';
import { createDatabase, sql } from '@tributary/platform/db';
import { benchAdminUrl } from './postgres.js';

/**
 * CPU time used by this process and by the PostgreSQL backends serving some databases. On a
 * shared, busy machine the wall-clock figures stretch with everyone else's load; the CPU a unit
 * of work costs stretches far less, so scenarios report it next to their timings.
 *
 * The backends are read from /proc, so the PostgreSQL figures exist only when the server runs on
 * this machine (Linux); otherwise they are null. A backend that exits between two samples takes
 * its CPU time with it: pools that stay open (every scenario's) are counted in full.
 */
export interface CpuSample {
  nodeMs: number;
  /** CPU ms per database, summed over its backends; null when /proc cannot be read. */
  databases: Record<string, Record<number, number>> | null;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on.

function backendMs(pid: number): number | undefined {
  try {
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

export async function sampleCpu(databases: readonly string[]): Promise<CpuSample> {
  const usage = process.cpuUsage();
  const nodeMs = (usage.user + usage.system) / 1000;
  const host = new URL(benchAdminUrl()).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host) || process.platform !== 'linux') return { nodeMs, databases: null };
  const admin = await createDatabase(benchAdminUrl(), { poolSize: 1 });
  try {
    const { rows } = await sql<{ pid: number; datname: string }>`
      select pid, datname from pg_stat_activity where datname = any(${[...databases]})`.execute(admin.db);
    const byDatabase: Record<string, Record<number, number>> = Object.fromEntries(databases.map((name) => [name, {}]));
    for (const row of rows) {
      const ms = backendMs(row.pid);
      if (ms !== undefined) byDatabase[row.datname]![row.pid] = ms;
    }
    return { nodeMs, databases: byDatabase };
  } finally {
    await admin.close();
  }
}

/** CPU ms between two samples: this process, and each database's backends (those alive at the end). */
export function cpuBetween(start: CpuSample, end: CpuSample): { nodeMs: number; databases: Record<string, number> | null } {
  if (!start.databases || !end.databases) return { nodeMs: end.nodeMs - start.nodeMs, databases: null };
  const databases: Record<string, number> = {};
  for (const [name, pids] of Object.entries(end.databases)) {
    let total = 0;
    for (const [pid, ms] of Object.entries(pids)) total += ms - (start.databases[name]?.[Number(pid)] ?? 0);
    databases[name] = total;
  }
  return { nodeMs: end.nodeMs - start.nodeMs, databases };
}
