/**
 * Which certificate authorities the service client trusts for https peers (ADR 0009).
 * Verification is always on; this only says against what: a CA bundle given by the operator
 * (TLS_CA_FILE, installed here by the process runner) or, without one, the system store.
 */
export interface ServiceTrust {
  /** PEM bundle of the CAs that sign Tributary services' certificates. */
  ca?: string | Buffer;
}

let processTrust: ServiceTrust = {};

export function configureServiceTrust(trust: ServiceTrust): void {
  processTrust = { ...trust };
}

export function serviceTrust(): ServiceTrust {
  return processTrust;
}
