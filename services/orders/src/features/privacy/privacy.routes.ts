import type { HttpApp } from '@tributary/platform/http';
import { privacyCallers, registerPrivacyRoutes } from '@tributary/platform/privacy';
import type { ServiceContext } from '@tributary/platform/service';
import { personalData } from './privacy.declaration.js';

/** `GET /internal/privacy/export`, `POST /internal/privacy/erase` for the gateway (ADR 0015). */
export function registerPrivacy(app: HttpApp, context: ServiceContext): void {
  registerPrivacyRoutes(app, { database: context.database, declaration: personalData, callers: privacyCallers(context.env) });
}
