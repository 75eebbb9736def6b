import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
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
 * What services get. `metrics` is on the type rather than declared on every FastifyInstance,
 * so only apps built here claim to have it.
 */
export type HttpApp = HttpServerInstance & {
  /** This app's own registry: register service metrics here (`registers: [app.metrics]`). */
  readonly metrics: Registry;
};
