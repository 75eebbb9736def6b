import { usePostShipmentEvents, type OrderRequest } from '../../api/orders';
import { formatKg, formatPlantTime } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';

const DAY_MS = 86_400_000;

/** Special requests waiting for the supervisor, oldest first, with their age in days. */
export function ApprovalInbox({ requests }: { requests: readonly OrderRequest[] }) {
  const decide = usePostShipmentEvents();
  const waiting = requests
    .flatMap((request) =>
      request.shipments
        .filter((shipment) => shipment.status === 'APPROVAL_REQUESTED')
        .map((shipment) => ({ request, shipment, since: Math.min(...shipment.events.map((event) => event.timestamp)) })),
    )
    .sort((a, b) => a.since - b.since);
  return (
    <section className="panel" aria-labelledby="approvals-title">
      <h3 id="approvals-title">Waiting for your approval ({waiting.length})</h3>
      {waiting.length === 0 && <p>No special requests are waiting.</p>}
      <ul>
        {waiting.map(({ request, shipment, since }) => {
          const target = { request_code: request.request_code, shipment_code: shipment.shipment_code };
          const label = `request ${request.request_code}`;
          return (
            <li key={`${request.request_code}/${shipment.shipment_code}`} className="row">
              <span>
                Request {request.request_code}: {formatKg(shipment.quantity)} of {request.product_name} (order {request.order_code}), asked{' '}
                {formatPlantTime(since)}, {Math.floor((Date.now() - since) / DAY_MS)} day(s) ago
                {request.comments ? `. Note: ${request.comments}` : ''}
              </span>
              <button
                type="button"
                aria-label={`Approve ${label}`}
                disabled={decide.isPending}
                onClick={() => decide.mutate([{ ...target, status: 'APPROVAL_ALLOWED' }])}
              >
                Approve
              </button>
              <button
                type="button"
                aria-label={`Refuse ${label}`}
                className="danger"
                disabled={decide.isPending}
                onClick={() => decide.mutate([{ ...target, status: 'APPROVAL_BLOCKED' }])}
              >
                Refuse
              </button>
            </li>
          );
        })}
      </ul>
      {decide.isError && <ErrorPanel error={decide.error} />}
    </section>
  );
}
