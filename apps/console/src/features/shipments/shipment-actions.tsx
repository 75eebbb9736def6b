import { useState, type FormEvent } from 'react';
import { usePostShipmentEvents, useSplitShipment, type ShipmentRow } from '../../api/orders';
import { can } from '../../config/access';
import { useSession } from '../../lib/session';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

/** Statuses from which Seeduwa may still say ready or not ready. */
const OPEN = new Set(['ORDER_REQUESTED', 'ORDER_NOT_READY', 'APPROVAL_ALLOWED']);

export function ShipmentActions({ shipment }: { shipment: ShipmentRow }) {
  const role = useSession().user?.role;
  const events = usePostShipmentEvents();
  const split = useSplitShipment();
  const [remarks, setRemarks] = useState('');
  const [remarksError, setRemarksError] = useState<string>();
  const [quantity, setQuantity] = useState('');
  const [done, setDone] = useState<string>();

  if (!can(role, 'shipments.ready')) return null;
  // After a decision the buttons go (the shipment has moved on) but what happened stays said.
  if (!OPEN.has(shipment.status)) return done ? <p role="status">{done}</p> : null;
  const target = { request_code: shipment.request_code, shipment_code: shipment.shipment_code };

  function ready() {
    setDone(undefined);
    events.mutate([{ ...target, status: 'ORDER_READY' }], { onSuccess: () => setDone('Marked ready to ship.') });
  }

  function notReady(event: FormEvent) {
    event.preventDefault();
    if (!remarks.trim()) {
      setRemarksError('Say why it is not ready.');
      return;
    }
    setRemarksError(undefined);
    setDone(undefined);
    events.mutate([{ ...target, status: 'ORDER_NOT_READY', order_remarks: remarks.trim() }], {
      onSuccess: () => {
        setRemarks('');
        setDone('Marked not ready.');
      },
    });
  }

  function splitShipment(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    split.mutate(
      { ...target, quantity: quantity.trim() },
      {
        onSuccess: () => {
          setQuantity('');
          setDone('Shipment split; the rest is a new shipment.');
        },
      },
    );
  }

  return (
    <div className="no-print">
      <h4>Seeduwa decision</h4>
      <div className="row">
        <button type="button" onClick={ready} disabled={events.isPending}>
          Ready to ship
        </button>
      </div>
      <form onSubmit={notReady} className="row">
        <Field label="Why it is not ready" error={remarksError}>
          <input value={remarks} onChange={(event) => setRemarks(event.target.value)} />
        </Field>
        <button type="submit" className="secondary" disabled={events.isPending}>
          Not ready
        </button>
      </form>
      {can(role, 'shipments.split') && (
        <form onSubmit={splitShipment} className="row">
          <Field label="Ship now (kg)" hint="The rest becomes a new shipment.">
            <input inputMode="decimal" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
          </Field>
          <button type="submit" className="secondary" disabled={split.isPending || !quantity.trim()}>
            Split
          </button>
        </form>
      )}
      {events.isError && <ErrorPanel error={events.error} />}
      {split.isError && <ErrorPanel error={split.error} />}
      {done && <p role="status">{done}</p>}
    </div>
  );
}
