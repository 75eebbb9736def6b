import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, plainRoute, postRoute, tokenFor, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: API key domain allowlist`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    let client: HarshaClient;
    let admin: string;

    beforeAll(async () => {
      const shop = await bed.upstream('shop', { verify: false });
      gateway = await bed.gateway();
      client = await harshaClient(gateway);
      await createUser(gateway, 'key-admin', 'administrator', 'unlimited');
      await createUser(gateway, 'key-owner', 'analyst');
      admin = await tokenFor(gateway, 'key-admin');
      expect(
        (await postRoute(gateway, admin, plainRoute('/shop/*', 'shop', shop.url, { authorizationRoles: ['analyst'] }))).statusCode,
      ).toBe(201);
    });

    const createKey = (extra: Record<string, unknown>) =>
      client.call('POST', '/api/v1/admin/api-keys', {
        token: admin,
        body: { userId: 'usr_key_owner', name: 'web', scopes: ['*'], ...extra },
      });
    const callShop = (key: string, headers: Record<string, string> = {}) =>
      client.call('GET', '/shop/items', { headers: { 'x-api-key': key, ...headers } });

    it('admits a listed origin, host or subdomain and refuses any other site with 403', async () => {
      const created = await createKey({ domainAllowlist: ['https://Shop.Example', '*.harsha.lk'] });
      expect(created.status).toBe(201);
      expect(created.body.apiKey).toMatchObject({ domainAllowlist: ['https://shop.example', '*.harsha.lk'] });
      const key = created.body.key as string;
      expect((await callShop(key, { origin: 'https://shop.example' })).status).toBe(200);
      expect((await callShop(key, { referer: 'https://b2b.harsha.lk/cart?step=2' })).status).toBe(200);
      const evil = await callShop(key, { origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.body.code).toBe('API_KEY_DOMAIN_NOT_ALLOWED');
      // Same host on another scheme is another origin.
      expect((await callShop(key, { origin: 'http://shop.example' })).status).toBe(403);
      expect((await callShop(key, { origin: 'https://harsha.lk.evil.example' })).status).toBe(403);
      expect((await callShop(key)).body.code).toBe('API_KEY_DOMAIN_NOT_ALLOWED');

      const keyId = (created.body.apiKey as { keyId: string }).keyId;
      const cleared = await client.call('PATCH', `/api/v1/admin/api-keys/${keyId}`, { token: admin, body: { domainAllowlist: null } });
      expect(cleared.status).toBe(200);
      expect((await callShop(key, { origin: 'https://evil.example' })).status).toBe(200);
    });

    it('leaves keys without a list unaffected', async () => {
      const created = await createKey({});
      expect(created.body.apiKey).toMatchObject({ domainAllowlist: null });
      expect((await callShop(created.body.key as string)).status).toBe(200);
      expect((await callShop(created.body.key as string, { origin: 'https://anywhere.example' })).status).toBe(200);
    });

    it('refuses a malformed list with 400 and creates no key', async () => {
      const before = await gateway.deps.db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      for (const entry of ['https://shop.example/path', 'ftp://shop.example', 'not a host', '*.'] as const) {
        const answer = await createKey({ domainAllowlist: [entry] });
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe('INVALID_DOMAIN_ALLOWLIST');
      }
      const after = await gateway.deps.db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });
  });
}
