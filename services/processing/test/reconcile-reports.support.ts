import { Type } from '@sinclair/typebox';
import {
  compareMtpKeys,
  MTP_RECONCILE_PATHS,
  mtpCursor,
  MtpShipmentPage,
  parseMtpCursor,
  type MtpShipmentSide,
} from '@tributary/contracts';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp, errorResponseSchema } from '@tributary/platform/http';
import { testAuth } from '@tributary/platform/testing';
import { expect } from 'vitest';
import type { Harness } from './support.js';

/**
 * The orders service's side of the reconciliation as processing sees it over the wire: a signed
 * HTTP peer (processing may not import orders) serving the two routes processing calls, from a
 * shipment list the test edits — the reconciliation page in key order with orders' cursor, and
 * `GET /order?request_code=` for the allocation check. It remembers which principals called.
 */
export async function ordersPeer() {
  const shipments: MtpShipmentSide[] = [];
  const callers = new Set<string>();
  let down = false;
  const app = await createHttpApp({ name: 'orders-peer', logger: silentLogger(), auth: testAuth() });
  app.get(
    MTP_RECONCILE_PATHS.shipments,
    {
      schema: {
        querystring: Type.Object({ after: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1 }) }),
        response: { 200: MtpShipmentPage, 503: errorResponseSchema },
      },
    },
    async (request, reply) => {
      if (down) return reply.code(503).send({ code: 'UPSTREAM_UNAVAILABLE', message: 'orders is down', requestId: String(request.id) });
      callers.add(request.identity?.principal ?? 'anonymous');
      const after = parseMtpCursor(request.query.after);
      const rows = [...shipments]
        .sort(compareMtpKeys)
        .filter((row) => !after || compareMtpKeys(row, after) > 0)
        .slice(0, request.query.limit);
      return { rows, next: rows.length === request.query.limit ? mtpCursor(rows.at(-1)!) : null };
    },
  );
  app.get(
    '/order',
    { schema: { querystring: Type.Object({ request_code: Type.String() }), response: { 200: Type.Unknown() } } },
    async (request) => {
      const mine = shipments.filter((row) => row.request_code === request.query.request_code);
      return mine.length === 0
        ? []
        : [{ request_code: Number(request.query.request_code), shipments: mine.map((row) => ({ shipment_code: row.shipment_code })) }];
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    shipments,
    callers,
    setDown: (value: boolean) => {
      down = value;
    },
    close: () => app.close(),
  };
}

/** Runs a report through the API as an administrator and waits for it to leave `running`. */
export async function runReport(h: Harness): Promise<any> {
  const started = await h.call('POST', '/reconcile/reports', undefined, ['SEEDUWA-ADMIN']);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.location).toBe(`/reconcile/reports/${started.body.id}`);
  for (;;) {
    const report = await h.call('GET', `/reconcile/reports/${started.body.id}`, undefined, ['SEEDUWA-OFFICER']);
    expect(report.status).toBe(200);
    if (report.body.status !== 'running') return report.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every page of a report's differences, following `next`. */
export async function allDifferences(h: Harness, id: string, query = ''): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  do {
    const page = await h.call(
      'GET',
      `/reconcile/reports/${id}/differences?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      ['GRANDPASS-OFFICER'],
    );
    expect(page.status).toBe(200);
    rows.push(...page.body.items);
    cursor = page.body.next;
  } while (cursor);
  return rows;
}
