import { PassThrough } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { gatewayAccess } from '../../access.js';
import { GatewayError } from '../../errors.js';
import type { PipelineDeps } from '../../deps.js';
import { PipelineSources } from './pipeline.repository.js';
import { PipelineFeed, type PipelineSnapshot } from './pipeline.service.js';

export const PIPELINE_PATH = '/api/v1/console/pipeline';
/** What the browser waits before reconnecting after a dropped stream (the SSE `retry:` field). */
export const PIPELINE_RETRY_MS = 3_000;
/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const EVENT_STREAM = 'text/event-stream';

const PipelineCountsSchema = Type.Object({
  lotsReceived: Type.Integer({ minimum: 0 }),
  batchesInQc: Type.Integer({ minimum: 0 }),
  traderPending: Type.Integer({ minimum: 0 }),
  ready: Type.Integer({ minimum: 0 }),
  dispatched: Type.Integer({ minimum: 0 }),
  accepted: Type.Integer({ minimum: 0 }),
});
/** The `data:` of each `snapshot` event, documented here because an event stream has no JSON schema of its own. */
export const PipelineSnapshotSchema = Type.Object({ counts: PipelineCountsSchema, at: Type.Integer({ description: 'epoch ms' }) });

function frame(snapshot: PipelineSnapshot): string {
  return `id: ${snapshot.id}\nevent: snapshot\ndata: ${JSON.stringify({ counts: snapshot.counts, at: snapshot.at })}\n\n`;
}

/**
 * The console's live pipeline dashboard: a Server-Sent Events stream of the pipeline counts
 * (ADR 0703). The first event is the full snapshot unless `Last-Event-ID` names the current
 * one; after that, one `snapshot` event each time a count changes, and a heartbeat comment in
 * between. Closing the gateway ends every stream.
 */
export function registerPipelineRoutes(app: HttpApp, deps: PipelineDeps): void {
  const access = gatewayAccess(deps);
  const feed = new PipelineFeed(new PipelineSources(deps), deps.logger, () => deps.clock.now());
  // Before the server closes: an open stream would otherwise hold close() for ever.
  app.addHook('preClose', async () => feed.stop());

  app.get(
    PIPELINE_PATH,
    {
      config: { access: access.user },
      schema: {
        tags: ['console'],
        summary: 'Live pipeline counts (text/event-stream): lots, batches in QC, trader pending, ready, dispatched, accepted',
        description:
          'Each `snapshot` event carries `{counts, at}` (schema PipelineSnapshot) and an `id`; the stream starts with `retry:` and the current ' +
          'snapshot (left out when `Last-Event-ID` is already the current id), then sends one event per change and a comment line as heartbeat. ' +
          'The request must send `Accept: text/event-stream` (400 EVENT_STREAM_NOT_ACCEPTED otherwise).',
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: {
            description: 'An event stream of pipeline snapshots',
            content: { 'text/event-stream': { schema: PipelineSnapshotSchema } },
          },
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          429: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      // A stream never ends by itself: a client that did not ask for one (a script expecting
      // JSON, a probe) gets a refusal instead of a response that hangs until it gives up.
      if (!(request.headers.accept ?? '').includes(EVENT_STREAM))
        throw GatewayError.EVENT_STREAM_NOT_ACCEPTED(`This endpoint only streams: send Accept: ${EVENT_STREAM}`);
      const stream = new PassThrough();
      const subscription = await feed
        .subscribe({ send: (snapshot) => stream.write(frame(snapshot)), close: () => stream.end() })
        .catch((error: unknown) => {
          stream.destroy();
          throw error;
        });
      stream.write(`retry: ${PIPELINE_RETRY_MS}\n\n`);
      if (request.headers['last-event-id'] !== subscription.snapshot.id) stream.write(frame(subscription.snapshot));
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        subscription.unsubscribe();
      };
      // The response closes when the browser leaves, and when the stream is ended at shutdown;
      // a browser that left while the first counts were read is already gone.
      if (request.raw.socket.destroyed) end();
      else reply.raw.once('close', end);
      // The schema documents one event's data; what is sent is the stream of them.
      const streaming: FastifyReply = reply;
      return (
        streaming
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-accel-buffering', 'no')
          // A stream ended at shutdown must take its connection with it: a keep-alive socket that
          // turns idle after the server began closing is never reaped, and would hold close().
          .header('connection', 'close')
          .send(stream)
      );
    },
  );
}
