import { ownCredentialAccess, publicAccess, signedAccess } from '@tributary/platform/http';

/**
 * Who may call what in sync. Its API is for signed peers and operators' tools (through the
 * gateway, which signs); external systems push webhooks, which carry the HMAC of their body
 * with the source's own secret instead of a signature.
 */
export const ACCESS = {
  peer: signedAccess,
  webhook: ownCredentialAccess("the HMAC-SHA256 of the raw body with the source's own secret, checked before the body is read"),
  webhookSources: publicAccess('names the configured sources, which external senders need; no secret or event'),
} as const;
