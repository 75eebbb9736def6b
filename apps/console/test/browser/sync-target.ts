import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Envelope {
  id: string;
  payload?: Record<string, unknown>;
}

/**
 * An external system sync delivers to by webhook, as a real consumer behaves: `/refuse` refuses
 * every event with a 422 while `refusing` is set (the delivery becomes a dead letter), and
 * `/records` holds a newer copy of each record it is seeded with, answering an unforced event
 * for it with 409 SYNC_VERSION_CONFLICT and applying a forced one. `GET /records/:id` reads a
 * record back, as an operator would ask the target.
 */
export class SyncTarget {
  url = '';
  refusing = true;
  readonly records = new Map<string, Record<string, unknown>>();
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = (status: number, body: unknown) =>
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const path = request.url ?? '/';
        if (request.method === 'GET' && path.startsWith('/records/')) {
          const record = this.records.get(decodeURIComponent(path.slice('/records/'.length)));
          return record ? answer(200, record) : answer(404, { code: 'NOT_FOUND' });
        }
        const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
        if (path === '/refuse')
          return this.refusing ? answer(422, { code: 'RECORD_REFUSED', message: 'Refused' }) : answer(200, { status: 'applied' });
        const payload = envelope.payload ?? {};
        const id = String(payload.id ?? '');
        const held = this.records.get(id);
        if (held && request.headers['x-tributary-sync-force'] !== 'true') {
          return answer(409, {
            code: 'SYNC_VERSION_CONFLICT',
            message: 'Holds a newer version',
            details: { targetVersion: '5', targetData: held },
          });
        }
        this.records.set(id, payload);
        return answer(200, { status: 'applied' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
