import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { randomToken } from '@tributary/platform/core';
import { SyncError } from '../../errors.js';
import type { RegisterDeps } from '../../deps.js';
import { validateConfiguration } from '../configurations/configurations.service.js';
import type { ConfigurationInput } from '../configurations/configurations.schemas.js';
import { checkKnownSource } from './webhook-sources.js';

export interface Registration {
  source: string;
  eventTypes: string[];
  callbackUrl: string;
}

export interface Registered {
  id: string;
  source: string;
  eventTypes: string[];
  callbackUrl: string;
  /** Signs each delivery (`x-tributary-signature: sha256=<hex>`); shown only in this answer. */
  secret: string;
  signatureHeader: string;
}

/** https, except to this machine: plain http would carry signed business data across a network. */
export function checkCallbackUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw SyncError.SYNC_CALLBACK_URL_INVALID('callbackUrl is not a URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw SyncError.SYNC_CALLBACK_URL_INVALID('callbackUrl must use https (http is accepted only for a loopback address)');
  }
  if (url.username || url.password) throw SyncError.SYNC_CALLBACK_URL_INVALID('callbackUrl must not carry credentials');
  return url;
}

/**
 * A registration is a sync configuration: events of `source` whose names match `eventTypes`
 * are delivered to `callbackUrl` by the workers, with retries, dead letters and an HMAC of the
 * body, like every webhook target. Registering the same source and URL again replaces the
 * event types and issues a new secret.
 */
export async function registerCallback(deps: RegisterDeps, registration: Registration, actor: string): Promise<Registered> {
  checkKnownSource(deps, registration.source);
  const url = checkCallbackUrl(registration.callbackUrl);
  const key = createHash('sha256').update(`${registration.source} ${url.href}`).digest('hex').slice(0, 16);
  const secret = randomToken(24);
  const input: ConfigurationInput = {
    config_name: `Registered_${registration.source}_${key}`,
    config_description: `Registered callback for ${registration.source} events`,
    config_type: 'entity_mapping',
    source_system: registration.source,
    target_system: `callback-${key}`,
    configuration: { eventTypes: registration.eventTypes, target: { kind: 'webhook', url: url.href, secret } },
    is_active: true,
  };
  validateConfiguration(input, { peers: deps.peers, rules: deps.rules });
  const now = new Date(deps.clock.now());
  const existing = (await deps.configurations.list({ source: input.source_system, target: input.target_system })).find(
    (row) => row.config_name === input.config_name,
  );
  const row = existing
    ? await deps.configurations.replace(existing.config_id, input, actor, now)
    : await deps.configurations.create(input, actor, now);
  deps.routes.invalidate();
  return {
    id: row.config_id,
    source: registration.source,
    eventTypes: registration.eventTypes,
    callbackUrl: url.href,
    secret,
    signatureHeader: 'x-tributary-signature',
  };
}
