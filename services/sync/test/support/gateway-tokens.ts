import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

/**
 * Stands in for the gateway's token keys: an ES256 key pair whose public half is served as a
 * JWKS at `/.well-known/jwks.json`, and access tokens with the gateway's claims signed by it.
 */
export class GatewayTokens {
  url = '';
  private server: Server | undefined;
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly jwks: object,
    private readonly kid: string,
  ) {}

  static async start(kid = 'test-key-1'): Promise<GatewayTokens> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const tokens = new GatewayTokens(privateKey, { keys: [jwk] }, kid);
    tokens.server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens.jwks));
    });
    await new Promise<void>((resolve) => tokens.server!.listen(0, '127.0.0.1', resolve));
    tokens.url = `http://127.0.0.1:${(tokens.server.address() as AddressInfo).port}`;
    return tokens;
  }

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  /** An access token as the gateway's login issues it. */
  async accessToken(userId: string, role: string, options: { typ?: string; audience?: string } = {}): Promise<string> {
    return new SignJWT({ typ: options.typ ?? 'access', username: userId, role, tier: 'standard', sid: 'family-1' })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid })
      .setSubject(userId)
      .setJti(`jti-${userId}-${role}`)
      .setIssuer('tributary-gateway')
      .setAudience(options.audience ?? 'tributary')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(this.privateKey);
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
