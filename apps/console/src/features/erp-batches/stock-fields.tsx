import { useQuery } from '@tanstack/react-query';
import { itemsQuery, warehousesQuery } from '../../api/erp-batches';
import { Field } from '../../ui/field';

interface ChoiceProps {
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}

/** The items of the erp by their names (the value is the item code). */
export function ItemSelect({ value, onChange, disabled = false }: ChoiceProps) {
  const items = useQuery(itemsQuery());
  return (
    <Field label="Item">
      <select value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose an item</option>
        {(items.data ?? []).map((candidate) => (
          <option key={candidate.name} value={candidate.name}>
            {candidate.item_name ?? candidate.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function WarehouseSelect({ value, onChange, disabled = false }: ChoiceProps) {
  const warehouses = useQuery(warehousesQuery());
  return (
    <Field label="Warehouse">
      <select value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose a warehouse</option>
        {(warehouses.data ?? []).map((candidate) => (
          <option key={candidate.name} value={candidate.name}>
            {candidate.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
