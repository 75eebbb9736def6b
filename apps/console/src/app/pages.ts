import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { can, type Action } from '../config/access';

export interface Page {
  /** Addressed in the URL fragment (#/shipments) so no page path can shadow an API path. */
  path: string;
  title: string;
  /** The action that shows the page; undefined for pages every signed-in user has. */
  needs?: Action;
  component: LazyExoticComponent<ComponentType>;
}

// Every page is its own chunk: the first screen loads only the shell and the page it opens.
export const PAGES: readonly Page[] = [
  { path: 'shipments', title: 'Shipments', needs: 'shipments.view', component: lazy(() => import('../features/shipments/shipments-page')) },
  {
    path: 'requests',
    title: 'Order requests',
    needs: 'requests.view',
    component: lazy(() => import('../features/requests/requests-page')),
  },
  { path: 'plans', title: 'Production plans', needs: 'plans.view', component: lazy(() => import('../features/plans/plans-page')) },
  {
    path: 'schedules',
    title: 'Production schedules',
    needs: 'schedules.view',
    component: lazy(() => import('../features/schedules/schedules-page')),
  },
  { path: 'traders', title: 'Trader queue', needs: 'traders.view', component: lazy(() => import('../features/traders/traders-page')) },
  { path: 'gatepass', title: 'Gatepass', needs: 'gatepass.view', component: lazy(() => import('../features/gatepass/gatepass-page')) },
  { path: 'parcels', title: 'Parcels', needs: 'parcels.view', component: lazy(() => import('../features/parcels/parcels-page')) },
  { path: 'trace', title: 'Traceability', needs: 'trace.view', component: lazy(() => import('../features/trace/trace-page')) },
  { path: 'users', title: 'Users', needs: 'users.view', component: lazy(() => import('../features/users/users-page')) },
  { path: 'kiosk/accept', title: 'Accept bags', needs: 'kiosk.use', component: lazy(() => import('../features/kiosk/accept-page')) },
  { path: 'kiosk/process', title: 'Process', needs: 'kiosk.use', component: lazy(() => import('../features/kiosk/process-page')) },
  { path: 'kiosk/dispatch', title: 'Dispatch', needs: 'kiosk.use', component: lazy(() => import('../features/kiosk/dispatch-page')) },
  {
    path: 'dashboard',
    title: 'Pipeline',
    needs: 'dashboard.view',
    component: lazy(() => import('../features/dashboard/dashboard-page')),
  },
  {
    path: 'erp/segments',
    title: 'Customer segments',
    needs: 'erp.view',
    component: lazy(() => import('../features/erp-segments/segments-page')),
  },
  {
    path: 'erp/batches',
    title: 'Batches and expiry',
    needs: 'erp.view',
    component: lazy(() => import('../features/erp-batches/batches-page')),
  },
  { path: 'erp/stock', title: 'Reorder points', needs: 'erp.view', component: lazy(() => import('../features/erp-batches/stock-page')) },
  { path: 'erp/pricing', title: 'Pricing rules', needs: 'erp.view', component: lazy(() => import('../features/erp-pricing/pricing-page')) },
  {
    path: 'erp/pricing-log',
    title: 'Pricing log',
    needs: 'erp.view',
    component: lazy(() => import('../features/erp-pricing/pricing-log-page')),
  },
  {
    path: 'gateway/users',
    title: 'Platform users',
    needs: 'gateway.admin',
    component: lazy(() => import('../features/gw-users/users-page')),
  },
  {
    path: 'gateway/api-keys',
    title: 'API keys',
    needs: 'gateway.admin',
    component: lazy(() => import('../features/gw-keys/api-keys-page')),
  },
  {
    path: 'gateway/access-keys',
    title: 'Access keys',
    needs: 'gateway.admin',
    component: lazy(() => import('../features/gw-keys/access-keys-page')),
  },
  { path: 'gateway/routes', title: 'Routes', needs: 'gateway.admin', component: lazy(() => import('../features/gw-routes/routes-page')) },
  {
    path: 'gateway/tiers',
    title: 'Rate-limit tiers',
    needs: 'gateway.admin',
    component: lazy(() => import('../features/gw-tiers/tiers-page')),
  },
  { path: 'gateway/audit', title: 'Audit log', needs: 'gateway.admin', component: lazy(() => import('../features/gw-audit/audit-page')) },
  { path: 'sync', title: 'Sync monitoring', needs: 'sync.view', component: lazy(() => import('../features/sync-monitor/sync-page')) },
  { path: 'system', title: 'System health', needs: 'system.view', component: lazy(() => import('../features/system/system-page')) },
  { path: 'usage', title: 'Gateway usage', needs: 'gateway.admin', component: lazy(() => import('../features/usage/usage-page')) },
];

export function pagesFor(role: string | undefined): Page[] {
  return PAGES.filter((page) => !page.needs || can(role, page.needs));
}
