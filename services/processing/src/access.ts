import { signedAccess } from '@tributary/platform/http';

/**
 * Who may call what in processing. Its callers are signed peers: the orders service's central
 * proxy and dispatch (acting for an MTP user, whose roles travel in the signed identity) and
 * the gateway. What a user may do to one element (a trader transition) is decided per element
 * by the feature, from those roles; event delivery is the kernel inbox's, for the configured deliverers only.
 */
export const ACCESS = {
  /** Any signed peer; the feature applies the user's roles where an element needs them. */
  peer: signedAccess,
} as const;
