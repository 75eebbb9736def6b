import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { routeHealthQuery, routesQuery, type RouteHealth, type RouteView } from '../../api/gateway-admin-routes';
import type { Column } from '../../ui/data-table';
import { QueryTable } from '../../ui/query-table';
import { RouteEditDialog } from './route-edit-dialog';

const HEALTH_WORDS: Record<RouteHealth['targets'][number]['health'], string> = {
  healthy: 'healthy',
  unhealthy: 'failing health checks',
  ejected: 'taken out after failures',
  unchecked: 'not checked yet',
  unresolved: 'address unknown',
};

const BREAKER_WORDS: Record<NonNullable<RouteHealth['breaker']>['state'], string> = {
  closed: 'Closed',
  open: 'Open: refusing calls',
  'half-open': 'Half-open: trying a call',
};

function targetsText(health: RouteHealth | undefined): string {
  if (!health) return 'Not live';
  return health.targets.map((target) => `${HEALTH_WORDS[target.health]} (${target.url})`).join('; ');
}

function breakerText(health: RouteHealth | undefined): string {
  if (!health) return '';
  return health.breaker ? BREAKER_WORDS[health.breaker.state] : 'No calls yet';
}

export default function RoutesPage() {
  const routes = useQuery(routesQuery());
  const health = useQuery(routeHealthQuery());
  const [editing, setEditing] = useState<RouteView>();
  const healthOf = (route: RouteView) => health.data?.find((item) => item.routeId === route.routeId);

  const columns: Array<Column<RouteView>> = [
    { key: 'name', header: 'Route', text: (route) => route.routeName },
    {
      key: 'path',
      header: 'Method and path',
      text: (route) => `${route.httpMethod === 'ANY' ? 'Any' : route.httpMethod} ${route.pathPattern}`,
    },
    { key: 'service', header: 'Service', text: (route) => route.serviceName },
    { key: 'targets', header: 'Targets', text: (route) => targetsText(healthOf(route)) },
    { key: 'breaker', header: 'Circuit breaker', text: (route) => breakerText(healthOf(route)) },
    { key: 'active', header: 'Status', text: (route) => (route.isActive ? 'On' : 'Off') },
  ];

  return (
    <section aria-labelledby="routes-title">
      <h2 id="routes-title">Routes</h2>
      <p className="muted">
        Which service answers each path, and how its targets are doing as this gateway sees them (refreshed every 10 seconds). Choose a
        route to change it.
      </p>
      {health.isError && <p role="alert">Target health could not be read; the routes below are still current.</p>}
      <QueryTable
        query={routes}
        loading="Loading routes…"
        caption="Routes"
        columns={columns}
        rowKey={(route) => route.routeId}
        exportName="routes"
        empty="No routes yet."
        selected={editing?.routeId}
        onSelect={setEditing}
      />
      {editing && <RouteEditDialog route={editing} onClose={() => setEditing(undefined)} />}
    </section>
  );
}
