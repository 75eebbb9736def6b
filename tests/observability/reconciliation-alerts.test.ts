import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES, readAlertRules } from './metric-names.js';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const CASES = fileURLToPath(new URL('./reconciliation.rules-test.yml', import.meta.url));

/** Exit code and everything promtool printed (it reports failures on stdout). */
async function promtoolTest(file: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(PROMTOOL, ['test', 'rules', file]).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

const present = await promisify(execFile)(PROMTOOL, ['--version']).then(
  () => true,
  () => false,
);
if (!present) console.warn(`reconciliation-alerts.test.ts skipped: ${PROMTOOL} not found (Debian package "prometheus")`);

describe('the MTP reconciliation alerts', () => {
  it('live in their own group and read only the two processing gauges', () => {
    const group = readAlertRules().groups.find((candidate) => candidate.name === 'tributary-mtp-reconciliation');
    expect(group?.rules.map((rule) => rule.alert)).toEqual(['MtpReconciliationDifferences', 'MtpReconciliationNotRun']);
    expect(group?.rules.map((rule) => rule.expr)).toEqual([
      'max by (kind) (mtp_reconciliation_differences) > 0',
      'time() - max(mtp_reconciliation_last_run_timestamp_seconds) > 26 * 3600',
    ]);
  });

  it.skipIf(!present)('fire and stay quiet as the rule tests expect', async () => {
    const result = await promtoolTest(CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it.skipIf(!present)('the rule tests are real: a rule that no longer fires fails them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reconciliation-alerts-'));
    try {
      const rules = (await readFile(ALERT_RULES, 'utf8')).replace(
        '(mtp_reconciliation_differences) > 0',
        '(mtp_reconciliation_differences) > 5',
      );
      expect(rules).toContain('(mtp_reconciliation_differences) > 5');
      await writeFile(join(dir, 'alerts.yml'), rules);
      const cases = (await readFile(CASES, 'utf8')).replace('../../deploy/prometheus/alerts.yml', 'alerts.yml');
      await writeFile(join(dir, 'cases.yml'), cases);
      const result = await promtoolTest(join(dir, 'cases.yml'));
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('alertname: MtpReconciliationDifferences');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
