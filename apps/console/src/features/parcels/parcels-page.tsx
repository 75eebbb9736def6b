import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { parcelsQuery, type Parcel } from '../../api/records';
import type { Schedule } from '../../api/schedules';
import { can } from '../../config/access';
import { materialName } from '../../config/materials';
import { formatKg, sumKg } from '../../lib/format';
import { useSession } from '../../lib/session';
import { DataTable, type Column } from '../../ui/data-table';
import { kgColumn } from '../../ui/kg-column';
import { ErrorPanel } from '../../ui/error-panel';
import { ParcelForm } from './parcel-form';
import { ScheduleChooser } from './schedule-chooser';

const COLUMNS: ReadonlyArray<Column<Parcel>> = [
  {
    key: 'shipment',
    header: 'Shipment',
    text: (parcel) => `${parcel.request_code}/${parcel.shipment_code}`,
    compare: (a, b) => a.request_code - b.request_code || a.shipment_code - b.shipment_code,
  },
  { key: 'material', header: 'Material', text: (parcel) => materialName(parcel.table) },
  { key: 'bag', header: 'Bag label', text: (parcel) => `${parcel.table}:${parcel.barcode}` },
  kgColumn('kg', 'Filled', (parcel) => parcel.amount),
];

/** Parcels: the kg of received bags filled into a production schedule's boxes. */
export default function ParcelsPage() {
  const role = useSession().user?.role;
  const recording = can(role, 'parcels.record');
  const [scheduleCode, setScheduleCode] = useState<number>();
  const [schedule, setSchedule] = useState<Schedule>();
  const parcels = useQuery({
    ...parcelsQuery(scheduleCode ?? 0, recording ? 'orders' : 'processing'),
    enabled: scheduleCode !== undefined,
  });
  return (
    <section aria-labelledby="parcels-title">
      <h2 id="parcels-title">Parcels</h2>
      <p className="muted">What the box-filling machine took from each received bag, per production schedule.</p>
      <ScheduleChooser
        value={scheduleCode}
        onChange={(code, chosen) => {
          setScheduleCode(code);
          setSchedule(chosen);
        }}
      />
      {recording && schedule && !schedule.completed && <ParcelForm key={schedule.schedule_code} schedule={schedule} />}
      {scheduleCode !== undefined && parcels.isPending && <p role="status">Loading parcels…</p>}
      {parcels.isError && <ErrorPanel error={parcels.error} onRetry={() => void parcels.refetch()} />}
      {parcels.isSuccess && (
        <>
          <p>
            {parcels.data.length} parcel(s), {formatKg(sumKg(parcels.data.map((parcel) => parcel.amount)))} filled into schedule{' '}
            {scheduleCode}.
          </p>
          <DataTable
            caption={`Parcels of schedule ${scheduleCode}`}
            rows={parcels.data}
            columns={COLUMNS}
            rowKey={(parcel) => `${parcel.table}:${parcel.barcode}/${parcel.request_code}/${parcel.shipment_code}`}
            exportName={`parcels-schedule-${scheduleCode}`}
            empty="Nothing has been filled into this schedule yet."
          />
        </>
      )}
    </section>
  );
}
