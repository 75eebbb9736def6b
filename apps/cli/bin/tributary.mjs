#!/usr/bin/env node
// The CLI ships as TypeScript: registering tsx first lets the installed `tributary` command run
// the same source that `npm run tributary` runs, with no build step to fall out of date.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
