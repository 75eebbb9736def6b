import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { shipmentKey } from '../../api/orders';
import { shipmentBagsQuery, useRecordParcels, type ShipmentRef } from '../../api/records';
import { labelOf } from '../../lib/bag-label';
import type { Schedule } from '../../api/schedules';
import { formatKg } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

const KG = /^\d+(\.\d{1,3})?$/;

/**
 * Box filling: kg of one received bag go into the schedule's boxes. The bag is scanned (or
 * picked from the shipment's list); processing refuses more than the bag has left for the shipment.
 */
export function ParcelForm({ schedule }: { schedule: Schedule }) {
  const [shipment, setShipment] = useState<ShipmentRef | undefined>(schedule.accepted_shipments[0]);
  const bags = useQuery({ ...shipmentBagsQuery(shipment ?? { request_code: 0, shipment_code: 0 }), enabled: shipment !== undefined });
  const record = useRecordParcels();
  const [bagText, setBagText] = useState('');
  const [kg, setKg] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const listId = useId();

  if (schedule.accepted_shipments.length === 0)
    return (
      <p className="panel">
        No shipment of order {schedule.order_code} has been received at Grandpass yet, so there is nothing to fill from.
      </p>
    );

  const open = (bags.data ?? []).filter((bag) => Number(bag.remaining) > 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const text = bagText.trim().toLowerCase();
    const bag = (bags.data ?? []).find(
      (candidate) => labelOf(candidate).toLowerCase() === text || candidate.barcode.toLowerCase() === text,
    );
    if (!shipment || !bag) {
      setError(text ? 'This bag is not in the chosen shipment. Check the shipment, then scan again.' : 'Scan the bag first.');
      return;
    }
    if (!KG.test(kg.trim()) || Number(kg) <= 0) {
      setError('Write the kg put into the boxes, for example 12.5.');
      return;
    }
    setError(undefined);
    record.mutate(
      [{ table_name: bag.table, barcode: bag.barcode, ...shipment, schedule_code: schedule.schedule_code, reduced_by: kg.trim() }],
      {
        onSuccess: () => {
          setDone(`${formatKg(kg.trim())} of bag ${bag.item_code} filled into schedule ${schedule.schedule_code}.`);
          setBagText('');
          setKg('');
        },
      },
    );
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="parcel-form-title" noValidate>
      <h3 id="parcel-form-title">Fill boxes from a bag</h3>
      <div className="row">
        <Field label="Received shipment">
          <select
            value={shipment ? shipmentKey(shipment) : ''}
            onChange={(event) =>
              setShipment(schedule.accepted_shipments.find((candidate) => shipmentKey(candidate) === event.target.value))
            }
          >
            {schedule.accepted_shipments.map((candidate) => (
              <option key={shipmentKey(candidate)} value={shipmentKey(candidate)}>
                Shipment {shipmentKey(candidate)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Bag" hint="Scan the label, or pick from the list.">
          <input list={listId} value={bagText} autoComplete="off" onChange={(event) => setBagText(event.target.value)} />
        </Field>
        <datalist id={listId}>
          {open.map((bag) => (
            <option key={labelOf(bag)} value={labelOf(bag)}>
              {bag.item_code}: {formatKg(bag.remaining)} left
            </option>
          ))}
        </datalist>
        <Field label="Filled (kg)" error={error}>
          <input inputMode="decimal" value={kg} onChange={(event) => setKg(event.target.value)} />
        </Field>
      </div>
      <button type="submit" disabled={record.isPending || bags.isPending}>
        Record parcel
      </button>
      {bags.isError && <ErrorPanel error={bags.error} onRetry={() => void bags.refetch()} />}
      {record.isError && <ErrorPanel error={record.error} />}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
