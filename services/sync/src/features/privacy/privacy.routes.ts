import type { Clock, Logger } from '@tributary/platform/core';
import type { Database } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { privacyCallers, registerPrivacyRoutes, startRetention } from '@tributary/platform/privacy';
import type { SyncDatabase } from '../../db/schema.js';
import { personalData } from './privacy.declaration.js';
import { applySyncRetention, syncRetentionSettings } from './privacy.retention.js';

/** `GET /internal/privacy/export`, `POST /internal/privacy/erase` for the gateway, and the retention of stored events' personal data (ADR 0015). */
export function registerPrivacy(
  app: HttpApp,
  deps: { database: Database<SyncDatabase>; clock: Clock; logger: Logger; env: Record<string, string | undefined> },
): void {
  registerPrivacyRoutes(app, { database: deps.database, declaration: personalData, callers: privacyCallers(deps.env) });
  const settings = syncRetentionSettings(deps.env);
  const retention = startRetention(
    () => applySyncRetention(deps.database.db, deps.clock.now(), settings),
    settings.intervalMs,
    deps.logger,
  );
  app.addHook('onClose', () => retention.stop());
}
