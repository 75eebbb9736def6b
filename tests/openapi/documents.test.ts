import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiErrors } from '@tributary/platform/testing';
import { startPlatform, type FuzzPlatform } from '../security/platform.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
type Operation = { security?: Array<Record<string, string[]>> };

interface Document {
  servers?: unknown;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

async function documentAt(url: string): Promise<Document> {
  return (await (await fetch(url)).json()) as Document;
}

function operations(doc: Document): Array<{ key: string; operation: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation: item[method]!,
    })),
  );
}

/** Every service as `tributary up` runs them: each document is read over real HTTP. */
describe('OpenAPI documents of the running platform', () => {
  let platform: FuzzPlatform;
  beforeAll(async () => {
    platform = await startPlatform({});
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('each service declares the SigV4 scheme, servers and a security requirement on every operation', async () => {
    for (const name of ['orders', 'processing', 'erp', 'sync']) {
      const doc = await documentAt(`${platform.node(name).url}/openapi.json`);
      expect(doc.components.securitySchemes.sigv4, name).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
      expect(doc.servers, name).toEqual([{ url: '/' }]);
      const all = operations(doc);
      expect(all.length, name).toBeGreaterThan(0);
      for (const { key, operation } of all) {
        expect(operation.security, `${name} ${key}`).toBeDefined();
        // Only the paths the service leaves public may need no signature: sync's webhooks (they carry
        // their own signatures), Alertmanager's intake (its bearer token) and the original sync API's
        // endpoint list and health.
        if (operation.security!.length === 0)
          expect(`${name} ${key}`).toMatch(/^sync (\w+ \/webhooks\/|POST \/api\/sync\/alerts$|GET \/$|GET \/health$)/);
        else expect(Object.keys(operation.security![0]!), `${name} ${key}`).toEqual(['sigv4']);
      }
    }
  });

  it('operations guarded by a declared rule list its roles (orders and erp)', async () => {
    const orders = await documentAt(`${platform.node('orders').url}/openapi.json`);
    const withRoles = operations(orders).filter(({ operation }) => (operation.security?.[0]?.sigv4 ?? []).length > 0);
    expect(withRoles.length).toBeGreaterThan(10);
    const erp = await documentAt(`${platform.node('erp').url}/openapi.json`);
    expect(operations(erp).filter(({ operation }) => (operation.security?.[0]?.sigv4 ?? []).length > 0).length).toBeGreaterThan(5);
  });

  it('the gateway merges the services’ real operations under its public paths', async () => {
    const doc = await documentAt(`${platform.node('gateway').url}/api/v1/openapi.json`);
    const paths = Object.keys(doc.paths);
    for (const name of ['orders', 'processing', 'erp', 'sync']) {
      expect(paths.filter((path) => path.startsWith(`/api/v1/${name}/`) && !path.endsWith('/{path}')).length, name).toBeGreaterThan(0);
    }
    for (const { key, operation } of operations(doc)) {
      expect(operation.security, key).toBeDefined();
      for (const requirement of operation.security!) expect(['bearerAuth', 'apiKey'], key).toContain(Object.keys(requirement)[0]);
    }
  });

  it('every document, the merged one included, is valid OpenAPI', async () => {
    for (const name of ['orders', 'processing', 'erp', 'sync']) {
      expect(await openApiErrors(await documentAt(`${platform.node(name).url}/openapi.json`)), name).toEqual([]);
    }
    expect(await openApiErrors(await documentAt(`${platform.node('gateway').url}/api/v1/openapi.json`))).toEqual([]);
  });
});
