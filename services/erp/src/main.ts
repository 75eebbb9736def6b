import { runServiceProcess } from '@tributary/platform/service';
import { service } from './service.js';

await runServiceProcess(service);
