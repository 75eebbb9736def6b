import type { EventType, OperationType } from '../../db/schema.js';

/** The reference's coarse event kind, read from the event name (`customer-created`, `Account.afterSave`, …). */
export function eventKind(name: string): EventType {
  const lower = name.toLowerCase();
  if (/(delet|remov|cancel)/.test(lower)) return 'delete';
  if (/(creat|placed|added|received|submitted|insert)/.test(lower)) return 'create';
  if (/(updat|chang|modif|aftersave|split|set|status|allocat|complet)/.test(lower)) return 'update';
  return 'custom';
}

export function operationFor(kind: EventType): OperationType {
  return kind === 'custom' ? 'update' : kind;
}
