import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GENERATED_PATH, generatedClientTypes, mergedDocument } from './api-document.js';

const text = await generatedClientTypes(await mergedDocument());
await writeFile(GENERATED_PATH, text);
process.stdout.write(`wrote ${fileURLToPath(GENERATED_PATH)} (${text.length} characters)\n`);
// The platform's background workers hold timers; the document is written, so leave now.
process.exit(0);
