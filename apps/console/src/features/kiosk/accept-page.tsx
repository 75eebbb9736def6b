import '../../ui/kiosk.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { lotsQuery, useRecordBag, type Lot } from '../../api/kiosk';
import { ErrorPanel } from '../../ui/error-panel';
import { bagLabel } from './bag-label';
import { DeviceStrip } from './device-strip';
import { lotDetail, lotKey, lotLabelFields, lotName } from './lots';
import { Picker } from './picker';
import { WeighForm, type Weighed } from './weigh-form';

/**
 * Accept (§6.2): pick a lot still receiving bags (tealine, blend balance, herbline), then weigh each bag on the scale, record it
 * and print its label. A lot leaves the list once its last bag is in.
 */
export default function AcceptPage() {
  const lots = useQuery(lotsQuery());
  const recordBag = useRecordBag();
  const [selected, setSelected] = useState<Lot>();
  const lot = lots.data?.find((candidate) => selected && lotKey(candidate) === lotKey(selected)) ?? selected;

  async function record(lot: Lot, bag: Weighed) {
    const answer = await recordBag.mutateAsync({
      table: lot.table,
      item_code: lot.item_code,
      created_ts: lot.created_ts,
      store_location: bag.store_location,
      gross_weight: bag.gross_weight,
      bag_weight: bag.bag_weight,
      ...(lot.table === 'herbline' ? { reference: bag.reference } : {}),
    });
    return bagLabel(
      { table: lot.table, barcode: answer.barcode, item_code: lot.item_code, id: answer.id, received_ts: answer.received_ts, ...bag },
      lotLabelFields(lot, bag.reference),
    );
  }

  return (
    <section className="kiosk" aria-labelledby="accept-title">
      <h2 id="accept-title">Accept bags</h2>
      <DeviceStrip />
      <h3>1. Lot</h3>
      {lots.isPending && <p role="status">Loading lots…</p>}
      {lots.isError && <ErrorPanel error={lots.error} onRetry={() => void lots.refetch()} />}
      {lots.data?.length === 0 && <p className="panel">No lot is waiting for bags. An administrator adds lots.</p>}
      {lots.data && (
        <Picker
          label="Lots waiting for bags"
          items={lots.data}
          itemKey={lotKey}
          name={lotName}
          selected={lot && lotKey(lot)}
          onPick={setSelected}
          detail={lotDetail}
        />
      )}
      <h3>2. Weigh and accept</h3>
      {lot ? (
        <WeighForm
          key={lotKey(lot)}
          herbline={lot.table === 'herbline'}
          record={(bag) => record(lot, bag)}
          describe={(label) => `bag ${label.id} of ${lot.item_code}`}
        />
      ) : (
        <p className="panel">Pick a lot first.</p>
      )}
    </section>
  );
}
