import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { GENERATED_PATH, generatedClientTypes } from '../../scripts/api-document.js';
import { DEMO_PASSWORD, type ConsoleRig } from './harness.js';

/** The gateway's part: files, headers, API paths untouched, the cookie session over plain HTTP. */
export function servingCases(rig: () => ConsoleRig): void {
  it('serves the console at / with a strict CSP, and hashed assets as immutable', async () => {
    const page = await fetch(`${rig().origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${rig().origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const again = await fetch(`${rig().origin}${script}`, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('leaves every API path to the proxy and names no file outside the build', async () => {
    const order = await fetch(`${rig().origin}/order`);
    expect(order.status).toBe(401);
    expect(((await order.json()) as { code: string }).code).toBeTruthy();
    for (const path of ['/assets/missing.js', '/assets/..%2f..%2fpackage.json', '/index.html/../package.json']) {
      const response = await fetch(`${rig().origin}${path}`);
      expect(response.status, path).toBe(404);
    }
    const docs = await fetch(`${rig().origin}/api/v1/openapi.json`);
    expect(docs.status).toBe(200);
  });

  it('the committed API client is the one the running gateway’s document generates', async () => {
    const response = await fetch(`${rig().origin}/api/v1/openapi.json`);
    const { servers: _servers, ...document } = (await response.json()) as Record<string, unknown>;
    const expected = await generatedClientTypes(document);
    expect(expected === (await readFile(GENERATED_PATH, 'utf8')), 'src/api/gen is stale: run npm run generate -w apps/console').toBe(true);
  });

  it('keeps the refresh token in an httpOnly SameSite=Strict cookie and rotates it', async () => {
    const origin = rig().origin;
    const headers = { 'content-type': 'application/json', 'x-tributary-session': '1' };
    const refused = await fetch(`${origin}/api/v1/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'seeduwa-officer', password: DEMO_PASSWORD }),
    });
    expect(refused.status).toBe(400);
    const signIn = await fetch(`${origin}/api/v1/auth/session`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'seeduwa-officer', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const body = (await signIn.json()) as Record<string, unknown>;
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tributary_session=[^;]+; Path=\/api\/v1\/auth\/session; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const first = cookie.split(';', 1)[0]!;

    const renewed = await fetch(`${origin}/api/v1/auth/session/refresh`, {
      method: 'POST',
      headers: { 'x-tributary-session': '1', cookie: first },
    });
    expect(renewed.status).toBe(200);
    const second = (renewed.headers.get('set-cookie') ?? '').split(';', 1)[0]!;
    expect(second).not.toBe(first);
    // The spent cookie coming back is reuse: refused, and the whole session with it.
    const reused = await fetch(`${origin}/api/v1/auth/session/refresh`, {
      method: 'POST',
      headers: { 'x-tributary-session': '1', cookie: first },
    });
    expect(reused.status).toBe(401);
    expect(reused.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await fetch(`${origin}/api/v1/auth/session/refresh`, {
      method: 'POST',
      headers: { 'x-tributary-session': '1', cookie: second },
    });
    expect(after.status).toBe(401);
  });
}
