import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type AdminDeps } from '../../deps.js';
import { MTP_GROUPS } from '../../domain.js';
import { SuccessOut } from '../plans/plans.schemas.js';
import { UserCreateBody, UserDeleteQuery, UserOut } from './admin.schemas.js';
import * as admin from './admin.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

export function registerAdminRoutes(app: HttpApp, deps: AdminDeps): void {
  app.get(
    '/admin/user',
    routeOptions(guard(deps.config, 'listUsers'), 'admin', 'Users and their group', { response: { 200: Type.Array(UserOut), ...errors } }),
    async () => admin.listUsers(deps),
  );
  app.post(
    '/admin/user',
    routeOptions(guard(deps.config, 'manageUsers'), 'admin', 'Map a user to an MTP group', {
      body: UserCreateBody,
      response: { 200: UserOut, ...errors, 409: errorResponseSchema },
    }),
    async (request) => admin.createUser(deps, commandFrom(request, deps), request.body),
  );
  app.delete(
    '/admin/user',
    routeOptions(guard(deps.config, 'manageUsers'), 'admin', 'Remove a user', {
      querystring: UserDeleteQuery,
      response: { 200: SuccessOut, ...errors, 404: errorResponseSchema },
    }),
    async (request) => admin.deleteUser(deps, commandFrom(request, deps), request.query.sub),
  );
  app.get(
    '/admin/group',
    routeOptions(guard(deps.config, 'listGroups'), 'admin', 'The ten MTP groups', {
      response: { 200: Type.Array(Type.String()), ...errors },
    }),
    async () => [...MTP_GROUPS],
  );
}
