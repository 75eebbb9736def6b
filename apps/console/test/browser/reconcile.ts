import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconcileMtpCommand, type ReconcileMtpReport } from '../../../cli/src/commands/reconcile.js';
import { keyring } from '../../../../tests/security/platform.js';
import type { ConsoleRig } from './harness.js';

/**
 * `tributary reconcile mtp` against the rig's orders and processing services: the operator's
 * command, signed with the platform keyring's `cli` key, read from a data directory as it is
 * in production.
 */
export async function reconcileMtp(rig: ConsoleRig): Promise<ReconcileMtpReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tributary-reconcile-'));
  try {
    await writeFile(join(dataDir, 'keyring.json'), JSON.stringify(keyring), { mode: 0o600 });
    const env = { ORDERS_URL: rig.platform.node('orders').url, PROCESSING_URL: rig.platform.node('processing').url };
    return await reconcileMtpCommand({ dataDir, env, pageSize: 100, maxDifferences: 100, progress: false });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
