import type { AnyDatabase } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { privacyCallers, registerPrivacyRoutes } from '@tributary/platform/privacy';
import { guard } from '../../access.js';
import type { ErpConfig } from '../../config.js';
import { personalData } from './privacy.declaration.js';

/** `GET /internal/privacy/export`, `POST /internal/privacy/erase` for the gateway (ADR 0015). */
export function registerPrivacy(app: HttpApp, database: AnyDatabase, config: ErpConfig): void {
  registerPrivacyRoutes(app, {
    database,
    declaration: personalData,
    callers: privacyCallers({ PRIVACY_CALLERS: config.PRIVACY_CALLERS }),
    access: guard(config, 'privacy'),
  });
}
