import { readdir } from 'node:fs/promises';
import type { Scenario } from './types.js';

const SCENARIOS_DIR = new URL('../scenarios/', import.meta.url);
const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Every `bench/scenarios/<name>.ts`: adding a file is all it takes to add a scenario. */
export async function scenarioNames(): Promise<string[]> {
  const files = await readdir(SCENARIOS_DIR);
  return files
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((name) => SCENARIO_NAME.test(name))
    .sort();
}

export async function loadScenario(name: string): Promise<Scenario | undefined> {
  // The name becomes a path: only known names get that far.
  if (!(await scenarioNames()).includes(name)) return undefined;
  const module = (await import(new URL(`${name}.ts`, SCENARIOS_DIR).href)) as { default?: Partial<Scenario> };
  const scenario = module.default;
  if (!scenario || typeof scenario.run !== 'function' || typeof scenario.description !== 'string') {
    throw new Error(`bench/scenarios/${name}.ts must default-export { name, description, run }`);
  }
  if (scenario.name !== name) throw new Error(`bench/scenarios/${name}.ts exports the name "${scenario.name}"`);
  return scenario as Scenario;
}
