import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { signRequest, type SigV4AuthOptions } from '@tributary/platform/auth';
import { REDACTED_PATHS } from '@tributary/platform/core';
import { createHttpApp } from '@tributary/platform/http';
import { measureTargets, type LoadTarget } from '../src/autocannon.js';
import type { Scenario } from '../src/types.js';

const ROUTE = '/orders/:id';
const PATH = '/orders/ord-42';
const BODY = { id: 'ord-42', status: 'open', customer: 'cus-7', lines: 3, total: '129.50' };
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK0000001', secretAccessKey: 'bench-secret-not-a-real-one' };

/**
 * The service logger as production configures it (info, redaction), writing into a sink
 * instead of stdout: the cost of building every log line is part of the overhead measured,
 * the terminal is not.
 */
function discardingLogger() {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
}

const auth: SigV4AuthOptions = {
  ...SCOPE,
  // In memory, as a cached credential store would answer; a store round trip is not the kernel's cost.
  lookup: (id) => (id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey, principal: 'bench' } : undefined),
};

async function bareFastify(): Promise<FastifyInstance> {
  const app = Fastify();
  app.get(ROUTE, async () => BODY);
  return app;
}

async function kernel(withAuth: boolean): Promise<FastifyInstance> {
  const app = await createHttpApp({ name: 'bench', logger: discardingLogger(), ...(withAuth ? { auth } : {}) });
  app.get(ROUTE, async () => BODY);
  return app as unknown as FastifyInstance;
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

const scenario: Scenario = {
  name: 'http-overhead',
  description: 'GET of a small JSON body: bare Fastify vs the kernel HTTP app, without and with SigV4 verification',
  async run(ctx) {
    const apps = { bare: await bareFastify(), plain: await kernel(false), signed: await kernel(true) };
    try {
      const [bare, plain, signed] = [await listen(apps.bare), await listen(apps.plain), await listen(apps.signed)];
      const signedUrl = `${signed}${PATH}`;
      const targets: LoadTarget[] = [
        { name: 'bare fastify', role: 'baseline', url: `${bare}${PATH}` },
        { name: 'kernel (no auth)', role: 'subject', url: `${plain}${PATH}` },
        {
          name: 'kernel + SigV4 verify',
          role: 'subject',
          url: signedUrl,
          headers: () => signRequest({ method: 'GET', url: signedUrl, headers: {} }, CREDENTIALS, SCOPE),
        },
      ];
      return {
        variants: await measureTargets(targets, ctx),
        parameters: {
          route: `GET ${ROUTE}`,
          responseBytes: Buffer.byteLength(JSON.stringify(BODY)),
          kernelLogging: 'info, one line per request, into a discarding stream',
          signing: 'SigV4 header form, one signature per round, full verification of every request',
          loadGenerator: 'autocannon in a worker thread of the same process',
        },
      };
    } finally {
      await Promise.all(Object.values(apps).map((app) => app.close()));
    }
  },
};

export default scenario;
