import type { AnyDatabase } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { privacyCallers, registerPrivacyRoutes } from '@tributary/platform/privacy';
import { personalData } from './privacy.declaration.js';

/** `GET /internal/privacy/export`, `POST /internal/privacy/erase` for the gateway (ADR 0015). */
export function registerPrivacy(app: HttpApp, deps: { database: AnyDatabase; env: Record<string, string | undefined> }): void {
  registerPrivacyRoutes(app, { database: deps.database, declaration: personalData, callers: privacyCallers(deps.env) });
}
