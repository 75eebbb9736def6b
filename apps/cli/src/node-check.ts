// Imported first by main.ts, so it runs before any other module of the CLI is evaluated: on an
// unsupported Node a dependency would otherwise fail with an error naming neither Node nor the fix.
import { EXIT_NODE_UNSUPPORTED, nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`tributary: ${problem}\n`);
  process.exit(EXIT_NODE_UNSUPPORTED);
}
