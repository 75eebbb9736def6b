import type { ReactNode } from 'react';

interface PickerProps<Item> {
  label: string;
  items: readonly Item[];
  itemKey: (item: Item) => string;
  render: (item: Item) => ReactNode;
  /** Also the button's accessible name, so a test or a screen reader can say which one. */
  name: (item: Item) => string;
  selected: string | undefined;
  onPick: (item: Item) => void;
}

/** A pick list of big buttons (touch, or Tab and Enter): the chosen one is pressed. */
export function Picker<Item>({ label, items, itemKey, render, name, selected, onPick }: PickerProps<Item>) {
  return (
    <ul className="picker" aria-label={label}>
      {items.map((item) => {
        const key = itemKey(item);
        return (
          <li key={key}>
            <button type="button" className="big" aria-pressed={selected === key} aria-label={name(item)} onClick={() => onPick(item)}>
              {render(item)}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
