import { shipmentKey, type ShipmentRow } from '../../api/orders';
import { labelOf } from '../../lib/bag-label';
import { formatKg, formatPlantTime, PLANT_TIME_ZONE, sumKg } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { PrintTable } from '../../ui/print-table';
import type { VehicleBag } from './bag-scan';
import { BAG_COLUMNS } from './bag-columns';
import { useVehicleBags } from './vehicle-bags';
import { acceptanceOf } from './vehicles';

interface GatepassDocumentProps {
  vehicle: string;
  /** The vehicle's shipments as the server has them now, accepted. */
  shipments: readonly ShipmentRow[];
  acceptedBy: string;
}

function shipmentColumns(bags: readonly VehicleBag[]): Array<Column<ShipmentRow>> {
  const kgOf = (shipment: ShipmentRow) => sumKg(bags.filter((bag) => shipmentKey(bag) === shipmentKey(shipment)).map((bag) => bag.amount));
  return [
    { key: 'shipment', header: 'Shipment', text: shipmentKey },
    { key: 'order', header: 'Order', text: (shipment) => shipment.order_code },
    { key: 'product', header: 'Product', text: (shipment) => shipment.product_name },
    { key: 'kg', header: 'Weight', text: (shipment) => formatKg(kgOf(shipment)), numeric: true },
  ];
}

/**
 * The gatepass as printed: everything on paper comes from the server's record of the
 * acceptance (time, remarks) and the bag list, not from what was typed, so a reprint says the same.
 */
export function GatepassDocument({ vehicle, shipments, acceptedBy }: GatepassDocumentProps) {
  const { bags } = useVehicleBags(shipments);
  const acceptances = shipments.map(acceptanceOf).filter((event) => event !== undefined);
  const acceptedAt = acceptances.length > 0 ? Math.max(...acceptances.map((event) => event.timestamp)) : undefined;
  const remarks = [...new Set(acceptances.map((event) => event.shipment_remarks ?? ''))].filter(Boolean).join('; ');
  return (
    <article className="gatepass-document panel" aria-labelledby="gatepass-title">
      <h3 id="gatepass-title">Gatepass: vehicle {vehicle}</h3>
      <dl className="gatepass-facts">
        <dt>Vehicle</dt>
        <dd>{vehicle}</dd>
        <dt>Received</dt>
        <dd>
          {formatPlantTime(acceptedAt)} ({PLANT_TIME_ZONE})
        </dd>
        <dt>Accepted by</dt>
        <dd>{acceptedBy}</dd>
        <dt>Remarks</dt>
        <dd>{remarks}</dd>
        <dt>Total</dt>
        <dd>
          {bags.length} bag(s), {formatKg(sumKg(bags.map((bag) => bag.amount)))}
        </dd>
      </dl>
      <PrintTable caption="Shipments" rows={shipments} columns={shipmentColumns(bags)} rowKey={shipmentKey} />
      <PrintTable caption="Bags" rows={bags} columns={BAG_COLUMNS} rowKey={labelOf} />
      <p className="gatepass-sign">Signature of the gatepass officer: ____________________</p>
      <button type="button" className="no-print" onClick={() => window.print()}>
        Print gatepass
      </button>
    </article>
  );
}
