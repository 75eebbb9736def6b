import { describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { defaultRoutes } from '../src/features/routing/default-routes.js';
import { gatewayBed } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: a fresh install's routes`, () => {
    const bed = gatewayBed(target);

    it('two replicas starting together on a new database both serve the whole default route table', async () => {
      const [one, two] = await Promise.all([bed.gateway(), bed.gateway()]);
      const expected = defaultRoutes().length;
      const rows = await bed.handle.database.db.selectFrom('service_routes').select('id').execute();
      expect(rows).toHaveLength(expected);
      expect(one.deps.routes.size).toBe(expected);
      expect(two.deps.routes.size).toBe(expected);
      // A restart finds the table the operator's: nothing is added again.
      const three = await bed.gateway();
      expect(three.deps.routes.size).toBe(expected);
      expect(await bed.handle.database.db.selectFrom('service_routes').select('id').execute()).toHaveLength(expected);
    });
  });
}
