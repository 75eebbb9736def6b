/**
 * The Node.js lines Tributary runs on: 20.19+ and 22.12+ load ES modules through require (Vite
 * and several dependencies need it), 24 is the current LTS. Odd lines never become LTS.
 * Kept free of imports: it runs before anything else loads, on whatever Node started it.
 */
export const SUPPORTED_NODE = '^20.19.0 || ^22.12.0 || ^24.0.0';

/** Exit code of a start on an unsupported Node (docs/operations.md, "Exit codes"). */
export const EXIT_NODE_UNSUPPORTED = 79;

const MINIMUM_BY_MAJOR: Record<number, number> = { 20: 19, 22: 12, 24: 0 };

/** True when `version` (`process.versions.node`, with or without a leading `v`) is supported. */
export function isSupportedNode(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const minimumMinor = MINIMUM_BY_MAJOR[Number(match[1])];
  return minimumMinor !== undefined && Number(match[2]) >= minimumMinor;
}

/** The one-line refusal for an unsupported version, or undefined when it is supported. */
export function nodeVersionProblem(version: string): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return `Node.js ${version} is not supported: use ${SUPPORTED_NODE} (docs/operations.md)`;
}
