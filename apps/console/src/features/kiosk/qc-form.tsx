import { useState, type FormEvent } from 'react';
import { useSaveQc, type Batch } from '../../api/kiosk';
import { Field } from '../../ui/field';
import { operatorMessage } from './operator-errors';
import { OutcomePanel, type Outcome } from './outcome';

const NUMBER = /^\d{1,3}(\.\d{1,3})?$/;

/** §6.3 step 5: humidity and density; saving them sends the batch to the traders (TRADER_PENDING). */
export function QcForm({ batch }: { batch: Batch }) {
  const save = useSaveQc();
  const [humidity, setHumidity] = useState('');
  const [density, setDensity] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!NUMBER.test(humidity.trim()) || !NUMBER.test(density.trim())) {
      setOutcome({ ok: false, message: { sentence: 'Type humidity and density as numbers, e.g. 3.5 and 0.42.' } });
      return;
    }
    save.mutate(
      { batch, humidity: Number(humidity), density: Number(density) },
      {
        onSuccess: () => setOutcome({ ok: true, text: `Quality values saved for batch ${batch.item_code}; it waits for a trader.` }),
        onError: (error) => setOutcome({ ok: false, message: operatorMessage(error) }),
      },
    );
  }

  return (
    <form aria-labelledby="qc-title" onSubmit={submit}>
      <h3 id="qc-title">Quality values</h3>
      <div className="row">
        <Field label="Humidity (%)">
          <input inputMode="decimal" value={humidity} onChange={(event) => setHumidity(event.target.value)} autoComplete="off" />
        </Field>
        <Field label="Density (g/ml)">
          <input inputMode="decimal" value={density} onChange={(event) => setDensity(event.target.value)} autoComplete="off" />
        </Field>
        <button type="submit" className="big" disabled={save.isPending}>
          Save quality values
        </button>
      </div>
      <OutcomePanel outcome={outcome} />
    </form>
  );
}
