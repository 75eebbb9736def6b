import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { requestsQuery, shipmentKey, shipmentRows } from '../../api/orders';
import { can } from '../../config/access';
import { formatKg, formatPlantTime, sumKg } from '../../lib/format';
import { useSession } from '../../lib/session';
import { DataTable, type Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { GatepassDocument } from './gatepass-document';
import { VehicleCheck } from './vehicle-check';
import { incomingVehicles, type Vehicle } from './vehicles';

const COLUMNS: ReadonlyArray<Column<Vehicle>> = [
  { key: 'vehicle', header: 'Vehicle', text: (vehicle) => vehicle.vehicle },
  { key: 'shipments', header: 'Shipments', text: (vehicle) => vehicle.shipments.map(shipmentKey).join(', ') },
  { key: 'orders', header: 'Orders', text: (vehicle) => [...new Set(vehicle.shipments.map((shipment) => shipment.order_code))].join(', ') },
  {
    key: 'kg',
    header: 'Ordered weight',
    text: (vehicle) => formatKg(sumKg(vehicle.shipments.map((shipment) => shipment.quantity))),
    numeric: true,
  },
  {
    key: 'left',
    header: 'Left Seeduwa',
    text: (vehicle) => formatPlantTime(vehicle.dispatchedAt),
    compare: (a, b) => a.dispatchedAt - b.dispatchedAt,
  },
];

interface Accepted {
  vehicle: string;
  keys: readonly string[];
  acceptedBy: string;
}

/** Grandpass gate: vehicles on the way, their bags checked by scanning, accepted, and the gatepass printed. */
export default function GatepassPage() {
  const session = useSession();
  const query = useQuery(requestsQuery());
  const rows = useMemo(() => shipmentRows(query.data ?? []), [query.data]);
  const vehicles = useMemo(() => incomingVehicles(rows), [rows]);
  const [selected, setSelected] = useState<string>();
  const [accepted, setAccepted] = useState<Accepted>();
  const current = vehicles.find((vehicle) => vehicle.vehicle === selected);
  const acceptedRows = accepted ? rows.filter((row) => accepted.keys.includes(shipmentKey(row))) : [];
  return (
    <section aria-labelledby="gatepass-page-title">
      <h2 id="gatepass-page-title" className="no-print">
        Gatepass
      </h2>
      {query.isPending && <p role="status">Loading shipments…</p>}
      {query.isError && <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />}
      {accepted && acceptedRows.length > 0 && (
        <>
          <p role="status" className="no-print">
            Vehicle {accepted.vehicle} accepted. Print the gatepass below.
          </p>
          <GatepassDocument vehicle={accepted.vehicle} shipments={acceptedRows} acceptedBy={accepted.acceptedBy} />
        </>
      )}
      {query.isSuccess && (
        <div className="no-print">
          <DataTable
            caption="Vehicles on the way"
            rows={vehicles}
            columns={COLUMNS}
            rowKey={(vehicle) => vehicle.vehicle}
            exportName="vehicles-on-the-way"
            selected={selected}
            onSelect={(vehicle) => {
              setSelected(vehicle.vehicle);
              setAccepted(undefined);
            }}
            empty="No vehicle is on the way from Seeduwa."
          />
        </div>
      )}
      {current && can(session.user?.role, 'gatepass.accept') && (
        <VehicleCheck
          key={current.vehicle}
          vehicle={current}
          onAccepted={() => {
            setAccepted({
              vehicle: current.vehicle,
              keys: current.shipments.map(shipmentKey),
              acceptedBy: session.user?.fullName ?? '',
            });
            setSelected(undefined);
          }}
        />
      )}
    </section>
  );
}
