import { Type } from '@sinclair/typebox';
import { coerceError } from '../core/errors.js';
import { withTimeout } from '../resilience/timeout.js';
import { isDraining } from './draining.js';
import type { HttpServerInstance } from './types.js';
import { publicAccess } from './access.js';

export type ReadinessChecks = Record<string, () => Promise<void>>;

export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;
/** Long driver messages (stack-like dumps) are cut: the probe answer is for a glance, the log has the rest. */
const MAX_CHECK_MESSAGE = 200;

const liveSchema = Type.Object({ status: Type.Literal('ok') });
const readySchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('draining')]),
  checks: Type.Record(Type.String(), Type.String()),
});

const PROBE = publicAccess('probes: the orchestrator holds no credential');

export function registerHealthRoutes(app: HttpServerInstance, checks: ReadinessChecks, timeoutMs: number): void {
  // Liveness says only that the event loop answers: a down database must not get the process restarted.
  app.get('/health/live', { config: { access: PROBE }, schema: { hide: true, response: { 200: liveSchema } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/health/ready',
    { config: { access: PROBE }, schema: { hide: true, response: { 200: readySchema, 503: readySchema } } },
    async (request, reply) => {
      if (isDraining(app)) return reply.status(503).send({ status: 'draining', checks: {} });
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(() => check(), timeoutMs, { operation: `readiness check ${name}` });
            return { name, ok: true, outcome: 'ok' };
          } catch (thrown) {
            const error = coerceError(thrown);
            request.log.warn({ err: error, check: name }, 'readiness check failed');
            return { name, ok: false, outcome: error.message.slice(0, MAX_CHECK_MESSAGE) || 'failed' };
          }
        }),
      );
      const healthy = results.every((result) => result.ok);
      const answer = Object.fromEntries(results.map((result) => [result.name, result.outcome]));
      return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks: answer });
    },
  );
}
