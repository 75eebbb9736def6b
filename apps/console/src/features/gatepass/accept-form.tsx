import { useState, type FormEvent } from 'react';
import { usePostShipmentEvents } from '../../api/orders';
import type { ShipmentRef } from '../../api/records';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

interface AcceptFormProps {
  shipments: readonly ShipmentRef[];
  /** Bags still to scan: the vehicle is accepted only once every bag on its list was seen. */
  unchecked: number;
  onAccepted: (remarks: string) => void;
}

/** Receiving at Grandpass: one SHIPMENT_ACCEPTED event per shipment on the vehicle, with the gate's remarks. */
export function AcceptForm({ shipments, unchecked, onAccepted }: AcceptFormProps) {
  const accept = usePostShipmentEvents();
  const [remarks, setRemarks] = useState('');
  // What stopped the last try; its message is worked out from the form as it is now, so it goes
  // away by itself once the bags are scanned or the remarks written.
  const [stoppedBy, setStoppedBy] = useState<'unchecked' | 'remarks'>();
  const error =
    stoppedBy === 'unchecked' && unchecked > 0
      ? `Scan every bag first: ${unchecked} not checked yet.`
      : stoppedBy === 'remarks' && !remarks.trim()
        ? 'Write the remarks for the gatepass (seals, condition, anything missing).'
        : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (unchecked > 0) {
      setStoppedBy('unchecked');
      return;
    }
    if (!remarks.trim()) {
      setStoppedBy('remarks');
      return;
    }
    setStoppedBy(undefined);
    const said = remarks.trim();
    // The accepted vehicle leaves the list (and this form unmounts) as soon as the shipments are
    // re-read, which a mutate() callback would not survive: the promise is awaited instead.
    accept
      .mutateAsync(
        shipments.map(({ request_code, shipment_code }) => ({
          request_code,
          shipment_code,
          status: 'SHIPMENT_ACCEPTED' as const,
          shipment_remarks: said,
        })),
      )
      .then(() => onAccepted(said))
      .catch(() => undefined); // shown by accept.isError while the form is still there
  }

  return (
    <form onSubmit={submit} aria-label="Accept the vehicle" className="no-print" noValidate>
      <Field label="Remarks" error={error}>
        <textarea rows={2} value={remarks} onChange={(event) => setRemarks(event.target.value)} />
      </Field>
      <button type="submit" disabled={accept.isPending}>
        Accept and make gatepass
      </button>
      {accept.isError && <ErrorPanel error={accept.error} />}
    </form>
  );
}
