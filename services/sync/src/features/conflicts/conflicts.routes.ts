import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { RESOLUTION_STATUSES } from '../../db/schema.js';
import { SyncError } from '../../errors.js';
import type { ConflictRouteDeps } from '../../deps.js';
import { toJson } from '../events/serialize.js';
import { auditTrail, findConflict, findDelivery, listConflicts } from './conflicts.repository.js';
import { assignConflict, escalateConflict, ignoreConflict, resolveConflict, reviewConflict } from './conflicts.service.js';
import { ACCESS } from '../../access.js';

const Row = Type.Object({}, { additionalProperties: true });
const Params = Type.Object({ conflictId: Type.String({ format: 'uuid' }) });
const Person = Type.String({ minLength: 1, maxLength: 140 });
const Text = Type.String({ minLength: 1, maxLength: 2000 });
const Query = Type.Object({
  status: Type.Optional(Type.Union(RESOLUTION_STATUSES.map((s) => Type.Literal(s)))),
  assignedTo: Type.Optional(Person),
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
});
// One object rather than a union per choice: Fastify's Ajv strips properties while trying
// union branches, so `value` would vanish before the `custom` branch is tried.
const ResolveBody = Type.Object(
  {
    choice: Type.Union([Type.Literal('source'), Type.Literal('target'), Type.Literal('custom')]),
    /** The edited value, for `custom`. */
    value: Type.Optional(Type.Unknown()),
    reason: Text,
  },
  { additionalProperties: false },
);

/** Who acts: the user the gateway vouched for, else the calling service. */
function actor(request: FastifyRequest): string {
  return request.identity?.user ?? request.identity?.principal ?? 'unknown';
}

export function registerConflictRoutes(app: HttpApp, deps: ConflictRouteDeps): void {
  const { db } = deps;
  const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
  const tag = 'conflicts';

  const detail = async (conflictId: string) => {
    const row = await findConflict(db, conflictId);
    if (!row) throw SyncError.SYNC_CONFLICT_NOT_FOUND(`No conflict ${conflictId}`);
    const delivery = await findDelivery(db, row.sync_status_id);
    return { ...toJson(row), delivery: delivery ? toJson(delivery) : null, audit: (await auditTrail(db, conflictId)).map(toJson) };
  };

  app.get(
    '/api/sync/conflicts',
    routeOptions(ACCESS.peer, tag, 'Conflicts, newest first', {
      querystring: Query,
      response: { 200: Type.Object({ items: Type.Array(Row), nextBefore: Type.Union([Type.String(), Type.Null()]) }), ...errors },
    }),
    async (request) => {
      const q = request.query as Static<typeof Query>;
      const rows = await listConflicts(db, { ...q, ...(q.before ? { beforeId: q.before } : {}) });
      return { items: rows.map(toJson), nextBefore: rows.length === q.limit ? String(rows[rows.length - 1]!.id) : null };
    },
  );

  app.get(
    '/api/sync/conflicts/:conflictId',
    routeOptions(ACCESS.peer, tag, 'One conflict with its delivery and audit trail', { params: Params, response: { 200: Row, ...errors } }),
    async (request) => detail((request.params as Static<typeof Params>).conflictId),
  );

  /** An action on one conflict: its body, the service call made as the caller, and the conflict as it now stands. */
  const action = <Body extends TObject>(
    name: string,
    summary: string,
    body: Body,
    act: (conflictId: string, body: Static<Body>, actor: string) => Promise<unknown>,
  ) =>
    app.post(
      `/api/sync/conflicts/:conflictId/${name}`,
      routeOptions(ACCESS.peer, tag, summary, { params: Params, body, response: { 200: Row, ...errors } }),
      async (request) => {
        const { conflictId } = request.params as Static<typeof Params>;
        await act(conflictId, request.body as Static<Body>, actor(request));
        return detail(conflictId);
      },
    );

  const closed = { additionalProperties: false };
  action('assign', 'Assign to a person', Type.Object({ assignee: Person }, closed), (id, body, who) =>
    assignConflict(deps.conflicts, id, body.assignee, who),
  );
  action('review', 'Record a review note', Type.Object({ note: Text }, closed), (id, body, who) =>
    reviewConflict(deps.conflicts, id, body.note, who),
  );
  action('resolve', 'Resolve with the source value, the target value, or an edited value', ResolveBody, (id, body, who) => {
    const decision = body.choice === 'custom' ? { choice: 'custom' as const, value: body.value } : { choice: body.choice };
    return resolveConflict(deps.conflicts, id, decision, body.reason, who);
  });
  action('escalate', 'Escalate to someone else', Type.Object({ to: Person, reason: Text }, closed), (id, body, who) =>
    escalateConflict(deps.conflicts, id, body.to, body.reason, who),
  );
  action('ignore', 'Close without delivering', Type.Object({ reason: Text }, closed), (id, body, who) =>
    ignoreConflict(deps.conflicts, id, body.reason, who),
  );
}
