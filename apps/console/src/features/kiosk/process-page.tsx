import '../../ui/kiosk.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { blendsheetsQuery, useCreateBatch, useRecordBag, type Batch, type Blendsheet } from '../../api/kiosk';
import { ErrorPanel } from '../../ui/error-panel';
import { bagLabel } from './bag-label';
import { DeviceStrip } from './device-strip';
import { IngredientScan } from './ingredient-scan';
import { operatorMessage } from './operator-errors';
import { OutcomePanel } from './outcome';
import { Picker } from './picker';
import { QcForm } from './qc-form';
import { WeighForm, type Weighed } from './weigh-form';

/**
 * Process (§6.3): pick a blendsheet, start a batch, scan its ingredient bags, weigh and label
 * the blended output bags, then enter the quality values.
 */
export default function ProcessPage() {
  const sheets = useQuery(blendsheetsQuery());
  const createBatch = useCreateBatch();
  const recordBag = useRecordBag();
  const [sheet, setSheet] = useState<Blendsheet>();
  const [batch, setBatch] = useState<Batch>();

  async function recordOutput(current: Batch, bag: Weighed) {
    const answer = await recordBag.mutateAsync({
      table: 'blendsheet',
      item_code: current.item_code,
      created_ts: String(current.created_ts),
      ...bag,
    });
    return bagLabel(
      {
        table: 'blendsheet',
        barcode: answer.barcode,
        item_code: current.item_code,
        id: answer.id,
        received_ts: answer.received_ts,
        ...bag,
      },
      { blendsheet_no: current.blendsheet_no },
    );
  }

  return (
    <section className="kiosk" aria-labelledby="process-title">
      <h2 id="process-title">Process a blend</h2>
      <DeviceStrip />
      <h3>1. Blendsheet</h3>
      {sheets.isPending && <p role="status">Loading blendsheets…</p>}
      {sheets.isError && <ErrorPanel error={sheets.error} onRetry={() => void sheets.refetch()} />}
      {sheets.data?.length === 0 && <p className="panel">No blendsheet has batches left to make.</p>}
      {sheets.data && (
        <Picker
          label="Blendsheets with batches to make"
          items={sheets.data}
          itemKey={(item) => item.blendsheet_no}
          name={(item) => `Blendsheet ${item.blendsheet_no}`}
          selected={sheet?.blendsheet_no}
          onPick={(item) => {
            setSheet(item);
            setBatch(undefined);
          }}
          detail={(item) => `${item.standard} · ${item.batches}`}
        />
      )}
      {sheet && !batch && (
        <div className="row">
          <button
            type="button"
            className="big"
            disabled={createBatch.isPending}
            onClick={() => createBatch.mutate(sheet.blendsheet_no, { onSuccess: setBatch })}
          >
            Start a batch of {sheet.blendsheet_no}
          </button>
        </div>
      )}
      {createBatch.isError && <OutcomePanel outcome={{ ok: false, message: operatorMessage(createBatch.error) }} />}
      {batch && (
        <>
          <p role="status" className="outcome ok">
            Batch {batch.item_code} started.
          </p>
          <IngredientScan batch={batch} />
          <h3>Output bags</h3>
          <WeighForm
            key={batch.item_code}
            herbline={false}
            record={(bag) => recordOutput(batch, bag)}
            describe={(label) => `output bag ${label.id} of batch ${batch.item_code}`}
          />
          <QcForm batch={batch} />
        </>
      )}
    </section>
  );
}
