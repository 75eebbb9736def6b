import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES } from './metric-names.js';

const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const RULE_TESTS = fileURLToPath(new URL('./alerts.rules-test.yml', import.meta.url));

async function promtoolPresent(): Promise<boolean> {
  try {
    await run(PROMTOOL, ['--version']);
    return true;
  } catch {
    return false;
  }
}

const present = await promtoolPresent();
if (!present) console.warn(`alerts.test.ts skipped: ${PROMTOOL} not found (Debian package "prometheus"; .ci/run installs it)`);

/** promtool reports failures on stdout and exits non-zero; the output is the assertion message. */
async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe.skipIf(!present)('deploy/prometheus/alerts.yml under promtool', () => {
  it('is valid rule syntax', async () => {
    const result = await promtool(['check', 'rules', fileURLToPath(ALERT_RULES)]);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code, result.output).toBe(0);
  });

  it('the compose Prometheus configuration that loads them is valid', async () => {
    // Syntax only: the token file it names exists inside the container, not here.
    const config = fileURLToPath(new URL('../../deploy/prometheus/prometheus.yml', import.meta.url));
    const result = await promtool(['check', 'config', '--syntax-only', config]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it('fires and stays quiet as the rule tests expect, and the KPI records compute', async () => {
    const result = await promtool(['test', 'rules', RULE_TESTS]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it('the rule tests are real: a broken expectation fails them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alerts-'));
    try {
      // The same cases with one threshold moved: the rule file is copied beside them.
      const rules = (await readFile(ALERT_RULES, 'utf8')).replace('[1h])) > 10', '[1h])) > 100');
      expect(rules).toContain('[1h])) > 100');
      await writeFile(join(dir, 'alerts.yml'), rules);
      const cases = (await readFile(RULE_TESTS, 'utf8')).replace('../../deploy/prometheus/alerts.yml', 'alerts.yml');
      await writeFile(join(dir, 'cases.yml'), cases);
      const result = await promtool(['test', 'rules', join(dir, 'cases.yml')]);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('alertname: SyncDeliveryFailures');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
