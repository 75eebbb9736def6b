import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';

/** The Fastify instance createHttpApp builds: the core pino logger and TypeBox-inferred route types. */
export type HttpServerInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  TypeBoxTypeProvider
>;

/**
 * A Fastify instance whatever its logger and type provider. Fastify's instance type is invariant
 * in both, so code that only adds hooks or plain routes, or drives the lifecycle, is generic over
 * them and takes the caller's app as it is (createHttpApp's, or a bare one in a test).
 */
export type SomeFastify<
  L extends FastifyBaseLogger = FastifyBaseLogger,
  P extends FastifyTypeProvider = FastifyTypeProvider,
> = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, L, P>;

/**
 * What services get. `metrics` is on the type rather than declared on every FastifyInstance,
 * so only apps built here claim to have it.
 */
export type HttpApp = HttpServerInstance & {
  /** This app's own registry: register service metrics here (`registers: [app.metrics]`). */
  readonly metrics: Registry;
};
