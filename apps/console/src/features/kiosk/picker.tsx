import type { ReactNode } from 'react';

interface PickerProps<Item> {
  label: string;
  items: readonly Item[];
  itemKey: (item: Item) => string;
  /** The button's first line, and the start of its accessible name. */
  name: (item: Item) => string;
  /** The second line: what is left to do on it. */
  detail: (item: Item) => ReactNode;
  selected: string | undefined;
  onPick: (item: Item) => void;
}

/** A pick list of big buttons (touch, or Tab and Enter): the chosen one is pressed. */
export function Picker<Item>({ label, items, itemKey, detail, name, selected, onPick }: PickerProps<Item>) {
  return (
    <ul className="picker" aria-label={label}>
      {items.map((item) => {
        const key = itemKey(item);
        return (
          <li key={key}>
            <button type="button" className="big" aria-pressed={selected === key} onClick={() => onPick(item)}>
              <strong>{name(item)}</strong>
              <span>{detail(item)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
