import { describe, expect, it } from 'vitest';
import { signRequest } from '../auth/sign.js';
import { incoming, NOW, SCOPE } from '../auth/test-support.js';
import { verifySigV4 } from '../auth/verify.js';
import { credentialsFor, generateServiceKey, keyringLookup, keyringPrincipals, parseKeyring, rotateKeyring, type Keyring } from './keys.js';

const REQUEST = { method: 'GET', url: 'http://orders.internal:4001/v1/orders', headers: {} };

function keyringOf(...principals: string[]): Keyring {
  const keys: Keyring['keys'] = {};
  for (const principal of principals) {
    const key = generateServiceKey(principal);
    keys[key.accessKeyId] = { secretAccessKey: key.secretAccessKey, principal };
  }
  return { keys };
}

/** What a verifier holding `keyring` answers for a request signed with `credentials`. */
async function verifiedBy(keyring: Keyring, signer: Keyring, principal: string) {
  const headers = await signRequest(REQUEST, credentialsFor(signer, principal), SCOPE, new Date(NOW));
  return verifySigV4(incoming(REQUEST, headers), { ...SCOPE, lookup: keyringLookup(keyring), now: () => NOW });
}

describe('keyring rotation', () => {
  it('adds one key per principal that signs from then on, while the old key still verifies', async () => {
    const before = keyringOf('orders', 'gateway');
    const oldOrders = credentialsFor(before, 'orders');
    // Through the file format, as the rotated keyring is written and read back by every service.
    const { keyring, added } = rotateKeyring(before, keyringPrincipals(before));
    const after = parseKeyring(JSON.stringify(keyring), 'keyring.json');

    expect(added).toHaveLength(2);
    expect(Object.keys(after.keys)).toHaveLength(4);
    const newOrders = credentialsFor(after, 'orders');
    expect(newOrders.accessKeyId).not.toBe(oldOrders.accessKeyId);
    expect(added).toContain(newOrders.accessKeyId);

    // A caller not yet restarted still signs with the old key: the rotated ring accepts it.
    const old = await verifiedBy(after, before, 'orders');
    expect(old).toMatchObject({ principal: 'orders', accessKeyId: oldOrders.accessKeyId });
    // A restarted caller signs with the new key, and the verifier names it.
    const fresh = await verifiedBy(after, after, 'orders');
    expect(fresh).toMatchObject({ principal: 'orders', accessKeyId: newOrders.accessKeyId });
  });

  it('a verifier that still holds only the old ring refuses the new key (restart verifiers first)', async () => {
    const before = keyringOf('orders');
    const { keyring: after } = rotateKeyring(before, ['orders']);
    await expect(verifiedBy(before, after, 'orders')).rejects.toMatchObject({ code: 'AUTH_UNKNOWN_ACCESS_KEY' });
  });
});
