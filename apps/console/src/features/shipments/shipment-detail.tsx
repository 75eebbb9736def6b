import type { ShipmentRow } from '../../api/orders';
import { statusLabel } from '../../config/statuses';
import { formatKg, formatPlantTime } from '../../lib/format';
import { ShipmentActions } from './shipment-actions';

/** The shipment's events, newest first; the current state is the first line and never folds away. */
export function ShipmentDetail({ shipment }: { shipment: ShipmentRow }) {
  const events = [...shipment.events].sort((a, b) => b.timestamp - a.timestamp);
  return (
    <section className="panel" aria-labelledby="shipment-detail-title">
      <h3 id="shipment-detail-title">
        Shipment {shipment.request_code}/{shipment.shipment_code}: {shipment.product_name}
      </h3>
      <p>
        {formatKg(shipment.quantity)} for order {shipment.order_code}. Now: <strong>{statusLabel(shipment.status)}</strong>
      </p>
      {shipment.comments && <p className="muted">Request note: {shipment.comments}</p>}
      <h4>History</h4>
      <ol className="timeline" aria-label="Shipment history">
        {events.map((event) => (
          <li key={`${event.status}-${event.timestamp}`}>
            <strong>{statusLabel(event.status)}</strong> <span className="muted">{formatPlantTime(event.timestamp)}</span>
            {event.order_remarks && <div>Remarks: {event.order_remarks}</div>}
            {event.shipment_vehicle && <div>Vehicle: {event.shipment_vehicle}</div>}
            {event.shipment_remarks && <div>Receiving remarks: {event.shipment_remarks}</div>}
          </li>
        ))}
      </ol>
      <ShipmentActions shipment={shipment} />
    </section>
  );
}
