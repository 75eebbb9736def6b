import { randomUUID } from 'node:crypto';
import type { ServiceMethod, ServiceResponse } from '@tributary/platform/resilience';
import type { MtpCaller } from '../../../apps/cli/src/commands/reconcile-mtp.support.js';
import { ADMIN, type ServiceProcess } from './topology.js';

/** The MTP groups the flow acts as, and erp's manager: one gateway user each. */
export const USER_ROLES = [
  'GRANDPASS-ADMIN',
  'GRANDPASS-OFFICER',
  'GRANDPASS-SUPERVISOR',
  'GRANDPASS-GATEPASS',
  'SEEDUWA-OFFICER',
  'TRADER-OFFICER',
  'manager',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface Answer extends ServiceResponse<unknown> {
  /** The replica that answered (0 or 1). */
  replica: number;
}

/**
 * A client of the two gateway replicas, as the console or a device would be: bearer tokens from
 * the login route, every call to the replica after the previous one's (so each flow crosses both).
 */
export class GatewayClient {
  private turn = 0;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly gateways: readonly ServiceProcess[]) {}

  /** The replica the next call goes to; alternates. */
  nextReplica(): number {
    this.turn = (this.turn + 1) % this.gateways.length;
    return this.turn;
  }

  async send(
    replica: number,
    method: ServiceMethod,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'x-request-id': randomUUID(), ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.gateways[replica]!.url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      replica,
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: type.includes('json') && text ? (JSON.parse(text) as unknown) : text,
    };
  }

  async login(username: string, password: string): Promise<string> {
    const answer = await this.send(this.nextReplica(), 'POST', '/api/v1/auth/login', { body: { username, password } });
    const token = (answer.body as { accessToken?: unknown }).accessToken;
    if (answer.status !== 200 || typeof token !== 'string')
      throw new Error(`login ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return token;
  }

  /** The administrator from `admin create` makes one user per role through the admin API, and each logs in. */
  async createUsers(): Promise<void> {
    const admin = await this.login(ADMIN.username, ADMIN.password);
    for (const role of USER_ROLES) {
      const username = `topo.${role.toLowerCase()}`;
      const password = `${ADMIN.password}-${role.length}`;
      const created = await this.send(this.nextReplica(), 'POST', '/api/v1/admin/users', {
        token: admin,
        body: { username, email: `${username}@example.com`, password, fullName: role, role, rateLimitTier: 'unlimited' },
      });
      if (created.status !== 201) throw new Error(`create ${role}: ${created.status} ${JSON.stringify(created.body)}`);
      this.tokens.set(role, await this.login(username, password));
    }
  }

  token(role: string): string {
    const token = this.tokens.get(role);
    if (!token) throw new Error(`no user for ${role}`);
    return token;
  }

  /** A call as the user of `role` on the next replica. */
  as(role: string, method: ServiceMethod, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
    return this.send(this.nextReplica(), method, path, { token: this.token(role), body, ...(headers ? { headers } : {}) });
  }

  /**
   * The MTP rig's caller over the gateways: the original MTP paths (`/order/…`, `/app/…`) are
   * gateway routes, so the service is chosen by the path and the node is only a label.
   */
  mtp(): MtpCaller<string> {
    return {
      orders: 'orders',
      processing: 'processing',
      call: (_node, group, method, path, body, headers) => {
        if (!group) throw new Error('service calls do not go through the gateway');
        return this.as(group, method, path, body, headers);
      },
    };
  }
}

/** The body of a 2xx answer; anything else stops the flow with what was asked and what came back. */
export function accepted<T>(answer: Answer, what: string): T {
  if (answer.status < 200 || answer.status > 299) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}
