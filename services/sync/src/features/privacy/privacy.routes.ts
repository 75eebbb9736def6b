import { asTables } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { privacyCallers, registerPrivacyRoutes, startRetention } from '@tributary/platform/privacy';
import type { ServiceContext } from '@tributary/platform/service';
import type { SyncDatabase } from '../../db/schema.js';
import { personalData } from './privacy.declaration.js';
import { applySyncRetention, syncRetentionSettings } from './privacy.retention.js';

/** `GET /internal/privacy/export`, `POST /internal/privacy/erase` for the gateway, and the retention of stored events' personal data (ADR 0015). */
export function registerPrivacy(app: HttpApp, context: ServiceContext): void {
  registerPrivacyRoutes(app, { database: context.database, declaration: personalData, callers: privacyCallers(context.env) });
  const settings = syncRetentionSettings(context.env);
  const db = asTables<SyncDatabase>(context.database.db);
  const retention = startRetention(() => applySyncRetention(db, context.clock.now(), settings), settings.intervalMs, context.logger);
  app.addHook('onClose', () => retention.stop());
}
