import { useState, type FormEvent } from 'react';
import { parseLabelCode, type LabelTable } from '@tributary/contracts/labels';
import { Field } from '../../ui/field';
import { useBridgeEvent } from './use-bridge';

export type Scanned = { table: LabelTable; barcode: string } | { unknown: string };

/**
 * One way in for bag codes: the bridge's scanner, or the code typed (or sent by a keyboard-mode
 * scanner) into the field. Both are read as the label's `table:uuid`, never by what is selected.
 */
export function ScanInput({ label, onScan, disabled }: { label: string; onScan: (scanned: Scanned) => void; disabled?: boolean }) {
  const [code, setCode] = useState('');

  useBridgeEvent('scan', (event) => {
    if (disabled) return;
    onScan(event.table && event.barcode ? { table: event.table, barcode: event.barcode } : { unknown: event.code });
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const typed = code.trim();
    if (!typed) return;
    setCode('');
    onScan(parseLabelCode(typed) ?? { unknown: typed });
  }

  return (
    <form className="row" onSubmit={submit} aria-label={label}>
      <Field label="Bag code" hint="Scan the label, or type its code (table:code) and press Enter.">
        <input value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" spellCheck={false} disabled={disabled} />
      </Field>
      <button type="submit" className="secondary big" disabled={disabled}>
        Add bag
      </button>
    </form>
  );
}
