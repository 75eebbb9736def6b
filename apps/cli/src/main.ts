// The process entry: the Node version is checked before any dependency loads, because an
// unsupported Node fails inside some package with an error that names neither Node nor the fix.
import { EXIT_NODE_UNSUPPORTED, nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`tributary: ${problem}\n`);
  process.exit(EXIT_NODE_UNSUPPORTED);
}
await import('./program.js');
