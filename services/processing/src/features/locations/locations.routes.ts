import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { emit, ProcessingEvents } from '../../events.js';
import { Text } from '../../http/schemas.js';
import { commandOf, runCommand, type FeatureDeps } from '../deps.js';
import { ACCESS } from '../../access.js';

const Location = Type.Object({ store_location: Type.String(), herbline_section: Type.Boolean() });

/** Storage locations: herbline sections hold herbline bags only, the rest everything else. */
export function registerLocationRoutes(app: HttpApp, deps: FeatureDeps): void {
  app.post(
    '/app/admin/location',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['admin'],
        summary: 'Create a storage location',
        body: Type.Object({ location_name: Text({ maxLength: 100 }), herbline_section: Type.Boolean() }),
        response: {
          200: Type.Object({ location: Type.String(), herbline_section: Type.Boolean() }),
          400: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { location_name, herbline_section } = request.body;
      await runCommand(deps, commandOf(request, deps), async (trx) => {
        await trx.insertInto('store_location').values({ location_name, herbline_section }).execute();
        await emit(trx, [
          {
            aggregateType: 'location',
            aggregateId: location_name,
            type: ProcessingEvents.locationCreated,
            payload: { location_name, herbline_section },
          },
        ]);
      });
      return { location: location_name, herbline_section };
    },
  );

  app.get(
    '/app/location',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'List storage locations (the Device-Panel sends herbline_section=0 for non-herbline ones)',
        querystring: Type.Object({ herbline_section: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('0'), Type.Literal('1')])) }),
        response: { 200: Type.Array(Location), 400: errorResponseSchema },
      },
    },
    async (request) => {
      const raw = request.query.herbline_section;
      const wanted = raw === undefined ? undefined : raw === true || raw === '1';
      let query = deps.db
        .selectFrom('store_location')
        .select(['location_name as store_location', 'herbline_section'])
        .orderBy('location_name');
      if (wanted !== undefined) query = query.where('herbline_section', '=', wanted);
      return query.execute();
    },
  );
}
