import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import type { SyncConfigurationRow } from '../../db/schema.js';
import type { ConfigurationRouteDeps } from '../../deps.js';
import { toJson } from '../events/serialize.js';
import { releaseHeld } from '../queue/index.js';
import { ConfigurationInput, ConfigurationPatch, type ConfigurationInput as Input } from './configurations.schemas.js';
import { validateConfiguration } from './configurations.service.js';
import { ACCESS } from '../../access.js';

const Row = Type.Object({}, { additionalProperties: true });
const Params = Type.Object({ configId: Type.String({ format: 'uuid' }) });
const VersionQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'Refuse the change unless the configuration is at this version' })),
});

function actor(request: FastifyRequest): string {
  return request.identity?.user ?? request.identity?.principal ?? 'unknown';
}

function present(row: SyncConfigurationRow) {
  const json = toJson(row);
  json.retry_delay_seconds = Number(row.retry_delay_seconds);
  // Webhook secrets are write-only.
  const configuration = structuredClone(row.configuration) as { target?: { secret?: string } };
  if (configuration.target?.secret) configuration.target.secret = '[set]';
  json.configuration = configuration;
  return json;
}

function asInput(row: SyncConfigurationRow): Input {
  return {
    config_name: row.config_name,
    config_description: row.config_description,
    config_type: row.config_type as Input['config_type'],
    entity_type: row.entity_type,
    source_system: row.source_system,
    target_system: row.target_system,
    configuration: row.configuration as Input['configuration'],
    validation_rules: row.validation_rules as Input['validation_rules'],
    sync_direction: row.sync_direction as Input['sync_direction'],
    sync_frequency: (row.sync_frequency ?? 'real_time') as Input['sync_frequency'],
    batch_size: row.batch_size,
    error_handling_strategy: row.error_handling_strategy as Input['error_handling_strategy'],
    max_retries: row.max_retries,
    retry_delay_seconds: Number(row.retry_delay_seconds),
    is_active: row.is_active,
  };
}

export function registerConfigurationRoutes(app: HttpApp, deps: ConfigurationRouteDeps): void {
  const repo = deps.configurations;
  const tag = 'configurations';
  const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
  const check = (input: Input) => validateConfiguration(input, { peers: deps.peers, rules: deps.rules });
  const now = () => new Date(deps.clock.now());
  /** Checks and stores a whole configuration over the existing one (at `version`, when given), as PUT and PATCH both end. */
  const replace = async (request: FastifyRequest, configId: string, input: Input, version: number | undefined) => {
    check(input);
    const row = await repo.replace(configId, input, actor(request), now(), version);
    deps.routes.invalidate();
    return present(row);
  };

  app.get(
    '/api/sync/configurations',
    routeOptions(ACCESS.peer, tag, 'Sync configurations', {
      querystring: Type.Object({
        active: Type.Optional(Type.Boolean()),
        source: Type.Optional(Type.String({ maxLength: 100 })),
        target: Type.Optional(Type.String({ maxLength: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Row) }), ...errors },
    }),
    async (request) => {
      const q = request.query as { active?: boolean; source?: string; target?: string };
      return { items: (await repo.list(q)).map(present) };
    },
  );

  app.get(
    '/api/sync/configurations/:configId',
    routeOptions(ACCESS.peer, tag, 'One configuration', { params: Params, response: { 200: Row, ...errors } }),
    async (request) => present(await repo.get((request.params as Static<typeof Params>).configId)),
  );

  app.post(
    '/api/sync/configurations',
    routeOptions(ACCESS.peer, tag, 'Create a configuration', { body: ConfigurationInput, response: { 201: Row, ...errors } }),
    async (request, reply) => {
      const input = request.body as Input;
      check(input);
      const row = await repo.create(input, actor(request), now());
      deps.routes.invalidate();
      return reply.code(201).send(present(row));
    },
  );

  app.put(
    '/api/sync/configurations/:configId',
    routeOptions(ACCESS.peer, tag, 'Replace a configuration', {
      params: Params,
      querystring: VersionQuery,
      body: ConfigurationInput,
      response: { 200: Row, ...errors },
    }),
    async (request) => {
      const { configId } = request.params as Static<typeof Params>;
      return replace(request, configId, request.body as Input, (request.query as Static<typeof VersionQuery>).version);
    },
  );

  app.patch(
    '/api/sync/configurations/:configId',
    routeOptions(ACCESS.peer, tag, 'Change some fields (e.g. set a webhook URL and activate)', {
      params: Params,
      querystring: VersionQuery,
      body: ConfigurationPatch,
      response: { 200: Row, ...errors },
    }),
    async (request) => {
      const { configId } = request.params as Static<typeof Params>;
      const current = await repo.get(configId);
      const merged: Input = { ...asInput(current), ...(request.body as Partial<Input>) };
      return replace(request, configId, merged, (request.query as Static<typeof VersionQuery>).version ?? current.version);
    },
  );

  app.delete(
    '/api/sync/configurations/:configId',
    routeOptions(ACCESS.peer, tag, 'Delete a configuration (its deliveries stay)', {
      params: Params,
      response: { 204: Type.Null(), ...errors },
    }),
    async (request, reply) => {
      await repo.remove((request.params as Static<typeof Params>).configId);
      deps.routes.invalidate();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/sync/configurations/:configId/run',
    routeOptions(ACCESS.peer, tag, 'Run a batch configuration now (release its held deliveries)', {
      params: Params,
      response: { 200: Type.Object({ released: Type.Integer() }), ...errors },
    }),
    async (request) => {
      const { configId } = request.params as Static<typeof Params>;
      await repo.get(configId);
      const released = await releaseHeld(deps.db, configId, now());
      deps.wakeWorkers();
      return { released };
    },
  );
}
