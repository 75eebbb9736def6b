import { buildConsole } from './build.js';

const dir = await buildConsole();
process.stdout.write(`console built into ${dir}\n`);
