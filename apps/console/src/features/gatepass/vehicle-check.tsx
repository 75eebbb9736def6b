import { useState } from 'react';
import { labelOf } from '../../lib/bag-label';
import { formatKg, sumKg } from '../../lib/format';
import { DataTable } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { AcceptForm } from './accept-form';
import { BAG_COLUMNS, checkedColumn } from './bag-columns';
import { BagScanner } from './bag-scanner';
import { useVehicleBags } from './vehicle-bags';
import type { Vehicle } from './vehicles';

/** One vehicle at the gate: its bags ticked off by scanning, then accepted with remarks. */
export function VehicleCheck({ vehicle, onAccepted }: { vehicle: Vehicle; onAccepted: (remarks: string) => void }) {
  const { bags, pending, error, refetch } = useVehicleBags(vehicle.shipments);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const unchecked = bags.filter((bag) => !checked.has(labelOf(bag))).length;
  return (
    <section className="panel" aria-labelledby="vehicle-check-title">
      <h3 id="vehicle-check-title">Vehicle {vehicle.vehicle}</h3>
      <p>
        {vehicle.shipments.length} shipment(s), {bags.length} bag(s), {formatKg(sumKg(bags.map((bag) => bag.amount)))}.{' '}
        <strong>
          {bags.length - unchecked} of {bags.length} bags checked.
        </strong>
      </p>
      {pending && <p role="status">Loading the bag list…</p>}
      {error !== undefined && <ErrorPanel error={error} onRetry={refetch} />}
      {!pending && (
        <>
          <BagScanner bags={bags} checked={checked} onChecked={(label) => setChecked((previous) => new Set(previous).add(label))} />
          <DataTable
            caption={`Bags on ${vehicle.vehicle}`}
            rows={bags}
            columns={[...BAG_COLUMNS, checkedColumn(checked)]}
            rowKey={labelOf}
            exportName={`gatepass-check-${vehicle.vehicle}`}
            empty="Seeduwa sent no bag list with these shipments."
          />
          <AcceptForm shipments={vehicle.shipments} unchecked={unchecked} onAccepted={onAccepted} />
        </>
      )}
    </section>
  );
}
