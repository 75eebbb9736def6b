import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { answeredErrorCode } from './error-handler.js';
import { routeLabel } from './metrics.js';
import { logCompletion } from './request-logger.js';

/** Polled every few seconds by probes and scrapers: at info they would drown the real traffic. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
/**
 * Long-polled by the sync service, one answer per source every few seconds even when nothing
 * happens: an idle platform would otherwise log a line a few seconds apart. A refused poll
 * (4xx, 5xx) is news and stays at info.
 */
const POLLED_ROUTES = new Set(['/internal/outbox']);

/**
 * One line per request, written when the answer is done, instead of Fastify's two (incoming,
 * completed) with whole req/res objects. reqId and traceId come from the request logger's
 * bindings. A controller rather than an onResponse hook: Fastify calls it for every answered
 * request, and its other methods (stream and serializer errors) keep logging as before.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'reqId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const route = routeLabel(request);
    const code = answeredErrorCode(request);
    const line = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(code === undefined ? {} : { code }),
    };
    // An error here is a failed onResponse hook or a broken socket, after the answer was decided.
    if (error) request.log.error({ ...line, err: error }, 'request completed with an error');
    else if (QUIET_ROUTES.has(route) || (POLLED_ROUTES.has(route) && reply.statusCode < 400))
      logCompletion(request.log, 'debug', line, 'request completed');
    else logCompletion(request.log, 'info', line, 'request completed');
  }
}
