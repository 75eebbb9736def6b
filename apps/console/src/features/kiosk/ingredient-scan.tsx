import { useState } from 'react';
import { field, scanBag, useAllocateIngredient, type Batch } from '../../api/kiosk';
import { formatKg } from '../../lib/format';
import { unknownCodeSentence, unusableBagSentence } from './operator-errors';
import { useOutcome } from './outcome';
import type { Scanned } from './scan-input';
import { ScanStation, type ListedBag } from './scan-station';

const INGREDIENT_TABLES = new Set(['tealine', 'blendbalance']);

/**
 * §6.3 step 3: each scanned tealine or blend-balance bag is checked (it exists, is ACCEPTED or
 * IN_PROCESS, has tea left, is not already in this batch) and all that is left of it goes into
 * the batch. Refusals are sentences, shown and spoken.
 */
export function IngredientScan({ batch }: { batch: Batch }) {
  const allocate = useAllocateIngredient();
  const [added, setAdded] = useState<ListedBag[]>([]);
  const { outcome, succeed, refuse, fail } = useOutcome();

  async function onScan(scanned: Scanned) {
    if ('unknown' in scanned) return refuse(unknownCodeSentence(scanned.unknown));
    const { table, barcode } = scanned;
    if (!INGREDIENT_TABLES.has(table)) return refuse(`This is a ${table} bag. A blend takes tealine or blend balance bags.`);
    try {
      const bag = await scanBag(table, barcode);
      const name = `bag ${field(bag, 'id')} of ${field(bag, 'item_code')}`;
      if (added.some((ingredient) => ingredient.barcode === barcode))
        return refuse(`The ${name} is already used in batch ${batch.item_code}.`);
      const unusable = unusableBagSentence(bag.status);
      if (unusable) return refuse(`The ${name}: ${unusable}`);
      await allocate.mutateAsync({ table: table === 'tealine' ? 'tealine' : 'blendbalance', barcode, batch, amount: bag.remaining });
      setAdded((list) => [...list, { barcode, name, amount: bag.remaining }]);
      succeed(`Added the ${name} (${formatKg(bag.remaining)}) to batch ${batch.item_code}.`);
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
    </section>
  );
}
