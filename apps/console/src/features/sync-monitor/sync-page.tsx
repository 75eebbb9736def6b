import { useState } from 'react';
import type { DeliveryFilter, DeliveryState } from '../../api/sync';
import { Conflicts } from './conflicts';
import { Deliveries } from './deliveries';
import { Overview } from './overview';
import { Configurations, WebhookSources } from './setup';
import './sync-monitor.css';

const VIEWS = {
  overview: 'Overview',
  deliveries: 'Deliveries and dead letters',
  conflicts: 'Conflicts',
  configurations: 'Configurations',
  webhooks: 'Webhook sources',
} as const;
type View = keyof typeof VIEWS;

export default function SyncPage() {
  const [view, setView] = useState<View>('overview');
  const [filter, setFilter] = useState<DeliveryFilter>({});
  const openDeliveries = (status: DeliveryState) => {
    setFilter({ status });
    setView('deliveries');
  };
  return (
    <section aria-labelledby="sync-title">
      <h2 id="sync-title">Sync monitoring</h2>
      <div className="view-switch" role="group" aria-label="Show">
        {(Object.keys(VIEWS) as View[]).map((key) => (
          <button key={key} type="button" className="secondary" aria-pressed={view === key} onClick={() => setView(key)}>
            {VIEWS[key]}
          </button>
        ))}
      </div>
      <h3>{VIEWS[view]}</h3>
      {view === 'overview' && <Overview onOpen={openDeliveries} onConflicts={() => setView('conflicts')} />}
      {view === 'deliveries' && <Deliveries filter={filter} onFilter={setFilter} />}
      {view === 'conflicts' && <Conflicts />}
      {view === 'configurations' && <Configurations />}
      {view === 'webhooks' && <WebhookSources />}
    </section>
  );
}
