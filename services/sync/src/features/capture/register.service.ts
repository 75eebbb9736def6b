import { createHash } from 'node:crypto';
import { SyncError } from '../../errors.js';
import type { RegisterDeps } from '../../deps.js';
import { validateConfiguration } from '../configurations/configurations.service.js';
import type { ConfigurationInput } from '../configurations/configurations.schemas.js';
import { checkKnownSource } from './webhook-sources.js';
import { outgoingUrlProblem } from '../delivery/outgoing-url.js';
import { newWebhookSecret } from '../delivery/standard-webhooks.js';

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
  /** Signs each delivery by the Standard Webhooks scheme (`whsec_…`); shown only in this answer. */
  secret: string;
  signatureHeader: string;
}

export function checkCallbackUrl(text: string): URL {
  const problem = outgoingUrlProblem(text);
  if (problem) throw SyncError.SYNC_CALLBACK_URL_INVALID(`callbackUrl ${problem}`);
  return new URL(text);
}

/**
 * A registration is a sync configuration: events of `source` whose names match `eventTypes`
 * are delivered to `callbackUrl` by the workers, with retries, dead letters and a Standard Webhooks
 * signature, like every webhook target. Registering the same source and URL again replaces the
 * event types and issues a new secret.
 */
export async function registerCallback(deps: RegisterDeps, registration: Registration, actor: string): Promise<Registered> {
  checkKnownSource(deps, registration.source);
  const url = checkCallbackUrl(registration.callbackUrl);
  const key = createHash('sha256').update(`${registration.source} ${url.href}`).digest('hex').slice(0, 16);
  const secret = newWebhookSecret();
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
    signatureHeader: 'webhook-signature',
  };
}
