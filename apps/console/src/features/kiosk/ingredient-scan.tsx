import { useState, type FormEvent } from 'react';
import { field, scanBag, useAllocateIngredient, type Batch } from '../../api/kiosk';
import { compareDecimal, formatKg } from '../../lib/format';
import { Field } from '../../ui/field';
import { unknownCodeSentence, unusableBagSentence } from './operator-errors';
import { useOutcome } from './outcome';
import type { Scanned } from './scan-input';
import { ScanStation, type ListedBag } from './scan-station';

// Bag and allocation columns hold two places (reference §7.3); more would be refused by processing.
const KG_USED = /^\d{1,3}(\.\d{1,2})?$/;

interface Checked {
  table: 'tealine' | 'blendbalance';
  barcode: string;
  name: string;
  /** kg left in the bag, a decimal string. */
  remaining: string;
}

/** The kg to take, as processing takes it: a plain decimal without the unit. */
const plainKg = (kg: string) => formatKg(kg).replace(/ kg$/, '').replace(/,/g, '');

/**
 * §6.3 step 3: each scanned tealine or blend-balance bag is checked (it exists, is ACCEPTED or
 * IN_PROCESS, has tea left, is not already in this batch), then the operator says how much of
 * it the batch takes: all that is left unless less is typed. Refusals are sentences, shown and
 * spoken.
 */
export function IngredientScan({ batch }: { batch: Batch }) {
  const allocate = useAllocateIngredient();
  const [added, setAdded] = useState<ListedBag[]>([]);
  const [checked, setChecked] = useState<Checked>();
  const [used, setUsed] = useState('');
  const { outcome, succeed, refuse, fail } = useOutcome();

  async function onScan(scanned: Scanned) {
    if ('unknown' in scanned) return refuse(unknownCodeSentence(scanned.unknown));
    const { table, barcode } = scanned;
    if (table !== 'tealine' && table !== 'blendbalance')
      return refuse(`This is a ${table} bag. A blend takes tealine or blend balance bags.`);
    try {
      const bag = await scanBag(table, barcode);
      const name = `bag ${field(bag, 'id')} of ${field(bag, 'item_code')}`;
      if (added.some((ingredient) => ingredient.barcode === barcode))
        return refuse(`The ${name} is already used in batch ${batch.item_code}.`);
      const unusable = unusableBagSentence(bag.status);
      if (unusable) return refuse(`The ${name}: ${unusable}`);
      setChecked({ table, barcode, name, remaining: bag.remaining });
      setUsed(plainKg(bag.remaining));
      succeed(`The ${name} has ${formatKg(bag.remaining)} left. Type the kg used, or add all of it.`);
    } catch (error) {
      fail(error);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!checked) return;
    const amount = used.trim();
    if (!KG_USED.test(amount)) return refuse('Type the kg used from the bag, with at most two decimals, e.g. 12.50.');
    if (compareDecimal(amount, '0') <= 0) return refuse('Type more than 0 kg.');
    if (compareDecimal(amount, checked.remaining) > 0) return refuse(`The ${checked.name} has only ${formatKg(checked.remaining)} left.`);
    try {
      await allocate.mutateAsync({ table: checked.table, barcode: checked.barcode, batch, amount });
      setAdded((list) => [...list, { barcode: checked.barcode, name: checked.name, amount }]);
      setChecked(undefined);
      succeed(`Added the ${checked.name} (${formatKg(amount)}) to batch ${batch.item_code}.`);
    } catch (error) {
      fail(error);
    }
  }

  return (
    <section aria-labelledby="ingredients-title">
      <h3 id="ingredients-title">Ingredients</h3>
      <ScanStation
        scanLabel="Scan an ingredient bag"
        listLabel="Ingredients in this batch"
        onScan={onScan}
        outcome={outcome}
        bags={added}
      />
      {checked && (
        <form className="row" aria-label="Use the scanned bag" onSubmit={(event) => void add(event)}>
          <Field label="Kg used from this bag" hint={`The ${checked.name}: ${formatKg(checked.remaining)} left.`}>
            <input inputMode="decimal" value={used} onChange={(event) => setUsed(event.target.value)} autoComplete="off" />
          </Field>
          <button type="submit" className="big" disabled={allocate.isPending}>
            Add to batch
          </button>
        </form>
      )}
    </section>
  );
}
