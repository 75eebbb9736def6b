import { Counter, type Registry } from 'prom-client';

/** Business counters beside the platform's HTTP metrics; incremented only after a commit. */
export interface OrdersMetrics {
  requestsCreated(status: string, count: number): void;
  eventsRecorded(events: readonly { status: string; automatic: boolean }[]): void;
  shipmentsSplit(count: number): void;
  allocationEvent(result: 'applied' | 'duplicate' | 'ignored'): void;
}

export function createOrdersMetrics(registry: Registry): OrdersMetrics {
  const requests = new Counter({
    name: 'orders_requests_created_total',
    help: 'Order requests created, by initial status',
    labelNames: ['status'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'orders_shipment_events_total',
    help: 'Shipment status events recorded, by status; automatic = added by rule',
    labelNames: ['status', 'automatic'],
    registers: [registry],
  });
  const splits = new Counter({ name: 'orders_shipment_splits_total', help: 'Shipments split by a quantity change', registers: [registry] });
  const allocations = new Counter({
    name: 'orders_allocation_events_total',
    help: 'allocation.changed deliveries, by outcome',
    labelNames: ['result'],
    registers: [registry],
  });
  return {
    requestsCreated: (status, count) => requests.inc({ status }, count),
    eventsRecorded: (recorded) => {
      for (const event of recorded) events.inc({ status: event.status, automatic: String(event.automatic) });
    },
    shipmentsSplit: (count) => {
      if (count > 0) splits.inc(count);
    },
    allocationEvent: (result) => allocations.inc({ result }),
  };
}

export const noMetrics: OrdersMetrics = {
  requestsCreated: () => {},
  eventsRecorded: () => {},
  shipmentsSplit: () => {},
  allocationEvent: () => {},
};
