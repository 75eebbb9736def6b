import { loadMasterKeys, masterKeyFilePath, type ServiceEncryption } from '@tributary/platform/crypto';
import { ERP_ENCRYPTED_TABLES } from './features/masters/customer-pii.js';

/** For `tributary keys rotate --service erp`: the same key file the service reads (app.ts masterKeySource; the CLI's data directory holds erp's PGlite directory). */
export const encryption: ServiceEncryption = {
  tables: ERP_ENCRYPTED_TABLES,
  masterKeys: ({ env, dataDir }) =>
    loadMasterKeys({ TRIBUTARY_MASTER_KEY_FILE: env.TRIBUTARY_MASTER_KEY_FILE, TRIBUTARY_DATA_DIR: dataDir }),
  masterKeyFile: ({ env, dataDir }) =>
    masterKeyFilePath({ TRIBUTARY_MASTER_KEY_FILE: env.TRIBUTARY_MASTER_KEY_FILE, TRIBUTARY_DATA_DIR: dataDir }).path,
};
