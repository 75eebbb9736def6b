import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { machineFacts } from './machine.js';
import { loadScenario, scenarioNames } from './registry.js';
import { renderTable, summarise, type Report } from './report.js';
import type { ScenarioContext } from './types.js';

const USAGE = `usage: npm run bench -- <scenario> [--duration 10] [--connections 16] [--rounds 3] [--warmup 2] [--json-only]`;
const RESULTS_DIR = new URL('../results/', import.meta.url);

class UsageError extends Error {}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be a positive ${integer ? 'whole ' : ''}number, got "${text}"`);
  }
  return value;
}

async function listScenarios(): Promise<void> {
  process.stderr.write(`${USAGE}\n\nscenarios:\n`);
  for (const name of await scenarioNames()) {
    const scenario = await loadScenario(name);
    process.stderr.write(`  ${name.padEnd(20)} ${scenario?.description ?? ''}\n`);
  }
}

/** ISO 8601 basic format: sortable, and no colons, which some file systems refuse. */
function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '2' },
      'json-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = positionals[0];
  if (values.help || name === undefined) {
    await listScenarios();
    return values.help ? 0 : 2;
  }
  const scenario = await loadScenario(name);
  if (!scenario) {
    process.stderr.write(`unknown scenario "${name}"\n\n`);
    await listScenarios();
    return 2;
  }

  const ctx: ScenarioContext = {
    duration: positiveNumber('duration', values.duration, true),
    connections: positiveNumber('connections', values.connections, true),
    rounds: positiveNumber('rounds', values.rounds, true),
    // Zero turns the warm-up off.
    warmup: values.warmup === '0' ? 0 : positiveNumber('warmup', values.warmup, true),
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const machine = machineFacts();
  const started = new Date();
  ctx.log(`${scenario.name}: ${ctx.rounds} rounds of ${ctx.duration}s, ${ctx.connections} connections`);
  const result = await scenario.run(ctx);
  const report: Report = {
    scenario: scenario.name,
    description: scenario.description,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    parameters: { duration: ctx.duration, connections: ctx.connections, rounds: ctx.rounds, warmup: ctx.warmup, ...result.parameters },
    machine,
    variants: summarise(result),
  };

  await mkdir(RESULTS_DIR, { recursive: true });
  const file = new URL(`${scenario.name}-${fileTimestamp(started)}.json`, RESULTS_DIR);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);

  if (values['json-only']) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${scenario.name}: ${scenario.description}\n`);
    process.stdout.write(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}\n\n${renderTable(report.variants)}\n`);
    process.stdout.write(`\nwritten to bench/results/${scenario.name}-${fileTimestamp(started)}.json\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
