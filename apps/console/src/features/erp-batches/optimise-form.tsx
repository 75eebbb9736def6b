import { useState, type FormEvent } from 'react';
import { useOptimise, type Optimisation, type OptimiseRequest } from '../../api/erp-batches';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { ItemSelect, WarehouseSelect } from './stock-fields';

/** Recompute one item in one warehouse from its history; empty fields keep the stored (or default) inputs. */
export function OptimiseForm({ onDone }: { onDone: (row: Optimisation) => void }) {
  const optimise = useOptimise();
  const [item, setItem] = useState('');
  const [warehouse, setWarehouse] = useState('');
  const [lead, setLead] = useState('');
  const [lookback, setLookback] = useState('');
  const [service, setService] = useState('');
  const [problem, setProblem] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!item || !warehouse) {
      setProblem('Choose an item and a warehouse.');
      return;
    }
    const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
    if ((lead && whole(lead) === undefined) || (lookback && whole(lookback) === undefined)) {
      setProblem('Days are whole numbers.');
      return;
    }
    setProblem(undefined);
    const request: OptimiseRequest = {
      item,
      warehouse,
      ...(lead ? { lead_time_days: whole(lead)! } : {}),
      ...(lookback ? { lookback_days: whole(lookback)! } : {}),
      ...(service.trim() ? { service_level_target: service.trim() } : {}),
    };
    optimise.mutate(request, { onSuccess: onDone });
  }

  return (
    <form className="panel" aria-labelledby="optimise-title" onSubmit={submit} noValidate>
      <h3 id="optimise-title">Work out reorder figures</h3>
      <div className="row">
        <ItemSelect value={item} onChange={setItem} />
        <WarehouseSelect value={warehouse} onChange={setWarehouse} />
        <Field label="Lead time (days)" hint="empty: as stored, or 7">
          <input inputMode="numeric" value={lead} onChange={(event) => setLead(event.target.value)} />
        </Field>
        <Field label="History (days)" hint="empty: as stored, or 90">
          <input inputMode="numeric" value={lookback} onChange={(event) => setLookback(event.target.value)} />
        </Field>
        <Field label="Service level (%)" hint="50 to 99.99" error={problem}>
          <input inputMode="decimal" value={service} onChange={(event) => setService(event.target.value)} />
        </Field>
        <button type="submit" disabled={optimise.isPending}>
          Work out
        </button>
      </div>
      {optimise.isError && <ErrorPanel error={optimise.error} />}
    </form>
  );
}
