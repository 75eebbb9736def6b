import type { LineFacts } from './line-conditions.js';
import type { PricingRule } from './rule-model.js';

/**
 * An order's eligible rules, in precedence order, bucketed by the item scope they apply on.
 * A line then meets only the rules that can match its item code, group or brand (plus the
 * rules on all items) instead of walking every eligible rule: with a 1,000-rule catalogue a
 * line has a handful of candidates out of hundreds. The candidates keep the precedence order
 * of `sorted`, so the evaluator's walk, and its result, are the same as over the whole list.
 */
export interface ItemScopeIndex {
  candidatesFor(line: LineFacts): readonly PricingRule[];
}

export function indexByItemScope(sorted: readonly PricingRule[]): ItemScopeIndex {
  const byItem = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  const byBrand = new Map<string, number[]>();
  const allItems: number[] = [];
  const add = (map: Map<string, number[]>, key: string | null, position: number) => {
    if (key === null) return;
    const list = map.get(key);
    // A rule naming the same item twice is still one candidate.
    if (list === undefined) map.set(key, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  };
  sorted.forEach((rule, position) => {
    switch (rule.apply_on) {
      case 'All Items':
        allItems.push(position);
        break;
      case 'Item Code':
        for (const item of rule.items) add(byItem, item, position);
        break;
      case 'Item Group':
        add(byGroup, rule.apply_on_value, position);
        break;
      case 'Brand':
        add(byBrand, rule.apply_on_value, position);
        break;
    }
  });
  return {
    candidatesFor(line) {
      const lists = [
        byItem.get(line.item_code),
        line.item_group === null ? undefined : byGroup.get(line.item_group),
        line.brand === null ? undefined : byBrand.get(line.brand),
        allItems,
      ].filter((list): list is number[] => list !== undefined && list.length > 0);
      if (lists.length === 0) return [];
      if (lists.length === 1) return lists[0]!.map((position) => sorted[position]!);
      // A rule sits in one of a line's buckets at most, so sorting the union restores precedence.
      return lists
        .flat()
        .sort((a, b) => a - b)
        .map((position) => sorted[position]!);
    },
  };
}
